import type { ByteString, StoredMessage } from '../../mail/types';
import { dotStuff } from './format';

/**
 * One POP3 session's view of a maildrop (RFC 1939 §4-§6).
 *
 * When the session enters TRANSACTION it numbers the INBOX messages 1..N and those numbers stay
 * fixed until the session ends: messages delivered later are not seen, and DELE only marks.
 * The totals STAT and LIST report are kept up to date on every mark, and the LIST/UIDL
 * listings are built once and cached until the marks change, so a 10,000-message maildrop
 * answers in well under a millisecond.
 *
 * The raw octets are held by reference (strings are immutable), so RETR still answers even
 * if another session removed the message from the store meanwhile, as the numbers promise.
 */

export interface MaildropEntry {
  /** Message number in this session (1-based). */
  n: number;
  uid: number;
  size: number;
  deleted: boolean;
  retrieved: boolean;
}

/**
 * The unique-id listing string (RFC 1939 §7 UIDL). Dovecot's default `pop3_uidl_format` is
 * `%08Xu%08Xv`: UID then UIDVALIDITY, 8 hex digits each. Dovecot 2.3.19 prints the digits in
 * lower case (measured: "000000016b07fc44"), so clients see the same strings from us.
 */
export function uidlOf(uid: number, uidValidity: number): string {
  return hex8(uid) + hex8(uidValidity);
}

function hex8(n: number): string {
  const h = (n >>> 0).toString(16);
  return h.length >= 8 ? h : '00000000'.slice(h.length) + h;
}

/**
 * The last full UIDL listing built for each maildrop (keyed by the store's message array): a
 * mail app checking every few minutes mostly finds the very same messages, so the next
 * session whose snapshot holds the same messages (and UIDVALIDITY) answers with the same string.
 */
interface UidlListingEntry {
  uidValidity: number;
  messages: readonly StoredMessage[];
  /** The whole UIDL reply: "+OK" CRLF, the listing, "." CRLF (the listing is a view of it). */
  reply: ByteString;
}
const lastUidlListings = new WeakMap<object, UidlListingEntry>();

const uidlLineEnds = new WeakMap<StoredMessage, { uidValidity: number; text: string }>();

/** Each stored message's RETR reply, made once: every device of a story retrieves the same message. */
const retrReplies = new WeakMap<StoredMessage, ByteString>();

/** A string made flat now (a search does it), not a rope every reader must copy flat first. */
function flat(s: ByteString): ByteString {
  s.indexOf('\0');
  return s;
}

export class Maildrop {
  /** Number of messages in the snapshot, deleted ones included (the highest message number). */
  readonly count: number;
  /**
   * The stored messages as they were at login, in order (a copy of the list: the store's own
   * grows and shrinks). A stored message never changes its UID or octets, so holding the
   * objects is holding the snapshot.
   */
  private readonly messages: readonly StoredMessage[];
  /** DELE marks and RETR notes, made on the first mark: most sessions mark nothing. */
  private deleted: number[] | null = null;
  private retrievedFlags: number[] | null = null;
  private liveMessages: number;
  /** Octets of the live messages, counted when first asked (STAT, LIST). */
  private liveOctets = -1;
  private listCache: string[] | null = null;
  private listAll: string[] | null = null;
  private uidlAll: string[] | null = null;
  private uidlCache: string[] | null = null;
  private uidlListingCache: string | null = null;
  /** The shared entry `uidlListingCache` came from or went to (its reply is made once). */
  private uidlEntry: UidlListingEntry | null = null;
  /** The store's array the snapshot was taken from: the key of `lastUidlListings`. */
  private readonly source: object;

  constructor(
    readonly user: string,
    readonly uidValidity: number,
    messages: readonly StoredMessage[],
  ) {
    this.count = messages.length;
    this.source = messages;
    this.messages = messages.slice();
    this.liveMessages = messages.length;
  }

