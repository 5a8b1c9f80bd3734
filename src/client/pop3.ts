/**
 * "Check mail" of a POP3 mail app, as common apps do it (RFC 1939):
 * USER/PASS, UIDL, RETR what UIDL memory has not seen, DELE per settings, QUIT.
 * The device's UIDL memory is the only thing that stops it downloading the
 * same message twice: POP3 has no notion of "read on another device".
 */
import type { DeviceEvent } from './events';
import { Link, LinkError, type DeviceEnv } from './link';
import { summarizeHeader } from './summary';
import type { DeviceData, LocalMessage } from './types';

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

type UidlListing = ReadonlyArray<{ readonly n: number; readonly uidl: string }>;

/** The last UIDL reply each device parsed, with its parse. */
const lastListings = new WeakMap<DeviceData, { raw: string; listing: UidlListing }>();

/** "n uidl" of a UIDL listing line (RFC 1939 §7), or null; what /^(\d+) (\S+)/ takes, without the RegExp. */
function parseUidlLine(line: string): { n: number; uidl: string } | null {
  const space = line.indexOf(' ');
  if (space <= 0) return null;
  for (let i = 0; i < space; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  let end = space + 1;
  while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
  if (end === space + 1) return null;
  return { n: Number(line.slice(0, space)), uidl: line.slice(space + 1, end) };
}

/** RegExp \s within a byte string: TAB, LF, VT, FF, CR, SP and NBSP. */
function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 160;
}

export function newKey(data: DeviceData): string {
  return `d${data.nextKey++}`;
}

export function pop3Check(data: DeviceData, env: DeviceEnv): Pop3CheckResult {
  const connection = env.connect('pop3', data.id);
  const link = new Link(connection, 'pop3', data.id, env, data.transcript);
  env.emit({ type: 'device.connected', device: data.id, protocol: 'pop3', connection: connection.id });
  let downloaded = 0;
  let deletedOnServer = 0;
  const done = (r: Pop3CheckResult['result'], detail?: string): Pop3CheckResult => {
    link.dispose();
    env.emit({
      type: 'device.disconnected',
      device: data.id,
      protocol: 'pop3',
      reason: r === 'ok' ? 'quit' : 'dropped',
    });
    return { result: r, downloaded, deletedOnServer, detail };
  };
  try {
    const greeting = link.pop3Reply(false);
    if (!greeting.ok) return done('unavailable', greeting.text);
    link.write(`USER ${data.user}`);
    const user = link.pop3Reply(false);
    if (!user.ok) return quitAfterFailure(link, done, 'auth-failed', user.text);
    link.write(`PASS ${data.password}`);
    const pass = link.pop3Reply(false);
    // RFC 2449 §8.1.1 [IN-USE]: another session holds the maildrop lock (RFC 1939 §8).
    if (!pass.ok) {
      const why = pass.code?.toUpperCase() === 'IN-USE' ? 'locked' : 'auth-failed';
      return quitAfterFailure(link, done, why, pass.text);
    }
    link.write('UIDL');
    const uidl = link.pop3Reply(true);
    if (!uidl.ok) return quitAfterFailure(link, done, 'error', uidl.text);
    // Between two checks the listing is often the very same: reuse its parse (and its
    // strings, whose hashes the lookups below then already know).
    let listing = lastListings.get(data)?.raw === uidl.raw ? lastListings.get(data)!.listing : null;
    if (!listing) {
      const parsed: Array<{ n: number; uidl: string }> = [];
      for (const line of uidl.lines) {
        const entry = parseUidlLine(line);
        if (entry) parsed.push(entry);
      }
      lastListings.set(data, { raw: uidl.raw, listing: parsed });
      listing = parsed;
    }
    const now = env.now();
    const seen = seenMirror(data);
    /** Listing entries the device knows; when it equals seen.size nothing else is remembered. */
    let known = 0;
    for (const entry of listing) {
      if (seen.has(entry.uidl)) {
        known++;
        continue;
      }
      link.write(`RETR ${entry.n}`);
      const retr = link.pop3Reply(true);
      if (!retr.ok) continue;
      const raw = retr.lines.join('\r\n') + '\r\n';
      const summary = summarizeHeader(raw);
      const local: LocalMessage = {
        key: newKey(data),
        folder: 'INBOX',
        ...summary,
        size: raw.length,
        flags: [],
        fetchedAt: now,
        uidl: entry.uidl,
      };
      data.messages.push(local);
      data.uidlSeen[entry.uidl] = now;
      seen.set(entry.uidl, now);
      known++;
      downloaded++;
      env.emit({
        type: 'device.downloaded',
        device: data.id,
        protocol: 'pop3',
        messageId: local.messageId,
        folder: 'INBOX',
        size: local.size,
      });
    }
    const s = data.settings.pop3;
    const pending = new Set(data.pendingServerDeletes);
    const toDelete = listing.filter((e) => {
      const firstSeen = seen.get(e.uidl);
      if (firstSeen === undefined) return false;
      if (!s.leaveOnServer) return true;
      if (s.removeAfterDays !== null && now - firstSeen >= s.removeAfterDays * DAY) return true;
      return s.removeWhenDeletedHere && pending.has(e.uidl);
    });
    const marked = new Set<string>();
    for (const e of toDelete) {
      link.write(`DELE ${e.n}`);
      if (link.pop3Reply(false).ok) marked.add(e.uidl);
    }
    // Only QUIT from TRANSACTION enters UPDATE and removes the marked messages (RFC 1939 §6).
    link.write('QUIT');
    const quit = link.pop3Reply(false);
    if (!quit.ok) return done('error', quit.text);
    deletedOnServer = marked.size;
    // Forget UIDLs no longer on the server, as apps prune their UIDL memory: the ones just
    // removed, and (only when the memory holds more than the listing) ones gone meanwhile.
    const forget = (u: string): void => {
      seen.delete(u);
      delete data.uidlSeen[u];
    };
    let still: Set<string> | null = null;
    const stillOnServer = (): Set<string> =>
      (still ??= new Set(listing.map((e) => e.uidl).filter((u) => !marked.has(u))));
    if (seen.size !== known) {
      const keep = stillOnServer();
      for (const u of [...seen.keys()]) if (!keep.has(u)) forget(u);
    } else for (const u of marked) forget(u);
    if (data.pendingServerDeletes.length) {
      const keep = stillOnServer();
      data.pendingServerDeletes = data.pendingServerDeletes.filter((u) => keep.has(u));
    }
    return done('ok');
  } catch (err) {
    if (err instanceof LinkError) return done('error', err.message);
    throw err;
  }
}

function quitAfterFailure(
  link: Link,
  done: (r: Pop3CheckResult['result'], detail?: string) => Pop3CheckResult,
  result: Pop3CheckResult['result'],
  detail: string,
): Pop3CheckResult {
  // Leave politely so the server releases the connection; nothing was marked, nothing is removed.
  if (!link.closed) {
    link.write('QUIT');
    if (!link.closed || link.buffer.length) link.pop3Reply(false);
  }
  return done(result, detail);
}
