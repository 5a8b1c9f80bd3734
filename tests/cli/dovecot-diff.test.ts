/**
 * Differential test: the same POP3 sessions against our server (over TCP) and against Debian's
 * Dovecot holding the same messages. Replies are compared the way the project is judged: status,
 * response codes, counts, sizes and message bytes; free text is ignored. Skipped without Dovecot
 * (or without root, which Dovecot's privilege separation needs).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type RunningServers } from '../../src/cli/serve';
import { LAB_INBOX } from '../../src/mail/fixtures';
import { dovecotAvailable, pop3MultiLine, RawPop3, startDovecot, type Dovecot } from './helpers';

/** What of a reply must match Dovecot's. */
function normalize(command: string, reply: string): string {
  const eol = reply.indexOf('\r\n');
  const first = eol < 0 ? reply : reply.slice(0, eol);
  const status = /^(\+OK|-ERR)/.exec(first)?.[1] ?? `?${first}`;
  const code = /^(?:\+OK|-ERR) (\[[^\]]*\])/.exec(first)?.[1];
  let out = status + (code ? ' ' + code : '');
  const [name, ...args] = command.trim().split(/\s+/);
  const n = name.toUpperCase();
  if (status === '+OK') {
    // Counts and sizes in single-line replies (RFC 1939 §5: STAT, LIST n, UIDL n).
    if (n === 'STAT' || (n === 'LIST' && args.length)) out = first;
    // UIDL values are each server's own choice (Dovecot: UID + UIDVALIDITY in hex); compare numbers.
    if (n === 'UIDL' && args.length) out = first.split(' ').slice(0, 2).join(' ');
    if (pop3MultiLine(command)) {
      let body = reply.slice(eol + 2);
      if (n === 'UIDL') body = body.replace(/^(\d+) \S+/gm, '$1 <uid>');
      if (n !== 'CAPA') out += '\n' + body;
    }
  }
  return out;
}

// Sessions run in this order on both servers; later ones see what earlier ones committed.
const SESSIONS: string[][] = [
  // Authorization state: errors before login, bad password, case variations.
  ['FOO', '', 'USER alice', 'PASS wonderland', 'QUIT'],
  ['user alice', 'pass wonderland', 'stat', 'QUIT'],
  // Transaction state: every command and its error paths.
  [
    'USER alice',
    'PASS wonderland',
    'STAT',
    'LIST',
    'UIDL',
    'LIST 1',
    'LIST 12',
    'LIST 13',
    'LIST 0',
    'LIST abc',
    'LIST 1 2',
    'UIDL 3',
    'UIDL 99',
    'RETR 5',
    'RETR 3',
    'RETR 0',
    'RETR',
    'TOP 5 0',
    'TOP 5 3',
    'TOP 2 1000',
    'TOP 1',
    'TOP 1 -1',
    'TOP 1 x',
    'NOOP',
    'NOOP extra',
    'DELE 1',
    'DELE 1',
    'LIST 1',
    'RETR 1',
    'TOP 1 0',
    'UIDL 1',
    'STAT',
    'LIST',
    'RSET',
    'STAT',
    'LIST 1',
    'DELE 2',
    'DELE 4',
    'STAT',
    'USER alice',
    'PASS wonderland',
    'QUIT',
  ],
  // After UPDATE: messages 2 and 4 are gone, the others renumbered.
  ['USER alice', 'PASS wonderland', 'STAT', 'LIST', 'UIDL', 'RETR 2', 'QUIT'],
  // SASL PLAIN with an initial response (RFC 5034).
  ['AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=', 'STAT', 'QUIT'],
  // Last, and only one failed login: after one, Dovecot's anvil slows further logins from the IP.
  ['STAT', 'PASS wonderland', 'AUTH FOO', 'USER alice', 'PASS wrong', 'QUIT'],
];