  /** UID of the snapshot's last message (0 when empty). */
  get lastUid(): number {
    return this.count ? this.messages[this.count - 1].uid : 0;
  }

  /** Messages not marked deleted (STAT's first number). */
  get liveCount(): number {
    return this.liveMessages;
  }

  /** Octets of the messages not marked deleted (STAT's second number). */
  get liveSize(): number {
    if (this.liveOctets < 0) {
      let octets = 0;
      for (let i = 0; i < this.count; i++) if (!this.isDeleted(i + 1)) octets += this.messages[i].raw.length;
      this.liveOctets = octets;
    }
    return this.liveOctets;
  }

  /** How many messages DELE has marked. */
  get markedCount(): number {
    return this.count - this.liveMessages;
  }

  /** True for 1..count, deleted or not. */
  exists(n: number): boolean {
    return Number.isInteger(n) && n >= 1 && n <= this.count;
  }

  isDeleted(n: number): boolean {
    return this.deleted !== null && this.deleted[n - 1] === 1;
  }

  uid(n: number): number {
    return this.messages[n - 1].uid;
  }

  /** Size in octets of the stored CRLF bytes: what LIST, STAT and RETR's "+OK n octets" say. */
  size(n: number): number {
    return this.messages[n - 1].raw.length;
  }

  raw(n: number): ByteString {
    return this.messages[n - 1].raw;
  }

  uidl(n: number): string {
    return uidlOf(this.messages[n - 1].uid, this.uidValidity);
  }

  /** RETR n's whole reply (RFC 1939 §5): "+OK size octets", the byte-stuffed message, ".". */
  retrReply(n: number): ByteString {
    const m = this.messages[n - 1];
    let reply = retrReplies.get(m);
    if (reply === undefined) {
      reply = flat('+OK ' + m.raw.length + ' octets\r\n' + dotStuff(m.raw) + '.\r\n');
      retrReplies.set(m, reply);
    }
    return reply;
  }

  /** UIDL's whole reply (RFC 1939 §7): "+OK", the listing, "."; made with the listing. */
  uidlReply(): ByteString {
    this.uidlListing();
    return this.uidlEntry!.reply;
  }

  /** DELE: marks message n; returns its UID. The gate has checked that n exists and is live. */
  mark(n: number): number {
    const i = n - 1;
    const deleted = (this.deleted ??= newMarks(this.count));
    if (deleted[i] === 0) {
      deleted[i] = 1;
      this.liveMessages--;
      if (this.liveOctets >= 0) this.liveOctets -= this.messages[i].raw.length;
      this.listCache = this.uidlCache = this.uidlListingCache = null;
    }
    return this.messages[i].uid;
  }

  /**
   * RSET: unmarks every message; returns the UIDs that were marked, ascending. Like Dovecot it
   * also forgets which messages RETR sent, so QUIT will not make those \Seen (measured).
   */
  reset(): number[] {
    this.retrievedFlags = null;
    const unmarked: number[] = [];
    const deleted = this.deleted;
    if (this.liveMessages === this.count || deleted === null) return unmarked;
    for (let i = 0; i < this.count; i++) {
      if (deleted[i] === 1) {
        deleted[i] = 0;
        unmarked.push(this.messages[i].uid);
      }
    }
    this.liveMessages = this.count;
    this.liveOctets = -1;
    this.listCache = this.uidlCache = this.uidlListingCache = null;
    return unmarked;
  }

  /** RETR: remembers that n was retrieved (its \Seen is committed at QUIT, as Dovecot does). */
  markRetrieved(n: number): void {
    (this.retrievedFlags ??= newMarks(this.count))[n - 1] = 1;
  }

  deletedUids(): number[] {
    const out: number[] = [];
    const deleted = this.deleted;
    if (deleted !== null)
      for (let i = 0; i < this.count; i++) if (deleted[i] === 1) out.push(this.messages[i].uid);
    return out;
  }

