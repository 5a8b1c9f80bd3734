import type { MailStore } from '../../src/mail/store';
import type { ByteString } from '../../src/mail/types';
import type { MailServer, ServerConnection } from '../../src/server';
import type { Protocol } from '../../src/server/types';

/**
 * Transcript replayer, for POP3 now and IMAP later. A transcript is a plain text file:
 *
 *   # a comment                 ignored, as are blank lines
 *   S: +OK {*}                  the next line the server sends ({*} matches any text)
 *   C: USER alice               a line the client sends (CRLF is added)
 *   C1: ... / S1: ...           the same for connection "1" (any name of letters and digits);
 *                               a connection opens when its name is first used
 *   ! connect NAME [protocol]   open a connection explicitly (default protocol: the replayer's)
 *   ! drop [NAME]               the client vanishes (no QUIT/LOGOUT)
 *   ! closed [NAME]             the server must have closed NAME (no NAME: the unnamed one)
 *   ! deliver USER MAILBOX TEXT deliver a message (TEXT with \r \n \t \\ \xHH escapes)
 *   ! uids USER MAILBOX 1 2 3   the mailbox must hold exactly these UIDs
 *   ! flags USER MAILBOX UID F  the message must have exactly these flags (space-separated)
 *   ! state [NAME] STATE        the session must be in STATE
 *
 * C: and S: text may use the same escapes. Every S: line is compared with the next line of
 * output of that connection; at the end, no connection may have unread output.
 */

export interface ReplayOptions {
  server: MailServer;
  store: MailStore;
  protocol: Protocol;
}

export interface ReplayFailure {
  line: number;
  message: string;
}

export function unescapeTranscript(s: string): ByteString {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[rnt\\])/g, (_, e: string) =>
    e[0] === 'x'
      ? String.fromCharCode(parseInt(e.slice(1), 16))
      : e === 'r'
        ? '\r'
        : e === 'n'
          ? '\n'
          : e === 't'
            ? '\t'
            : '\\',
  );
}

function matches(expected: string, actual: string): boolean {
  if (!expected.includes('{*}')) return expected === actual;
  const re = new RegExp(
    '^' +
      expected
        .split('{*}')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
    's',
  );
  return re.test(actual);
}

export function replayTranscript(text: string, options: ReplayOptions): ReplayFailure[] {
  const failures: ReplayFailure[] = [];
  const conns = new Map<string, { conn: ServerConnection; pending: string; lines: string[] }>();
  const open = (name: string, protocol: Protocol = options.protocol) => {
    const conn = options.server.connect(protocol, { client: `transcript ${name || 'C'}` });
    const entry = { conn, pending: '', lines: [] as string[] };
    conn.onOutput((b) => {
      entry.pending += b;
      let i: number;
      while ((i = entry.pending.indexOf('\r\n')) >= 0) {
        entry.lines.push(entry.pending.slice(0, i));
        entry.pending = entry.pending.slice(i + 2);
      }
    });
    conns.set(name, entry);
    return entry;
  };
  const get = (name: string) => conns.get(name) ?? open(name);

  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const fail = (message: string) => failures.push({ line: lineNo, message });
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const io = /^([CS])([A-Za-z0-9]*): ?(.*)$/.exec(raw);
    if (io) {
      const [, who, name, body] = io;
      const entry = get(name);
      if (who === 'C') {
        if (entry.conn.closed) fail(`connection "${name}" is closed; cannot send ${body}`);
        else entry.conn.send(unescapeTranscript(body) + '\r\n');
      } else {
        const expected = unescapeTranscript(body);
        const actual = entry.lines.shift();
        if (actual === undefined) fail(`expected S${name}: ${body} but the server sent nothing`);
        else if (!matches(expected, actual))
          fail(`expected S${name}: ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
      return;
    }
    const directive = /^!\s*(\S+)\s*(.*)$/.exec(raw);
    if (!directive) return fail(`cannot read line: ${raw}`);
    const [, verb, rest] = directive;
    const args = rest.split(/\s+/).filter(Boolean);
    switch (verb) {
      case 'connect':
        open(args[0] ?? '', (args[1] as Protocol) ?? options.protocol);
        break;
      case 'drop':
        get(args[0] ?? '').conn.close();
        break;
      case 'closed':
        if (!get(args[0] ?? '').conn.closed) fail(`connection "${args[0]}" is still open`);
        break;
      case 'state': {
        const [name, state] = args.length === 1 ? ['', args[0]] : args;
        const s = get(name).conn.state;
        if (s !== state) fail(`connection "${name}" is in ${s}, expected ${state}`);
        break;
      }
      case 'deliver': {
        const m = /^(\S+)\s+(\S+)\s+(.*)$/.exec(rest);
        if (!m) return fail('usage: ! deliver USER MAILBOX TEXT');
        options.store.deliver(m[1], m[2], unescapeTranscript(m[3]));
        break;
      }
      case 'uids': {
        const mb = options.store.getMailbox(args[0], args[1]);
        const got = mb?.messages.map((m) => String(m.uid)).join(' ');
        if (got !== args.slice(2).join(' '))
          fail(`${args[0]} ${args[1]} holds UIDs [${got}], expected [${args.slice(2).join(' ')}]`);
        break;
      }
      case 'flags': {
        const got = options.store.getMessage(args[0], args[1], Number(args[2]))?.flags.join(' ');
        if (got !== args.slice(3).join(' '))
          fail(`UID ${args[2]} has flags [${got}], expected [${args.slice(3).join(' ')}]`);
        break;
      }
      default:
        fail(`unknown directive ${verb}`);
    }
  });
  for (const [name, entry] of conns) {
    if (entry.lines.length || entry.pending)
      failures.push({
        line: 0,
        message: `connection "${name}" has unread output: ${JSON.stringify(entry.lines.join('\r\n') + entry.pending)}`,
      });
  }
  return failures;
}
