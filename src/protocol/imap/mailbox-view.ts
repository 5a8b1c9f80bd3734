/**
 * One session's view of its selected mailbox: the heart of "IMAP synchronizes".
 *
 * RFC 9051 §2.3.1.2 and §7.5.1: message sequence numbers are per session and change only
 * when this session is told (an untagged EXPUNGE or EXISTS). So every session keeps its own
 * list of messages in sequence order, and queues what other sessions (or POP3, or mail
 * delivery) changed in the store. The queue is flushed into untagged responses at the
 * moments the protocol allows: after a command completes, and at once while IDLE. EXPUNGE is
 * held back after FETCH, STORE, SEARCH, COPY and MOVE (not their UID forms), because the
 * client may still be using the old numbers (§7.5.1); until then an expunged message stays
 * in the view as a "ghost" with its last known flags, as Dovecot does.
 *
 * The view keeps references to the store's message objects (the store mutates flags in
 * place and never reuses an object), so a ghost still has its data.
 */
import type { MailStore } from '../../mail/store';
import { SYSTEM_FLAGS, type StoreEvent, type StoredMessage } from '../../mail/types';
import { data, untaggedStatus, type ImapValue, type Untagged } from './formatter';
import { lowerBound } from './sequence';

// ---------------------------------------------------------------------------------------------
// State shared by every session of one mailbox: who has seen which message (\Recent) and the
// mailbox's keyword list (the FLAGS response).

interface MailboxShared {
  /** RFC 3501 §2.3.2: the first session to see a message gets \Recent; UIDs >= this are unclaimed. */
  firstUnclaimedRecent: number;
  /** Keywords ever used in the mailbox, in first-use order (what FLAGS lists after the system flags). */
  keywords: string[];
  keywordSet: Set<string>;
  /**
   * A CONDSTORE session has opened the mailbox (RFC 7162): Dovecot then keeps MODSEQs in its
   * index for good, and every SELECT or EXAMINE of it says HIGHESTMODSEQ, CONDSTORE or not.
   */
  modseqTracked: boolean;
}

const sharedByStore = new WeakMap<MailStore, Map<string, MailboxShared>>();

/** Shared per-mailbox state, keyed by user, name and UIDVALIDITY (a recreated mailbox starts afresh). */
export function mailboxShared(store: MailStore, user: string, name: string): MailboxShared | null {
  const mb = store.getMailbox(user, name);
  if (!mb) return null;
  let byKey = sharedByStore.get(store);
  if (!byKey) sharedByStore.set(store, (byKey = new Map()));
  const key = `${user}\0${mb.uidValidity}\0${mb.name}`;
  let s = byKey.get(key);
  if (!s) {
    s = { firstUnclaimedRecent: 1, keywords: [], keywordSet: new Set(), modseqTracked: false };
    for (const m of mb.messages) noteKeywords(s, m.flags);
    byKey.set(key, s);
  }
  return s;
}

/**
 * Another protocol's session opened the mailbox and saw every message up to `lastUid`: as in
 * Dovecot, where a POP3 login takes \Recent from the messages it lists, they are no longer
 * recent for IMAP sessions that open the mailbox afterwards.
 */
export function claimRecentUpTo(store: MailStore, user: string, name: string, lastUid: number): void {
  const s = mailboxShared(store, user, name);
  if (s) s.firstUnclaimedRecent = Math.max(s.firstUnclaimedRecent, lastUid + 1);
}

/**
 * A session with CONDSTORE on opened the mailbox (selected it, asked its STATUS, copied or
 * appended to it): from now on it is tracked (MailboxShared.modseqTracked). Returns whether it
 * already was.
 */
export function trackModseqs(store: MailStore, user: string, name: string): boolean {
  const s = mailboxShared(store, user, name);
  if (!s || s.modseqTracked) return true;
  s.modseqTracked = true;
  return false;
}

/** Whether a CONDSTORE session ever opened the mailbox (SELECT then answers HIGHESTMODSEQ). */
export function modseqsTracked(store: MailStore, user: string, name: string): boolean {
  return mailboxShared(store, user, name)?.modseqTracked ?? false;
}

const SYSTEM_UPPER = new Set(SYSTEM_FLAGS.map((f) => f.toUpperCase()));