  retrievedUids(): number[] {
    const out: number[] = [];
    const retrieved = this.retrievedFlags;
    if (retrieved !== null)
      for (let i = 0; i < this.count; i++) if (retrieved[i] === 1) out.push(this.messages[i].uid);
    return out;
  }

  /** "n size" for every live message (RFC 1939 §5 LIST scan listing); cached until marks change. */
  listLines(): readonly string[] {
    if (!this.listCache) {
      // Every message's line is formatted once per session; a DELE then only filters, so LIST
      // stays well under a millisecond on a 10,000-message maildrop.
      this.listAll ??= this.messages.map((m, i) => `${i + 1} ${m.raw.length}`);
      this.listCache = this.liveOnly(this.listAll);
    }
    return this.listCache;
  }

  /** "n unique-id" for every live message (RFC 1939 §7 UIDL); cached until marks change. */
  uidlLines(): readonly string[] {
    if (!this.uidlCache) {
      const v = hex8(this.uidValidity);
      this.uidlAll ??= this.messages.map((m, i) => `${i + 1} ${hex8(m.uid)}${v}`);
      this.uidlCache = this.liveOnly(this.uidlAll);
    }
    return this.uidlCache;
  }

  private liveOnly(all: string[]): string[] {
    const deleted = this.deleted;
    if (this.liveMessages === this.count || deleted === null) return all;
    return all.filter((_, i) => deleted[i] === 0);
  }

  /**
   * The UIDL listing as the body of a multi-line reply: every `uidlLines()` line followed by
   * CRLF. Built once as the whole reply (no line array, and no second copy for the reply: the
   * listing is a view of it), cached until marks change, and shared with the next session that
   * sees the same UIDs.
   */
  uidlListing(): ByteString {
    if (this.uidlListingCache !== null) return this.uidlListingCache;
    const unmarked = this.liveMessages === this.count;
    const last = unmarked ? lastUidlListings.get(this.source) : undefined;
    let entry: UidlListingEntry;
    if (last && last.uidValidity === this.uidValidity && sameMessages(last.messages, this.messages))
      entry = last;
    else {
      // Built with += (measured: four times faster than pushing lines and joining them), then
      // made flat once (a search does it): the reply is kept and sent again, and a rope would be
      // walked, and kept alive node by node, every time.
      let out = '+OK\r\n';
      for (let i = 0; i < this.count; i++)
        if (!this.isDeleted(i + 1)) out += i + 1 + ' ' + this.uidlLineEnd(this.messages[i]);
      entry = { uidValidity: this.uidValidity, messages: this.messages, reply: flat(out + '.\r\n') };
      if (unmarked) lastUidlListings.set(this.source, entry);
    }
    this.uidlEntry = entry;
    return (this.uidlListingCache = entry.reply.slice(5, entry.reply.length - 3));
  }

  /** "unique-id CRLF" of a message: made once per stored message and UIDVALIDITY, as every check lists it again. */
  private uidlLineEnd(m: StoredMessage): string {
    const known = uidlLineEnds.get(m);
    if (known !== undefined && known.uidValidity === this.uidValidity) return known.text;
    const text = uidlOf(m.uid, this.uidValidity) + '\r\n';
    uidlLineEnds.set(m, { uidValidity: this.uidValidity, text });
    return text;
  }

  /** The whole numbered view, for the UI. */
  entries(): MaildropEntry[] {
    const out: MaildropEntry[] = [];
    for (let i = 0; i < this.count; i++)
      out.push({
        n: i + 1,
        uid: this.messages[i].uid,
        size: this.messages[i].raw.length,
        deleted: this.isDeleted(i + 1),
        retrieved: this.retrievedFlags !== null && this.retrievedFlags[i] === 1,
      });
    return out;
  }
}

/** One 0/1 mark per message: a plain array (V8 makes a small typed array far more slowly). */
function newMarks(count: number): number[] {
  return new Array<number>(count).fill(0);
}

function sameMessages(a: readonly StoredMessage[], b: readonly StoredMessage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
