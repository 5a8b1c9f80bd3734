/**
 * Test helpers: a mail server with the lab account and the fixture messages, and a client
 * wrapper that sends IMAP lines and returns exactly what came back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MailStore, toCrlf, type FolderSet } from '../../src/mail/store';
import { createImapSessionFactory, type ImapSessionOptions } from '../../src/server/imap/session';
import { createMailServer, type MailServer, type ServerConnection } from '../../src/server/server';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The fixture messages, in file-name order (UIDs 1..N), as byte strings. */
export function fixtureMessages(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => toCrlf(readFileSync(join(FIXTURE_DIR, f), 'latin1')));
}

export const FIXED_NOW = Date.UTC(2025, 2, 10, 12, 0, 0);

export interface StoreOptions {
  messages?: string[];
  uidValidity?: number;
  folders?: FolderSet;
  /**
   * MODSEQs as `npm run serve` (and Dovecot, finding the mail) starts them: HIGHESTMODSEQ 2 and
   * every message at MODSEQ 2, so counts compare with Dovecot's recorded ones.
   */
  asServe?: boolean;
}

export function makeStore(options: StoreOptions = {}): MailStore {
  let clock = FIXED_NOW;
  const store = new MailStore({ now: () => clock });
  store.addAccount('alice', 'wonderland', { folders: options.folders });
  for (const raw of options.messages ?? fixtureMessages())
    store.deliver('alice', 'INBOX', raw, { internalDate: clock });
  clock += 0;
  // As `npm run serve` does (and Dovecot, which indexes found messages in one sync): every
  // message starts with the mailbox's HIGHESTMODSEQ.
  for (const mb of store.listMailboxes('alice')) {
    if (options.asServe && mb.messages.length) mb.highestModSeq = 2;
    for (const m of mb.messages) m.modseq = mb.highestModSeq;
  }
  return store;
}

export class Client {
  private buf = '';
  constructor(readonly conn: ServerConnection) {
    conn.onOutput((b) => (this.buf += b));
  }
  /** Everything received since the last call. */
  take(): string {
    const out = this.buf;
    this.buf = '';
    return out;
  }
  /** Sends one line (CRLF added) and returns what the server answered to it. */
  cmd(line: string): string {
    this.conn.send(line + '\r\n');
    return this.take();
  }
  raw(bytes: string): string {
    this.conn.send(bytes);
    return this.take();
  }
  /** Lines of the last answer, without CRLF. */
  lines(line: string): string[] {
    return this.cmd(line).split('\r\n').slice(0, -1);
  }
}

export function setup(options: Omit<StoreOptions, 'uidValidity'> & { imap?: ImapSessionOptions } = {}): {
  store: MailStore;
  server: MailServer;
  open: (protocol?: 'imap' | 'pop3') => Client;
} {
  const store = makeStore(options);
  const server = createMailServer({
    store,
    hostname: 'lab.example',
    ...(options.imap ? { sessionFactories: { imap: createImapSessionFactory(options.imap) } } : {}),
  });
  return { store, server, open: (protocol = 'imap') => new Client(server.connect(protocol)) };
}

/** A client already logged in (and optionally with a mailbox selected). */
export function loggedIn(open: () => Client, select?: string): Client {
  const c = open();
  c.take();
  c.cmd('l0 LOGIN alice wonderland');
  if (select) c.cmd(`s0 SELECT ${select}`);
  return c;
}
