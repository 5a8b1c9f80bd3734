import {
  SYSTEM_FLAGS,
  type AccountData,
  type ByteString,
  type MailboxData,
  type Origin,
  type SpecialUse,
  type StoreData,
  type StoreEvent,
  type StoreListener,
  type StoredMessage,
} from './types';

/** Mailboxes every new account gets, with their RFC 6154 special-use attributes. */
export const DEFAULT_MAILBOXES: ReadonlyArray<{ name: string; specialUse: SpecialUse | null }> = [
  { name: 'INBOX', specialUse: null },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Archive', specialUse: '\\Archive' },
  { name: 'Junk', specialUse: '\\Junk' },
];

/**
 * Which mailboxes a new account starts with: `special-use` is INBOX plus DEFAULT_MAILBOXES' special-use
 * folders (the lab, and Dovecot with `auto = subscribe`); `inbox` is INBOX alone, as a stock Dovecot.
 */
export type FolderSet = 'special-use' | 'inbox';

export const FOLDER_SETS: readonly FolderSet[] = ['special-use', 'inbox'];

export const HIERARCHY_DELIMITER = '/';

export class StoreError extends Error {
  constructor(
    /** Machine-readable reason, mapped by each protocol to its own reply (e.g. IMAP [NONEXISTENT]). */
    readonly reason: 'NONEXISTENT' | 'ALREADYEXISTS' | 'CANNOT' | 'NOACCOUNT',
    message: string,
  ) {
    super(message);
  }
}

/** "INBOX" is case-insensitive in every position it can appear (RFC 9051 §5.1). */
export function normalizeMailboxName(name: string): string {
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  if (name.toUpperCase().startsWith('INBOX' + HIERARCHY_DELIMITER)) return 'INBOX' + name.slice(5);
  return name;
}

const SYSTEM_FLAG_BY_UPPER = new Map(SYSTEM_FLAGS.map((f) => [f.toUpperCase(), f as string]));

/** Canonical spelling of a flag: system flags as the RFC spells them, keywords as given. */
export function canonicalFlag(flag: string): string {
  return SYSTEM_FLAG_BY_UPPER.get(flag.toUpperCase()) ?? flag;
}

function hasFlag(flags: readonly string[], flag: string): boolean {
  const up = flag.toUpperCase();
  return flags.some((f) => f.toUpperCase() === up);
}

export function messageHasFlag(message: StoredMessage, flag: string): boolean {
  return hasFlag(message.flags, flag);
}

