/**
 * "Check mail" of a POP3 mail app, as common apps do it (RFC 1939):
 * USER/PASS, UIDL, RETR what UIDL memory has not seen, DELE per settings, QUIT.
 * The device's UIDL memory is the only thing that stops it downloading the
 * same message twice: POP3 has no notion of "read on another device".
 */
import type { DeviceEvent } from './events';
import { keptBytes, Link, LinkError, type DeviceEnv } from './link';
import { noteAppended } from './local-index';
import { detach, summarizeHeader } from './summary';
import type { DeviceData, LocalMessage } from './types';
import { pop3Body } from './wire';

const DAY = 24 * 60 * 60 * 1000;

export interface Pop3CheckResult {
  result: Extract<DeviceEvent, { type: 'device.check' }>['result'];
  downloaded: number;
  deletedOnServer: number;
  detail?: string;
}

/**
 * A Map mirror of each `uidlSeen` record, keyed by the record itself: a year of checks looks up
 * millions of UIDLs, and Map lookups are several times faster than `in` on a large record. Only
 * pop3Check changes a record in place (and keeps its mirror in step); any code that replaces
 * the record (a new device, load, undo) gets a fresh mirror on the next check.
 */
const seenMirrors = new WeakMap<Record<string, number>, Map<string, number>>();

function seenMirror(data: DeviceData): Map<string, number> {
  let mirror = seenMirrors.get(data.uidlSeen);
  if (!mirror) {
    mirror = new Map(Object.entries(data.uidlSeen));
    seenMirrors.set(data.uidlSeen, mirror);
  }
  return mirror;
}

/** A parsed UIDL listing: message numbers and unique-ids, in listing order. */
export interface UidlListing {
  /** The message number of each line; null when line k is message k + 1 throughout (the usual case). */
  readonly ns: readonly number[] | null;
  readonly uidls: readonly string[];
  /**
   * For each line, the index in the previous listing of the same unique-id (the very string
   * was reused), or -1. Null when there was no previous listing to compare with.
   */
  readonly prevAt: readonly number[] | null;
}

/**
 * The last UIDL listing each device parsed (keyed like `seenMirrors`: the device data object
 * itself is replaced on every step), and, once that check completed with QUIT, what the UIDL
 * memory held for each line then (`firstSeen[k]` for `listing.uidls[k]`, or NaN when it was
 * not remembered or was forgotten at QUIT).
 *
 * After a completed check the memory holds only unique-ids of that listing (pop3Check forgets
 * the rest), and only pop3Check changes a record in place, so at the next check a line found in
 * the last listing needs no lookup, and what the memory holds beyond the new listing is exactly
 * the remembered lines of the last listing that the new one no longer has.
 */
interface LastListing {
  listing: UidlListing;
  /** NaN where nothing was remembered. */
  firstSeen: number[] | null;
}
const lastListings = new WeakMap<Record<string, number>, LastListing>();

/**
 * The "n uidl" lines of a UIDL listing (RFC 1939 §7), read straight out of the reply's bytes:
 * what /^(\d+) (\S+)/ takes from each body line, without splitting the body into lines first.
 * Lines that do not match are skipped. A listing line never starts with "." (it starts with a
 * digit), so byte-stuffing cannot matter for the lines taken.
 *
 * `previous` is the device's last listing. From one check to the next most unique-ids are the
 * same, in the same order (new mail is appended, removed mail leaves a gap), so each line is
 * compared in place with the next expected unique-id and, when equal, that very string is
 * reused. Measured: a freshly sliced string costs the UIDL memory's Map far more (hashing and
 * comparing a sliced string) than a string it already holds, found by identity.
 */