export function isSystemFlag(f: string): boolean {
  return SYSTEM_UPPER.has(f.toUpperCase());
}

function noteKeywords(s: MailboxShared, flags: readonly string[]): boolean {
  let grew = false;
  for (const f of flags) {
    if (f.startsWith('\\')) continue;
    const k = f.toUpperCase();
    if (!s.keywordSet.has(k)) {
      s.keywordSet.add(k);
      s.keywords.push(f);
      grew = true;
    }
  }
  return grew;
}

/** Records keywords a session is about to use (STORE/APPEND), so FLAGS can announce them. */
export function registerKeywords(
  store: MailStore,
  user: string,
  mailbox: string,
  flags: readonly string[],
): void {
  const s = mailboxShared(store, user, mailbox);
  if (s) noteKeywords(s, flags);
}

/** Dovecot's order: \Answered \Flagged \Deleted \Seen \Draft, then \Recent, then keywords in mailbox order. */
const SYSTEM_ORDER = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export function orderFlags(flags: readonly string[], recent: boolean, keywords: readonly string[]): string[] {
  const out: string[] = [];
  const upper = new Set(flags.map((f) => f.toUpperCase()));
  for (const f of SYSTEM_ORDER) if (upper.has(f.toUpperCase())) out.push(f);
  if (recent) out.push('\\Recent');
  const kw = flags.filter((f) => !f.startsWith('\\'));
  if (kw.length > 1) {
    const rank = new Map(keywords.map((k, i) => [k.toUpperCase(), i]));
    kw.sort((a, b) => (rank.get(a.toUpperCase()) ?? 1e9) - (rank.get(b.toUpperCase()) ?? 1e9));
  }
  out.push(...kw);
  return out;
}