/** Binary search by UID in a UID-ordered message list; returns the index or -1. */
export function indexOfUid(messages: readonly StoredMessage[], uid: number): number {
  let lo = 0;
  let hi = messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = messages[mid].uid;
    if (u === uid) return mid;
    if (u < uid) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface DeliverOptions {
  flags?: string[];
  internalDate?: number;
  origin?: Origin;
  /** The MODSEQ of the change that stores it (one change may store several, as COPY does). */
  modseq?: number;
}

/**
 * The one mail store behind both servers. It knows nothing about protocols;
 * every change is announced to listeners (sessions fan these out as untagged
 * responses, the visualization animates them).
 */
export class MailStore {
  private data: StoreData;
  private listeners = new Set<StoreListener>();
  private listenerList: StoreListener[] = [];
  /** Virtual clock used for default internal dates. */
  now: () => number;

  constructor(options: { now?: () => number; data?: StoreData } = {}) {
    this.now = options.now ?? (() => Date.now());
    this.data = options.data
      ? structuredClone(options.data)
      : { version: 1, nextUidValidity: 1, accounts: [] };
    for (const a of this.data.accounts) upgradeAccount(a);
  }

  // ---- serialization -------------------------------------------------------

  toJSON(): StoreData {
    return structuredClone(this.data);
  }

  static fromJSON(data: unknown, options: { now?: () => number } = {}): MailStore {
    return new MailStore({ ...options, data: validateStoreData(data) });
  }

  // ---- events ----------------------------------------------------------------

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    this.listenerList = [...this.listeners];
    return () => {
      const had = this.listeners.delete(listener);
      this.listenerList = [...this.listeners];
      return had;
    };
  }

  private emit(event: StoreEvent): void {
    // Never changed in place (subscribe makes a new array): a listener that unsubscribes while
    // the event goes round does not make the loop skip another.
    const to = this.listenerList;
    for (let i = 0; i < to.length; i++) to[i](event);
  }

  // ---- accounts ----------------------------------------------------------------

  addAccount(user: string, password: string, options: { folders?: FolderSet } = {}): AccountData {
    if (this.findAccount(user)) throw new StoreError('ALREADYEXISTS', `account ${user} already exists`);
    const account: AccountData = { user, password, mailboxes: [], subscriptions: [], listOrder: [] };
    this.data.accounts.push(account);
    const folders = options.folders ?? 'special-use';
    // Like Dovecot with `auto = subscribe` special-use mailboxes: those start subscribed, INBOX not.
    for (const mb of DEFAULT_MAILBOXES.filter((d) => folders === 'special-use' || d.name === 'INBOX')) {
      account.mailboxes.push(this.newMailbox(mb.name, mb.specialUse));
      addToListOrder(account, mb.name);
      if (mb.name !== 'INBOX') account.subscriptions.push(mb.name);
    }
    return account;
  }

  users(): string[] {
    return this.data.accounts.map((a) => a.user);
  }

  /** User names are matched exactly (case-sensitive), as Dovecot does by default. */
  findAccount(user: string): AccountData | undefined {
    return this.data.accounts.find((a) => a.user === user);
  }

  checkPassword(user: string, password: string): boolean {
    const a = this.findAccount(user);
    return !!a && a.password === password;
  }

  getPassword(user: string): string | undefined {
    return this.findAccount(user)?.password;
  }

  private account(user: string): AccountData {
    const a = this.findAccount(user);
    if (!a) throw new StoreError('NOACCOUNT', `no account ${user}`);
    return a;
  }

  // ---- mailboxes ---------------------------------------------------------------

  private newMailbox(name: string, specialUse: SpecialUse | null): MailboxData {
    return {
      name,
      uidValidity: this.data.nextUidValidity++,
      uidNext: 1,
      highestModSeq: 1,
      specialUse,
      messages: [],
    };
  }

  listMailboxes(user: string): readonly MailboxData[] {
    return this.account(user).mailboxes;
  }

  getMailbox(user: string, name: string): MailboxData | undefined {
    const n = normalizeMailboxName(name);
    return this.findAccount(user)?.mailboxes.find((m) => m.name === n);
  }

  private mailbox(user: string, name: string): MailboxData {
    const mb = this.getMailbox(user, name);
    if (!mb) throw new StoreError('NONEXISTENT', `mailbox ${name} does not exist`);
    return mb;
  }

  createMailbox(
    user: string,
    name: string,
    options: { specialUse?: SpecialUse | null; origin?: Origin } = {},
  ) {
    const account = this.account(user);
    const n = normalizeMailboxName(name);
    if (this.getMailbox(user, n)) throw new StoreError('ALREADYEXISTS', `mailbox ${n} already exists`);
    const mb = this.newMailbox(n, options.specialUse ?? null);
    account.mailboxes.push(mb);
    addToListOrder(account, n);
    this.emit({ type: 'mailbox.created', user, mailbox: n, origin: options.origin });
    return mb;
  }

  deleteMailbox(user: string, name: string, origin?: Origin): void {
    const account = this.account(user);
    const n = normalizeMailboxName(name);
    if (n === 'INBOX') throw new StoreError('CANNOT', 'INBOX cannot be deleted');
    const i = account.mailboxes.findIndex((m) => m.name === n);
    if (i < 0) throw new StoreError('NONEXISTENT', `mailbox ${name} does not exist`);
    account.mailboxes.splice(i, 1);
    pruneListOrder(account);
    this.emit({ type: 'mailbox.deleted', user, mailbox: n, origin });
  }

  /**
   * Renames a mailbox and its children. Renaming INBOX moves its messages to a
   * new mailbox and leaves INBOX empty (RFC 9051 §6.3.6).
   */
  renameMailbox(user: string, from: string, to: string, origin?: Origin): void {
    const account = this.account(user);
    const f = normalizeMailboxName(from);
    const t = normalizeMailboxName(to);
    const src = this.mailbox(user, f);
    if (this.getMailbox(user, t)) throw new StoreError('ALREADYEXISTS', `mailbox ${t} already exists`);
    if (f === 'INBOX') {
      const dest = this.newMailbox(t, null);
      dest.messages = src.messages;
      dest.uidNext = src.uidNext;
      dest.highestModSeq = src.highestModSeq;
      const uids = src.messages.map((m) => m.uid);
      src.messages = [];
      account.mailboxes.push(dest);
      addToListOrder(account, t);
      this.emit({ type: 'mailbox.created', user, mailbox: t, origin });
      if (uids.length) this.emit({ type: 'message.expunged', user, mailbox: 'INBOX', uids, origin });
      return;
    }
    const prefix = f + HIERARCHY_DELIMITER;
    const renamed = (name: string) =>
      name === f ? t : name.startsWith(prefix) ? t + HIERARCHY_DELIMITER + name.slice(prefix.length) : null;
    // The renamed levels, in their order, become the newest in the list order (as in Dovecot's
    // mailbox list index); levels the old and new names share stay where they were.
    const levels = account.listOrder.map(renamed).filter((n): n is string => n !== null);
    for (const mb of account.mailboxes) mb.name = renamed(mb.name) ?? mb.name;
    pruneListOrder(account);
    addToListOrder(account, t);
    for (const n of levels) addToListOrder(account, n);
    this.emit({ type: 'mailbox.renamed', user, from: f, to: t, origin });
  }

  /** Every level of every mailbox name, oldest first (see AccountData.listOrder). */
  listOrder(user: string): readonly string[] {
    return this.account(user).listOrder;
  }

  /** The subscribed names, in the order they were subscribed (some may name no mailbox now). */
  subscriptions(user: string): readonly string[] {
    return this.account(user).subscriptions;
  }

  isSubscribed(user: string, name: string): boolean {
    return this.account(user).subscriptions.includes(normalizeMailboxName(name));
  }

  /**
   * Subscribes to an existing mailbox (as Dovecot, which refuses a name with no mailbox; RFC
   * 9051 §6.3.7 would allow it), or drops a subscription, whether or not the mailbox still exists.
   */
  setSubscribed(user: string, name: string, subscribed: boolean, origin?: Origin): void {
    const subs = this.account(user).subscriptions;
    const n = normalizeMailboxName(name);
    const at = subs.indexOf(n);
    if (subscribed) {
      if (!this.getMailbox(user, n)) throw new StoreError('NONEXISTENT', `mailbox ${name} does not exist`);
      if (at < 0) subs.push(n);
    } else if (at >= 0) subs.splice(at, 1);
    else return;
    this.emit({ type: 'mailbox.subscribed', user, mailbox: n, subscribed, origin });
  }

  // ---- messages ----------------------------------------------------------------

  /** Appends a message with the next UID. Returns the stored message. */
  deliver(user: string, mailbox: string, raw: ByteString, options: DeliverOptions = {}): StoredMessage {
    const mb = this.mailbox(user, mailbox);
    const flags: string[] = [];
    for (const f of options.flags ?? []) if (!hasFlag(flags, f)) flags.push(canonicalFlag(f));
    const message: StoredMessage = {
      uid: mb.uidNext++,
      raw,
      flags,
      internalDate: options.internalDate ?? this.now(),
      modseq: options.modseq ?? mb.highestModSeq + 1,
    };
    mb.highestModSeq = Math.max(mb.highestModSeq, message.modseq);
    mb.messages.push(message);
    this.emit({
      type: 'message.delivered',
      user,
      mailbox: mb.name,
      uid: message.uid,
      size: raw.length,
      origin: options.origin,
    });
    return message;
  }

  getMessage(user: string, mailbox: string, uid: number): StoredMessage | undefined {
    const mb = this.getMailbox(user, mailbox);
    if (!mb) return undefined;
    const i = indexOfUid(mb.messages, uid);
    return i < 0 ? undefined : mb.messages[i];
  }

  /**
   * Changes flags on the given UIDs. Returns the UIDs whose flags really changed;
   * only those are announced.
   */
  setFlags(
    user: string,
    mailbox: string,
    uids: readonly number[],
    mode: 'set' | 'add' | 'remove',
    flags: readonly string[],
    origin?: Origin,
  ): number[] {
    const mb = this.mailbox(user, mailbox);
    const wanted = flags.map(canonicalFlag);
    const changed: number[] = [];
    // One change, one MODSEQ for every message it touches (RFC 7162 §3.1.3; Dovecot does so).
    let modseq = 0;
    for (const uid of uids) {
      const i = indexOfUid(mb.messages, uid);
      if (i < 0) continue;
      const m = mb.messages[i];
      let next: string[];
      if (mode === 'set') {
        next = [];
        for (const f of wanted) if (!hasFlag(next, f)) next.push(f);
      } else if (mode === 'add') {
        next = [...m.flags];
        for (const f of wanted) if (!hasFlag(next, f)) next.push(f);
      } else {
        next = m.flags.filter((f) => !hasFlag(wanted, f));
      }
      if (sameFlags(m.flags, next)) continue;
      m.flags = next;
      if (!modseq) modseq = ++mb.highestModSeq;
      m.modseq = modseq;
      changed.push(uid);
      this.emit({
        type: 'flags.changed',
        user,
        mailbox: mb.name,
        uid,
        flags: [...next],
        modseq: m.modseq,
        origin,
      });
    }
    return changed;
  }

  /** Removes messages for good. Announces one event with every UID removed (ascending). */
  expunge(user: string, mailbox: string, uids: readonly number[], origin?: Origin): number[] {
    const mb = this.mailbox(user, mailbox);
    const gone = new Set(uids);
    const removed: number[] = [];
    mb.messages = mb.messages.filter((m) => {
      if (gone.has(m.uid)) {
        removed.push(m.uid);
        return false;
      }
      return true;
    });
    if (removed.length) {
      mb.highestModSeq++;
      this.emit({ type: 'message.expunged', user, mailbox: mb.name, uids: removed, origin });
    }
    return removed;
  }

  /** Copies messages to another mailbox; returns [sourceUid, destUid] pairs (for UIDPLUS COPYUID). */
  copy(user: string, from: string, uids: readonly number[], to: string, origin?: Origin): [number, number][] {
    const src = this.mailbox(user, from);
    // One change, one MODSEQ for every copy (Dovecot saves them in one transaction).
    const modseq = this.mailbox(user, to).highestModSeq + 1;
    const pairs: [number, number][] = [];
    for (const uid of uids) {
      const i = indexOfUid(src.messages, uid);
      if (i < 0) continue;
      const m = src.messages[i];
      const copy = this.deliver(user, to, m.raw, {
        flags: m.flags,
        internalDate: m.internalDate,
        origin,
        modseq,
      });
      pairs.push([uid, copy.uid]);
    }
    return pairs;
  }

  /** Total octets stored for a user (or for every account). */
  storageBytes(user?: string): number {
    let total = 0;
    for (const a of this.data.accounts) {
      if (user !== undefined && a.user !== user) continue;
      for (const mb of a.mailboxes) total += mailboxBytes(mb.messages);
    }
    return total;
  }
}