export function parseUidlListing(raw: string, previous: Pick<UidlListing, 'uidls'> | null): UidlListing {
  const memo = lastParsed;
  if (memo !== null && memo.raw === raw)
    return { ns: memo.ns, uidls: memo.uidls, prevAt: previous ? matchPrevious(memo, previous.uidls) : null };
  let ns: number[] | null = null;
  /** Entries whose line is not exactly "n" SP unique-id CRLF (see ParsedListing.loose). */
  let loose: number[] | null = null;
  const prev = previous ? previous.uidls : [];
  // Sized for the usual listing (the last one and a little new mail) and cut to length at the
  // end: growing them line by line allocated several times their size on every check.
  const capacity = prev.length + 16;
  const uidls = new Array<string>(capacity);
  const at = new Array<number>(capacity);
  let count = 0;
  let j = 0;
  let pos = raw.indexOf('\r\n') + 2;
  // The body ends with CRLF "." CRLF; `stop` is where the terminating "." starts.
  const stop = raw.length - 3;
  while (pos < stop) {
    let i = pos;
    let n = 0;
    for (let c = raw.charCodeAt(i); c >= 48 && c <= 57 && i < stop; c = raw.charCodeAt(++i))
      n = n * 10 + c - 48;
    const from = i + 1;
    // Long digit strings go through Number() as the RegExp version did.
    const number = i > pos && i - pos > 15 ? Number(raw.slice(pos, i)) : n;
    // The fast path: the line is exactly "n" SP <the next unique-id of the last listing> CRLF.
    // That string has no white space (a parse like this one took it), so it is what the scan
    // below would take.
    if (i > pos && raw.charCodeAt(i) === 32 && j < prev.length) {
      const expected = prev[j];
      const end = from + expected.length;
      if (
        end <= stop - 2 &&
        raw.charCodeAt(end) === 13 &&
        raw.charCodeAt(end + 1) === 10 &&
        raw.charCodeAt(from) === expected.charCodeAt(0) &&
        // Measured: indexOf at the very position is several times faster than startsWith; the
        // first character was compared above, so a mismatch seldom scans on.
        raw.indexOf(expected, from) === from
      ) {
        if (ns !== null || number !== count + 1) ns = withNumber(ns, count, number);
        uidls[count] = expected;
        at[count++] = j;
        j++;
        pos = end + 2;
        continue;
      }
    }
    let eol = raw.indexOf('\r\n', i);
    if (eol < 0 || eol > stop) eol = stop;
    if (i > pos && i < eol && raw.charCodeAt(i) === 32) {
      let end = from;
      while (end < eol && !isSpace(raw.charCodeAt(end))) end++;
      if (end > from) {
        if (ns !== null || number !== count + 1) ns = withNumber(ns, count, number);
        // `eol` is a real CRLF unless it was cut to `stop`; the fast path needs the unique-id to end there.
        if (end !== eol || eol > stop - 2) (loose ??= []).push(count);
        // Messages removed meanwhile leave a gap: look a little further in the last listing.
        let found = -1;
        for (let k = j + 1; k < prev.length && k <= j + 32; k++) {
          if (prev[k].length === end - from && raw.startsWith(prev[k], from)) {
            found = k;
            j = k + 1;
            break;
          }
        }
        // A copy, not a view of the listing: the memory keeps it for weeks (summary.ts `detach`).
        uidls[count] = found >= 0 ? prev[found] : detach(raw.slice(from, end));
        at[count++] = found;
      }
    }
    pos = eol + 2;
  }
  uidls.length = count;
  at.length = count;
  lastParsed = { raw, ns, uidls, loose };
  return { ns, uidls, prevAt: previous ? at : null };
}

/**
 * The last listing any device parsed, with its bytes. Every device of a world checks the same
 * maildrop, and until mail comes or goes the server sends each of them the same listing: a year
 * of POP3 checks parsed the very same bytes again in more than half of its 20,000 checks.
 * Parsing is a function of the bytes and the device's previous listing; what depends on the
 * bytes alone (numbers, unique-ids, which lines are exactly "n" SP unique-id CRLF) is kept here,
 * and `matchPrevious` works out the rest as the parse would have.
 */
