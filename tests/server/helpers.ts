import { MailStore } from '../../src/mail/store';
import type { ByteString } from '../../src/mail/types';
import {
  createMailServer,
  type MailServer,
  type Pop3SessionOptions,
  type ServerConnection,
  type ServerEvent,
} from '../../src/server';

/**
 * The messages used to compare with Dovecot 2.3.19 on loopback (the measured replies quoted in
 * the tests and transcripts come from these exact octets).
 */
export const SAMPLE_MESSAGES: readonly ByteString[] = [
  'From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Hello\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nHi Alice,\r\nHow are you?\r\n',
  'From: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: Dots\r\n\r\nline one\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n',
  'From: Dan <dan@example.org>\r\nSubject: no final newline\r\n\r\nbody without crlf at end',
  'From: Eve <eve@example.org>\r\nSubject: long\r\n\r\n' +
    Array.from({ length: 20 }, (_, i) => `line ${i + 1}\r\n`).join(''),
  'From: Frank <frank@example.org>\r\nSubject: headers only\r\n',
];

export interface Lab {
  store: MailStore;
  server: MailServer;
  events: ServerEvent[];
}

/** No bad-command limit: for tests that send many bad lines on purpose. */
export const PATIENT: Pop3SessionOptions = { badCommandLimits: { authorization: 0, transaction: 0 } };

/** alice/wonderland with the sample messages in INBOX (UIDs 1..5), bob/builder with an empty one. */
export function makeLab(
  messages: readonly ByteString[] = SAMPLE_MESSAGES,
  options: Pop3SessionOptions = {},
): Lab {
  const store = new MailStore({ now: () => 1_700_000_000_000 });
  store.addAccount('alice', 'wonderland');
  store.addAccount('bob', 'builder');
  for (const m of messages) store.deliver('alice', 'INBOX', m);
  const server = createMailServer({ store, hostname: 'lab.example', ...options });
  const events: ServerEvent[] = [];
  server.subscribe((e) => events.push(e));
  return { store, server, events };
}

/** A connection with its output captured: `cmd` sends one line and returns what came back. */
export interface Client {
  conn: ServerConnection;
  greeting: ByteString;
  cmd(line: ByteString): ByteString;
  raw(bytes: ByteString): ByteString;
}

export function connect(server: MailServer, client?: string): Client {
  const conn = server.connect('pop3', { client });
  let out = '';
  conn.onOutput((b) => {
    out += b;
  });
  const take = () => {
    const o = out;
    out = '';
    return o;
  };
  const greeting = take();
  return {
    conn,
    greeting,
    raw(bytes) {
      conn.send(bytes);
      return take();
    },
    cmd(line) {
      conn.send(line + '\r\n');
      return take();
    },
  };
}

export function login(server: MailServer, user = 'alice', password = 'wonderland'): Client {
  const c = connect(server);
  c.cmd(`USER ${user}`);
  const r = c.cmd(`PASS ${password}`);
  if (!r.startsWith('+OK')) throw new Error(`login failed: ${r}`);
  return c;
}

/** Splits a reply stream into complete replies, knowing which commands answer multi-line. */
export function isWellFormedReply(bytes: ByteString, multiline: boolean): boolean {
  if (!/^(\+OK|-ERR)( \[[A-Z/-]+\])?( [^\r\n]*)?\r\n/.test(bytes) && !/^\+ [^\r\n]*\r\n$/.test(bytes))
    return false;
  if (!bytes.startsWith('+OK') || !multiline) return bytes.indexOf('\r\n') === bytes.length - 2;
  if (!bytes.endsWith('\r\n.\r\n')) return false;
  // Inside the body no line may be a lone "." (it would end the reply early).
  const body = bytes.slice(bytes.indexOf('\r\n') + 2, bytes.length - 3);
  return !body.split('\r\n').slice(0, -1).includes('.');
}