/**
 * Octets of a mailbox's message list, remembered per list: delivery appends to the list (only
 * the new messages are counted) and removal makes a new list (counted afresh). A storage chart
 * samples every virtual day, and a year of IMAP mail keeps thousands of messages.
 */
const counted = new WeakMap<readonly StoredMessage[], { length: number; bytes: number }>();
function mailboxBytes(messages: readonly StoredMessage[]): number {
  let c = counted.get(messages);
  if (!c || c.length > messages.length) {
    c = { length: 0, bytes: 0 };
    counted.set(messages, c);
  }
  for (let i = c.length; i < messages.length; i++) c.bytes += messages[i].raw.length;
  c.length = messages.length;
  return c.bytes;
}

function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((f) => hasFlag(b, f));
}

/** Adds a name and its parent levels to the list order, where missing. */
function addToListOrder(account: AccountData, name: string): void {
  const parts = name.split(HIERARCHY_DELIMITER);
  for (let i = 1; i <= parts.length; i++) {
    const level = parts.slice(0, i).join(HIERARCHY_DELIMITER);
    if (!account.listOrder.includes(level)) account.listOrder.push(level);
  }
}

/** Drops the levels that no mailbox is at or under any more. */
function pruneListOrder(account: AccountData): void {
  const live = new Set<string>();
  for (const mb of account.mailboxes) {
    const parts = mb.name.split(HIERARCHY_DELIMITER);
    for (let i = 1; i <= parts.length; i++) live.add(parts.slice(0, i).join(HIERARCHY_DELIMITER));
  }
  const kept = account.listOrder.filter((n) => live.has(n));
  account.listOrder.splice(0, account.listOrder.length, ...kept);
}