interface ParsedListing {
  readonly raw: string;
  readonly ns: readonly number[] | null;
  readonly uidls: readonly string[];
  /** Entries whose line has more after the unique-id than CRLF (the parse's fast path never takes them); null when none. */
  readonly loose: readonly number[] | null;
}
let lastParsed: ParsedListing | null = null;

/** Forgets the last parsed listing (tests compare a parse from the bytes with one from memory). */
export function forgetParsedListing(): void {
  lastParsed = null;
}

/**
 * `prevAt` of a listing parsed before, against a device's previous unique-ids: the walk
 * parseUidlListing makes. An entry is matched in place when its line is exactly "n" SP
 * unique-id CRLF and the unique-id is the next expected one; otherwise it is looked for a
 * little further on (a gap left by removed mail).
 */
function matchPrevious(parsed: ParsedListing, prev: readonly string[]): number[] {
  const { uidls, loose } = parsed;
  const at = new Array<number>(uidls.length);
  let j = 0;
  let nextLoose = loose === null ? -1 : 0;
  for (let k = 0; k < uidls.length; k++) {
    const id = uidls[k];
    let exact = true;
    if (nextLoose >= 0 && loose![nextLoose] === k) {
      exact = false;
      nextLoose = nextLoose + 1 < loose!.length ? nextLoose + 1 : -1;
    }
    if (exact && j < prev.length && prev[j] === id) {
      at[k] = j++;
      continue;
    }
    let found = -1;
    for (let q = j + 1; q < prev.length && q <= j + 32; q++) {
      if (prev[q] === id) {
        found = q;
        j = q + 1;
        break;
      }
    }
    at[k] = found;
  }
  return at;
}

/**
 * Notes that line `k` of a listing has number `n`: the numbers array is made at the first line
 * that is not k + 1 (`ns` null means every line so far was). A module function, not a closure
 * per listing.
 */
function withNumber(ns: number[] | null, k: number, n: number): number[] | null {
  if (ns === null) {
    if (n === k + 1) return null;
    ns = [];
    for (let i = 0; i < k; i++) ns.push(i + 1);
  }
  ns.push(n);
  return ns;
}

/** RegExp \s within a byte string: TAB, LF, VT, FF, CR, SP and NBSP. */
function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 160;
}

export function newKey(data: DeviceData): string {
  return `d${data.nextKey++}`;
}

/**
 * One "check mail". With `breakBeforeQuit` the connection breaks where QUIT would go (after the
 * RETRs and DELEs): the session never enters UPDATE, so the server removes nothing and commits
 * no \Seen (RFC 1939 §6); what the app already stored, and the UIDLs it noted on the way, stay.
 */
