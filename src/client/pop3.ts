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
    const listing: Array<{ n: number; uidl: string }> = [];
    for (const line of uidl.lines) {
      const m = /^(\d+) (\S+)/.exec(line);
      if (m) listing.push({ n: Number(m[1]), uidl: m[2] });
    }
    const now = env.now();
    for (const entry of listing) {
      if (entry.uidl in data.uidlSeen) continue;
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
      if (!(e.uidl in data.uidlSeen)) return false;
      if (!s.leaveOnServer) return true;
      if (s.removeAfterDays !== null && now - data.uidlSeen[e.uidl] >= s.removeAfterDays * DAY) return true;
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
    // Forget UIDLs no longer on the server, as apps prune their UIDL memory.
    const still = new Set(listing.map((e) => e.uidl).filter((u) => !marked.has(u)));
    for (const u of Object.keys(data.uidlSeen)) if (!still.has(u)) delete data.uidlSeen[u];
    data.pendingServerDeletes = data.pendingServerDeletes.filter((u) => still.has(u));
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