describe.runIf(dovecotAvailable())('POP3 replies match Dovecot', () => {
  let dovecot: Dovecot | null;
  let lab: RunningServers;
  const results: { lab: string[]; dovecot: string[] }[] = [];

  async function play(port: number, commands: string[]): Promise<string[]> {
    const c = await RawPop3.open(port);
    const out = [normalize('', await c.greeting())];
    for (const cmd of commands) {
      out.push(`C: ${cmd}\nS: ${normalize(cmd, await c.command(cmd))}`);
      if (/^quit$/i.test(cmd)) break;
    }
    c.close();
    return out;
  }

  beforeAll(async () => {
    dovecot = await startDovecot(LAB_INBOX);
    lab = await startServers({ pop3Port: 0, imapPort: 0, log: () => {} });
    for (const session of SESSIONS) {
      results.push({
        lab: await play(lab.pop3.port, session),
        dovecot: dovecot ? await play(dovecot.pop3Port, session) : [],
      });
    }
  }, 60000);
  afterAll(async () => {
    await lab?.close();
    await dovecot?.stop();
  });

  // Dovecot's pop3-login answers the third bad command before login with an extra line
  // "-ERR Too many invalid bad commands." and disconnects; so does our engine (badCommandLimits).
  it('disconnects after three bad commands before login, as Dovecot does', async () => {
    const session = ['FOO', 'STAT', 'BAR', 'USER alice', 'QUIT'];
    const ours = await play(lab.pop3.port, session);
    const theirs = dovecot ? await play(dovecot.pop3Port, session) : [];
    expect(ours.join('\n')).toBe(theirs.join('\n'));
  });

  it.each(SESSIONS.map((s, i) => [i + 1, s.slice(0, 3).join(' / ')]))('session %i (%s)', (i) => {
    if (!dovecot) return;
    const r = results[(i as number) - 1];
    expect(r.lab.join('\n')).toBe(r.dovecot.join('\n'));
  });
});

/** Runs tagged IMAP commands one at a time; returns each command's untagged lines and tagged status. */
async function imapSession(port: number, commands: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let buf = '';
  let closed = false;
  socket.on('data', (d: string) => (buf += d));
  socket.on('close', () => (closed = true));
  const wait = async (re: RegExp) => {
    while (!re.test(buf) && !closed) await new Promise((r) => setTimeout(r, 2));
  };
  await wait(/\r\n/);
  const out: string[] = [];
  for (const [i, line] of commands.entries()) {
    buf = '';
    socket.write(`t${i} ${line}\r\n`);
    await wait(new RegExp(`(^|\\n)t${i} (OK|NO|BAD)[^\\r]*\\r\\n$`));
    // Keep status and response code of the tagged line; its free text is not compared.
    out.push(`C: ${line}\n` + buf.replace(new RegExp(`^(t${i} [A-Z]+(?: \\[[^\\]]*\\])?).*$`, 'm'), '$1'));
  }
  socket.destroy();
  return out;
}

describe.runIf(dovecotAvailable())('IMAP message structure matches Dovecot', () => {
  // The MIME model feeds these: sizes, BODYSTRUCTURE, ENVELOPE and section offsets.
  const commands = [
    'FETCH 1:* (RFC822.SIZE BODYSTRUCTURE)',
    'FETCH 1:* (ENVELOPE)',
    'FETCH 1:* (BODY)',
    'FETCH 3 (BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])',
    'FETCH 6 (BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[1.MIME])',
    'FETCH 2 (BODY.PEEK[TEXT]<10.40> BODY.PEEK[2] BODY.PEEK[3])',
  ];
  let dovecot: Dovecot | null;
  let lab: RunningServers;
  let ours: string[] = [];
  let theirs: string[] = [];
  beforeAll(async () => {
    dovecot = await startDovecot(LAB_INBOX);
    lab = await startServers({ pop3Port: 0, imapPort: 0, log: () => {} });
    const all = ['LOGIN alice wonderland', 'EXAMINE INBOX', ...commands, 'LOGOUT'];
    ours = (await imapSession(lab.imap.port, all)).slice(2, -1);
    theirs = dovecot ? (await imapSession(dovecot.imapPort, all)).slice(2, -1) : [];
  }, 60000);
  afterAll(async () => {
    await lab?.close();
    await dovecot?.stop();
  });

  it.each(commands.map((c, i) => [i, c]))('%i: %s', (i) => {
    if (!dovecot) return;
    expect(ours[i as number]).toMatch(/^\* \d+ FETCH /m);
    expect(ours[i as number]).toBe(theirs[i as number]);
  });
});