export function pop3Check(
  data: DeviceData,
  env: DeviceEnv,
  options: { breakBeforeQuit?: boolean } = {},
): Pop3CheckResult {
  const connection = env.connect('pop3', data.id);
  const link = new Link(connection, 'pop3', data.id, env, data.transcript);
  env.emit({ type: 'device.connected', device: data.id, protocol: 'pop3', connection: connection.id });
  let downloaded = 0;
  let deletedOnServer = 0;
  try {
    const greeting = link.pop3Reply(false);
    if (!greeting.ok) return done(link, env, data, 'unavailable', 0, 0, greeting.text);
    link.write(`USER ${data.user}`);
    const user = link.pop3Reply(false);
    if (!user.ok) return quitAfterFailure(link, env, data, 'auth-failed', user.text);
    link.write(`PASS ${data.password}`);
    const pass = link.pop3Reply(false);
    // RFC 2449 §8.1.1 [IN-USE]: another session holds the maildrop lock (RFC 1939 §8).
    if (!pass.ok) {
      const why = pass.code?.toUpperCase() === 'IN-USE' ? 'locked' : 'auth-failed';
      return quitAfterFailure(link, env, data, why, pass.text);
    }
    link.write('UIDL');
    const uidl = link.pop3Reply(true);
    if (!uidl.ok) return quitAfterFailure(link, env, data, 'error', uidl.text);
    const last = lastListings.get(data.uidlSeen);
    // The listing is read against the last one (most lines are the same); the reply's bytes are
    // not kept: holding every device's last listing alive cost more in garbage collection than
    // comparing it whole saved when nothing changed.
    const listing = parseUidlListing(uidl.raw, last?.listing ?? null);
    // What the memory held for each line of the last listing, if that check completed (see LastListing).
    const before = last?.firstSeen ?? null;
    const prevAt = listing.prevAt;
    const entry: LastListing = { listing, firstSeen: null };
    lastListings.set(data.uidlSeen, entry);
    const { uidls } = listing;
    /** The message number of line k: k + 1 unless the listing said otherwise. */
    const ns = listing.ns;
    const now = env.now();
    const seen = seenMirror(data);
    const s = data.settings.pop3;
    const pending = data.pendingServerDeletes.length ? new Set(data.pendingServerDeletes) : null;
    const removeAfter = s.removeAfterDays === null ? null : s.removeAfterDays * DAY;
    /** Listing positions to DELE per the settings, in listing order, decided in the same pass as the RETRs. */
    const toDelete: number[] = [];
    /** What the memory holds for each line, as the check goes. */
    // Plain arrays, not typed ones: V8 makes a small typed array far more slowly (measured).
    const firstSeenAt = new Array<number>(uidls.length).fill(NaN);
    /** Listing entries the device knows; when it equals seen.size nothing else is remembered. */
    let known = 0;
    /** Lines known from the memory's Map rather than from the last listing. */
    let looked = 0;
    for (let k = 0; k < uidls.length; k++) {
      const id = uidls[k];
      let firstSeen: number | undefined;
      if (before !== null && prevAt !== null) {
        const j = prevAt[k];
        if (j >= 0 && before[j] === before[j]) firstSeen = before[j]; // not NaN
      }
      if (firstSeen === undefined) {
        firstSeen = seen.get(id);
        if (firstSeen !== undefined) looked++;
      }
      if (firstSeen !== undefined) {
        firstSeenAt[k] = firstSeen;
        known++;
        if (shouldDelete(s, removeAfter, pending, now - firstSeen, id)) toDelete.push(k);
        continue;
      }
      const retrLine = `RETR ${ns === null ? k + 1 : ns[k]}`;
      link.write(retrLine);
      const retr = link.pop3Reply(true);
      if (!retr.ok) continue;
      const raw = pop3Body(retr);
      const summary = summarizeHeader(raw);
      const local: LocalMessage = {
        key: newKey(data),
        folder: 'INBOX',
        ...summary,
        size: raw.length,
        flags: [],
        fetchedAt: now,
        uidl: id,
      };
      const kept = keptBytes(env, raw);
      if (kept !== undefined) local.raw = kept;
      data.messages.push(local);
      noteAppended(data.messages, local);
      data.uidlSeen[id] = now;
      seen.set(id, now);
      firstSeenAt[k] = now;
      known++;
      downloaded++;
      env.emit({
        type: 'device.downloaded',
        device: data.id,
        protocol: 'pop3',
        messageId: local.messageId,
        subject: local.subject,
        folder: 'INBOX',
        size: local.size,
        command: retrLine,
      });
      if (shouldDelete(s, removeAfter, pending, 0, id)) toDelete.push(k);
    }
    const marked = new Set<string>();
    for (const k of toDelete) {
      link.write(`DELE ${ns === null ? k + 1 : ns[k]}`);
      if (link.pop3Reply(false).ok) {
        marked.add(uidls[k]);
        firstSeenAt[k] = NaN;
      }
    }
    if (options.breakBeforeQuit) {
      // No QUIT: the UIDL memory is not pruned either (the app never saw the session end).
      return done(link, env, data, 'dropped', downloaded, 0, 'the connection broke before QUIT');
    }
    // Only QUIT from TRANSACTION enters UPDATE and removes the marked messages (RFC 1939 §6).
    link.write('QUIT');
    const quit = link.pop3Reply(false);
    if (!quit.ok) return done(link, env, data, 'error', downloaded, 0, quit.text);
    deletedOnServer = marked.size;
    // Forget UIDLs no longer on the server, as apps prune their UIDL memory: the ones just
    // removed, and (only when the memory holds more than the listing) ones gone meanwhile.
    let still: Set<string> | null = null;
    if (seen.size !== known) {
      if (before !== null && prevAt !== null && looked === 0) {
        // The memory held only lines of the last listing: what it holds beyond this one is the
        // remembered lines of the last listing that this one no longer has. (Only when every
        // known line was matched with the last listing: a line found through the Map instead,
        // e.g. one moved far from its old place, may be a last-listing line not matched.)
        const kept = new Array<number>(before.length).fill(0);
        for (let k = 0; k < prevAt.length; k++) if (prevAt[k] >= 0) kept[prevAt[k]] = 1;
        const old = last!.listing.uidls;
        for (let j = 0; j < before.length; j++)
          if (kept[j] === 0 && before[j] === before[j]) forget(seen, data, old[j]);
        for (const u of marked) forget(seen, data, u);
      } else {
        const keep = (still ??= stillOnServer(uidls, marked));
        // Deleting while iterating is safe: a Map iterator skips entries removed meanwhile.
        for (const u of seen.keys()) if (!keep.has(u)) forget(seen, data, u);
      }
    } else for (const u of marked) forget(seen, data, u);
    if (data.pendingServerDeletes.length) {
      const keep = (still ??= stillOnServer(uidls, marked));
      data.pendingServerDeletes = data.pendingServerDeletes.filter((u) => keep.has(u));
    }
    entry.firstSeen = firstSeenAt;
    return done(link, env, data, 'ok', downloaded, deletedOnServer);
  } catch (err) {
    if (err instanceof LinkError)
      return done(link, env, data, 'error', downloaded, deletedOnServer, err.message);
    throw err;
  }
}