/**
 * Data saved before subscriptions were kept by name had a `subscribed` flag on each mailbox
 * (turned into the subscription list, in mailbox order), and no list order (made from the
 * mailboxes' creation order).
 */
function upgradeAccount(account: AccountData): void {
  const legacy = account.mailboxes as (MailboxData & { subscribed?: boolean })[];
  if (!Array.isArray(account.subscriptions))
    account.subscriptions = legacy.filter((m) => m.subscribed).map((m) => m.name);
  for (const m of legacy) delete m.subscribed;
  if (!Array.isArray(account.listOrder)) {
    account.listOrder = [];
    for (const m of account.mailboxes) addToListOrder(account, m.name);
  }
}

/** Validates untrusted JSON (a saved world, a share link) before it becomes a store. */
export function validateStoreData(data: unknown): StoreData {
  const fail = (why: string): never => {
    throw new Error(`invalid mail store data: ${why}`);
  };
  if (typeof data !== 'object' || data === null) fail('not an object');
  const d = data as Record<string, unknown>;
  if (d.version !== 1) fail(`unsupported version ${String(d.version)}`);
  if (!Number.isInteger(d.nextUidValidity) || (d.nextUidValidity as number) < 1) fail('bad nextUidValidity');
  if (!Array.isArray(d.accounts)) fail('accounts is not a list');
  for (const a of d.accounts as unknown[]) {
    const acc = a as Record<string, unknown>;
    if (typeof acc?.user !== 'string' || typeof acc.password !== 'string')
      fail('account without user/password');
    if (!Array.isArray(acc.mailboxes)) fail(`account ${String(acc.user)} has no mailbox list`);
    if (
      acc.subscriptions !== undefined &&
      (!Array.isArray(acc.subscriptions) || !acc.subscriptions.every((n) => typeof n === 'string'))
    )
      fail(`account ${String(acc.user)}: subscriptions is not a list of names`);
    if (
      acc.listOrder !== undefined &&
      (!Array.isArray(acc.listOrder) || !acc.listOrder.every((n) => typeof n === 'string'))
    )
      fail(`account ${String(acc.user)}: listOrder is not a list of names`);
    for (const m of acc.mailboxes as unknown[]) {
      const mb = m as Record<string, unknown>;
      if (typeof mb?.name !== 'string') fail('mailbox without name');
      for (const k of ['uidValidity', 'uidNext', 'highestModSeq'])
        if (!Number.isInteger(mb[k]) || (mb[k] as number) < 1) fail(`mailbox ${String(mb.name)}: bad ${k}`);
      if (!Array.isArray(mb.messages)) fail(`mailbox ${String(mb.name)}: no message list`);
      let lastUid = 0;
      for (const x of mb.messages as unknown[]) {
        const msg = x as Record<string, unknown>;
        if (
          !Number.isInteger(msg?.uid) ||
          (msg.uid as number) <= lastUid ||
          (msg.uid as number) >= (mb.uidNext as number)
        )
          fail(`mailbox ${String(mb.name)}: UIDs must ascend and stay below UIDNEXT`);
        lastUid = msg.uid as number;
        if (typeof msg.raw !== 'string' || /[^\x00-\xff]/.test(msg.raw))
          fail(`message ${lastUid}: raw is not a byte string`);
        if (!Array.isArray(msg.flags) || !msg.flags.every((f) => typeof f === 'string'))
          fail(`message ${lastUid}: bad flags`);
        if (typeof msg.internalDate !== 'number' || !Number.isFinite(msg.internalDate))
          fail(`message ${lastUid}: bad date`);
        if (!Number.isInteger(msg.modseq)) fail(`message ${lastUid}: bad modseq`);
      }
    }
  }
  return data as StoreData;
}

// ---- byte strings ----------------------------------------------------------------

export function bytesToByteString(bytes: Uint8Array): ByteString {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return s;
}

export function byteStringToBytes(s: ByteString): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Encodes text as UTF-8 octets in a byte string. */
export function utf8ToByteString(text: string): ByteString {
  return bytesToByteString(new TextEncoder().encode(text));
}

/** Decodes a byte string as UTF-8 (invalid sequences become U+FFFD). */
export function byteStringToUtf8(s: ByteString): string {
  return new TextDecoder('utf-8').decode(byteStringToBytes(s));
}

/** Turns bare LF (and lone CR) into CRLF, as a server does when it stores a message. */
export function toCrlf(s: ByteString): ByteString {
  return s.replace(/\r\n|\r|\n/g, '\r\n');
}