/** Index of the first message whose UID is >= uid, in a list sorted by UID (lowerBound on UIDs). */
function firstWithUidAtLeast(messages: readonly StoredMessage[], uid: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (messages[mid].uid < uid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------

export class MailboxView {
  /** Messages in sequence order (index + 1 = sequence number); UIDs ascend. */
  messages: StoredMessage[];
  /** Parallel UID list for binary search. */
  uids: number[];
  /** UIDs that are \Recent for this session (RFC 3501 only). */
  readonly recent = new Set<number>();
  private readonly pendingExpunge = new Set<number>();
  private readonly pendingFlags = new Set<number>();
  private pendingNew: number[] = [];
  /** Keywords announced in FLAGS so far. */
  private announcedKeywords: number;
  /** Set when the mailbox was deleted or renamed under us (Dovecot then ends the session). */
  gone = false;
  /** CONDSTORE is on (RFC 7162 §3.1): FETCH replies about flag changes carry MODSEQ first. */
  condstore = false;
  private readonly shared: MailboxShared;

  constructor(
    readonly store: MailStore,
    readonly user: string,
    readonly name: string,
    readonly readOnly: boolean,
    /** rev1 sessions track \Recent; IMAP4rev2 removed it (RFC 9051 Appendix E). */
    private readonly trackRecent: boolean,
  ) {
    const mb = store.getMailbox(user, name);
    if (!mb) throw new Error(`no mailbox ${name}`);
    this.uidValidity = mb.uidValidity;
    this.uidNext = mb.uidNext;
    this.highestModseq = mb.highestModSeq;
    this.messages = [...mb.messages];
    this.uids = this.messages.map((m) => m.uid);
    this.shared = mailboxShared(store, user, name)!;
    this.announcedKeywords = this.shared.keywords.length;
    this.claimRecent();
  }

  readonly uidValidity: number;
  /** UIDNEXT as this session knows it: new messages count once they are reported (EXISTS). */
  uidNext: number;
  private pendingUidNext = 0;
  /** The mailbox's HIGHESTMODSEQ when the session last heard of its changes (each flush). */
  private highestModseq: number;

  get exists(): number {
    return this.messages.length;
  }

  get keywords(): readonly string[] {
    return this.shared.keywords;
  }

  /** Index of a UID in the view, or -1. */
  indexOfUid(uid: number): number {
    const i = lowerBound(this.uids, uid);
    return i < this.uids.length && this.uids[i] === uid ? i : -1;
  }

  /** True when the store no longer has this message (expunged, not yet reported here). */
  isGhost(index: number): boolean {
    return this.pendingExpunge.has(this.uids[index]);
  }

  /** RFC 3501 §2.3.2: a read-write session claims every unclaimed message it sees. */
  private claimRecent(): void {
    if (!this.trackRecent) return;
    const first = this.shared.firstUnclaimedRecent;
    const i0 = lowerBound(this.uids, first);
    for (let i = i0; i < this.uids.length; i++) this.recent.add(this.uids[i]);
    if (!this.readOnly && this.uids.length)
      this.shared.firstUnclaimedRecent = Math.max(first, this.uids[this.uids.length - 1] + 1);
  }

  /** The message's flags as FETCH writes them; `withSeen`: as they are once \Seen is added. */
  flagsOf(index: number, withSeen = false): string[] {
    const m = this.messages[index];
    return orderFlags(
      withSeen ? [...m.flags, '\\Seen'] : m.flags,
      this.recent.has(m.uid),
      this.shared.keywords,
    );
  }

  /** FLAGS response list and PERMANENTFLAGS code for SELECT/EXAMINE and keyword changes. */
  flagsResponses(): Untagged[] {
    const all: ImapValue[] = [...SYSTEM_ORDER, ...this.shared.keywords];
    this.announcedKeywords = this.shared.keywords.length;
    const perm = this.readOnly ? '()' : `(${[...SYSTEM_ORDER, ...this.shared.keywords, '\\*'].join(' ')})`;
    return [
      data('FLAGS', all),
      untaggedStatus(
        'OK',
        this.readOnly ? 'Read-only mailbox.' : 'Flags permitted.',
        `PERMANENTFLAGS ${perm}`,
      ),
    ];
  }

  /** Feeds a store event; returns true when it concerns this view (something may be pending). */
  onStoreEvent(e: StoreEvent, self: string): boolean {
    if (e.user !== this.user) return false;
    switch (e.type) {
      case 'message.delivered':
        if (e.mailbox !== this.name) return false;
        this.pendingNew.push(e.uid);
        if (e.uid >= this.pendingUidNext) this.pendingUidNext = e.uid + 1;
        return true;
      case 'flags.changed': {
        if (e.mailbox !== this.name) return false;
        noteKeywords(this.shared, e.flags);
        if (e.origin === self) return false;
        if (this.indexOfUid(e.uid) >= 0) this.pendingFlags.add(e.uid);
        return true;
      }
      case 'message.expunged': {
        if (e.mailbox !== this.name) return false;
        for (const uid of e.uids) {
          if (this.indexOfUid(uid) >= 0) {
            // Our own EXPUNGE/MOVE reports itself and removes the message from the view already.
            // Flag changes made before the expunge are still reported while the ghost stays.
            this.pendingExpunge.add(uid);
          } else {
            const j = this.pendingNew.indexOf(uid);
            if (j >= 0) this.pendingNew.splice(j, 1);
          }
        }
        return true;
      }
      case 'mailbox.deleted':
        if (e.mailbox !== this.name) return false;
        this.gone = true;
        return true;
      case 'mailbox.renamed':
        if (e.from !== this.name && !this.name.startsWith(e.from + '/')) return false;
        this.gone = true;
        return true;
      default:
        return false;
    }
  }

  /** Whether anything is waiting to be told. */
  get hasPending(): boolean {
    return (
      this.pendingExpunge.size > 0 ||
      this.pendingFlags.size > 0 ||
      this.pendingNew.length > 0 ||
      this.announcedKeywords !== this.shared.keywords.length
    );
  }

  /**
   * Untagged responses for everything queued, in Dovecot's order: FLAGS when keywords were
   * added, FETCH (FLAGS) for changed messages, EXPUNGE (only when allowed; highest sequence
   * number first so no renumbering happens between them), then EXISTS and RECENT.
   */
  flush(allowExpunge: boolean): Untagged[] {
    const out: Untagged[] = [];
    let recentChanged = false;
    if (this.announcedKeywords !== this.shared.keywords.length) out.push(...this.flagsResponses());
    const expunging = allowExpunge ? this.pendingExpunge : new Set<number>();
    // Flag changes first, numbered as the client still knows the messages (Dovecot's order);
    // a message about to be expunged gets no FETCH.
    if (this.pendingFlags.size) {
      const indexes: number[] = [];
      for (const uid of this.pendingFlags) {
        if (expunging.has(uid)) continue;
        const i = this.indexOfUid(uid);
        if (i >= 0) indexes.push(i);
      }
      indexes.sort((a, b) => a - b);
      for (const i of indexes)
        out.push(
          data(
            i + 1,
            'FETCH',
            this.condstore
              ? ['MODSEQ', [this.messages[i].modseq], 'FLAGS', this.flagsOf(i)]
              : ['FLAGS', this.flagsOf(i)],
          ),
        );
      this.pendingFlags.clear();
    }
    if (allowExpunge && this.pendingExpunge.size) {
      const indexes: number[] = [];
      for (const uid of this.pendingExpunge) {
        const i = this.indexOfUid(uid);
        if (i >= 0) indexes.push(i);
      }
      indexes.sort((a, b) => b - a);
      for (const i of indexes) {
        out.push(data(i + 1, 'EXPUNGE'));
        if (this.recent.delete(this.uids[i])) recentChanged = true;
      }
      this.removeIndexes(indexes);
      this.pendingExpunge.clear();
    }
    if (this.pendingNew.length) {
      const mb = this.store.getMailbox(this.user, this.name);
      const last = this.uids.length ? this.uids[this.uids.length - 1] : 0;
      const added: StoredMessage[] = [];
      if (mb) {
        // The store keeps UIDs ascending (RFC 9051 §2.3.1.1): search the messages themselves
        // rather than a UID array made per flush (that copy was O(mailbox) for every new mail).
        const all = mb.messages;
        for (let i = firstWithUidAtLeast(all, last + 1); i < all.length; i++) added.push(all[i]);
      }
      this.pendingNew = [];
      if (added.length) {
        for (const m of added) {
          this.messages.push(m);
          this.uids.push(m.uid);
        }
        out.push(data(this.exists, 'EXISTS'));
        if (this.trackRecent) {
          const before = this.recent.size;
          this.claimRecent();
          if (this.recent.size !== before) recentChanged = true;
        }
      }
    }
    if (recentChanged && this.trackRecent) out.push(data(this.recent.size, 'RECENT'));
    if (this.pendingUidNext > this.uidNext) this.uidNext = this.pendingUidNext;
    const now = this.store.getMailbox(this.user, this.name);
    if (now) this.highestModseq = now.highestModSeq;
    return out;
  }

  /** This session expunged messages itself (EXPUNGE, CLOSE, MOVE): drop them and report. */
  expungeOwn(uids: readonly number[], report: boolean): Untagged[] {
    const indexes: number[] = [];
    for (const uid of uids) {
      const i = this.indexOfUid(uid);
      if (i >= 0) indexes.push(i);
      this.pendingExpunge.delete(uid);
      this.pendingFlags.delete(uid);
    }
    indexes.sort((a, b) => b - a);
    const out: Untagged[] = [];
    let recentChanged = false;
    for (const i of indexes) {
      if (report) out.push(data(i + 1, 'EXPUNGE'));
      if (this.recent.delete(this.uids[i])) recentChanged = true;
    }
    this.removeIndexes(indexes);
    if (report && recentChanged && this.trackRecent) out.push(data(this.recent.size, 'RECENT'));
    return out;
  }

  private removeIndexes(descending: readonly number[]): void {
    if (!descending.length) return;
    const drop = new Set(descending);
    this.messages = this.messages.filter((_, i) => !drop.has(i));
    this.uids = this.messages.map((m) => m.uid);
  }

  /**
   * This session expunged messages (MOVE) and reports them with everything else queued at the
   * end of the command, in one batch, highest number first (as Dovecot does).
   */
  queueExpunge(uids: readonly number[]): void {
    for (const uid of uids) if (this.indexOfUid(uid) >= 0) this.pendingExpunge.add(uid);
  }

  /**
   * The highest MODSEQ this session has seen (RFC 7162 §3.1.2.1, HIGHESTMODSEQ when CONDSTORE
   * is turned on mid-session): the mailbox's as of the last report of changes, so changes still
   * waiting to be reported do not count (as in Dovecot).
   */
  knownHighestModseq(): number {
    return this.highestModseq;
  }

  /** A flag change this session made and reported itself: nothing to queue for it. */
  forgetFlagChange(uid: number): void {
    this.pendingFlags.delete(uid);
  }
}