// pop3Check's helpers are module functions, not closures made on every check.

/** Ends a check: the link closes and the device says so. */
function done(
  link: Link,
  env: DeviceEnv,
  data: DeviceData,
  r: Pop3CheckResult['result'],
  downloaded: number,
  deletedOnServer: number,
  detail?: string,
): Pop3CheckResult {
  link.dispose();
  env.emit({
    type: 'device.disconnected',
    device: data.id,
    protocol: 'pop3',
    reason: r === 'ok' ? 'quit' : 'dropped',
  });
  return { result: r, downloaded, deletedOnServer, detail };
}

/** Whether the settings say DELE for a message the device first saw `age` ms ago. */
function shouldDelete(
  s: DeviceData['settings']['pop3'],
  removeAfter: number | null,
  pending: Set<string> | null,
  age: number,
  uidl: string,
): boolean {
  return (
    !s.leaveOnServer ||
    (removeAfter !== null && age >= removeAfter) ||
    (s.removeWhenDeletedHere && pending !== null && pending.has(uidl))
  );
}

/** Forgets a unique-id: from the UIDL memory and its Map mirror. */
function forget(seen: Map<string, number>, data: DeviceData, u: string): void {
  seen.delete(u);
  delete data.uidlSeen[u];
}

/** The listing's unique-ids less those just removed. */
function stillOnServer(uidls: readonly string[], marked: ReadonlySet<string>): Set<string> {
  const keep = new Set<string>();
  for (const u of uidls) if (!marked.has(u)) keep.add(u);
  return keep;
}

function quitAfterFailure(
  link: Link,
  env: DeviceEnv,
  data: DeviceData,
  result: Pop3CheckResult['result'],
  detail: string,
): Pop3CheckResult {
  // Leave politely so the server releases the connection; nothing was marked, nothing is removed.
  if (!link.closed) {
    link.write('QUIT');
    if (!link.closed || link.buffer.length) link.pop3Reply(false);
  }
  return done(link, env, data, result, 0, 0, detail);
}
