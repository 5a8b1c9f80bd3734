/**
 * `npm run serve`: the lab's POP3 and IMAP engine behind real TCP sockets, so real mail clients
 * (curl, fetchmail, python's poplib/imaplib, Thunderbird, imapflow) can talk to it.
 *
 * The bridge is thin on purpose: each socket becomes one `server.connect(protocol)` connection
 * and carries bytes both ways unchanged (latin1 = one char per octet). Protocol behaviour lives
 * in the sessions; here are only the socket concerns: idle timeouts, a hard line-length guard,
 * backpressure, connection limits and a clean shutdown.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createLabStore, LAB_PASSWORD, LAB_USER, type LabMessage } from '../mail/fixtures';
import { FOLDER_SETS, type FolderSet, type MailStore } from '../mail/store';
import { createMailServer } from '../server';
import { createImapSessionFactory, DOVECOT_IDLE_NOTIFY_DELAY_MS } from '../server/imap/session';
import type { Connection, Protocol } from '../server/types';
import { importEmlDir, importMbox } from './import';

export interface ServeOptions {
  host: string;
  pop3Port: number;
  imapPort: number;
  user: string;
  password: string;
  /** Folder of .eml files for INBOX (file-name order), instead of the lab's default mailbox. */
  messages?: string;
  /** mbox file for INBOX, instead of the lab's default mailbox. */
  mbox?: string;
  /** The account's starting mailboxes: INBOX plus the special-use folders, or INBOX alone. */
  folders: FolderSet;
  /** Idle timeouts in seconds: RFC 1939 §3 asks at least 10 minutes, RFC 9051 §5.4 at least 30. */
  pop3IdleTimeout: number;
  imapIdleTimeout: number;
  /** Octets a client may send without a line feed before it is disconnected (a safety net). */
  maxLineLength: number;
  /** Simultaneous connections per listener. */
  maxConnections: number;
  /** Log connections and disconnections to stderr. */
  verbose: boolean;
}

export const DEFAULT_SERVE_OPTIONS: ServeOptions = {
  host: '127.0.0.1',
  pop3Port: 1110,
  imapPort: 1143,
  user: LAB_USER,
  password: LAB_PASSWORD,
  folders: 'special-use',
  pop3IdleTimeout: 600,
  imapIdleTimeout: 1800,
  maxLineLength: 1048576,
  maxConnections: 200,
  verbose: false,
};

export const USAGE = `Usage: npm run serve -- [options]

Serves the POP vs IMAP Lab's mail engine over TCP for real mail clients.

Options:
  --host ADDR                 address to listen on (default 127.0.0.1, loopback only)
  --pop3-port N               POP3 port (default 1110; 0 picks a free port)
  --imap-port N               IMAP port (default 1143; 0 picks a free port)
  --user NAME                 account name (default alice)
  --password SECRET           account password (default wonderland)
  --messages DIR              load every .eml file of DIR into INBOX, in file-name order
  --mbox FILE                 load an mbox file (mboxrd) into INBOX
  --folders inbox|special-use the account's mailboxes: INBOX alone, as a stock Dovecot, or
                              INBOX, Drafts, Sent, Trash, Archive and Junk (default special-use)
  --pop3-idle-timeout SECS    close idle POP3 connections (default 600, RFC 1939 §3)
  --imap-idle-timeout SECS    close idle IMAP connections (default 1800, RFC 9051 §5.4)
  --max-line-length OCTETS    disconnect a client that sends this much without a line feed (default 1048576; the sessions answer shorter over-long lines themselves)
  --max-connections N         simultaneous connections per protocol (default 200)
  --verbose                   log connections to stderr
  -h, --help                  show this help

Without --messages or --mbox, INBOX holds the lab's default dozen messages (and, with the
special-use folders, Sent and Archive hold a few of their own).
`;

export class UsageError extends Error {}

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses command-line flags (`--flag value` or `--flag=value`). Throws UsageError on bad input. */
export function parseServeArgs(argv: readonly string[]): ServeOptions | 'help' {
  const o: ServeOptions = { ...DEFAULT_SERVE_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--verbose') {
      o.verbose = true;
      continue;
    }
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const need = (): string => {
      if (value !== undefined) return value;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2))
        throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '--host':
        o.host = need();
        if (!o.host) throw new UsageError('--host needs a value');
        break;
      case '--pop3-port':
        o.pop3Port = integer(arg, need(), 0, 65535);
        break;
      case '--imap-port':
        o.imapPort = integer(arg, need(), 0, 65535);
        break;
      case '--user':
        o.user = need();
        if (!o.user || /[\s\0]/.test(o.user)) throw new UsageError('--user must be a name without spaces');
        break;
      case '--password':
        o.password = need();
        break;
      case '--messages':
        o.messages = need();
        break;
      case '--mbox':
        o.mbox = need();
        break;
      case '--folders': {
        const v = need();
        if (!(FOLDER_SETS as readonly string[]).includes(v))
          throw new UsageError(`--folders must be inbox or special-use, got "${v}"`);
        o.folders = v as FolderSet;
        break;
      }
      case '--pop3-idle-timeout':
        o.pop3IdleTimeout = integer(arg, need(), 1, 86400);
        break;
      case '--imap-idle-timeout':
        o.imapIdleTimeout = integer(arg, need(), 1, 86400);
        break;
      case '--max-line-length':
        o.maxLineLength = integer(arg, need(), 512, 1 << 30);
        break;
      case '--max-connections':
        o.maxConnections = integer(arg, need(), 1, 100000);
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
    }
  }
  if (o.messages !== undefined && o.mbox !== undefined)
    throw new UsageError('use either --messages or --mbox, not both');
  if (o.pop3Port !== 0 && o.pop3Port === o.imapPort)
    throw new UsageError('--pop3-port and --imap-port must differ');
  return o;
}

export interface ListenerAddress {
  host: string;
  port: number;
}

export interface RunningServers {
  pop3: ListenerAddress;
  imap: ListenerAddress;
  store: MailStore;
  /** Open TCP connections right now. */
  connections(): number;
  /** Stops listening, drops every connection (no UPDATE: nothing is committed), resolves when done. */
  close(): Promise<void>;
}

/** Loads the INBOX the options ask for: a folder of .eml files, an mbox, or the lab's default. */
export async function loadInbox(
  options: Pick<ServeOptions, 'messages' | 'mbox'>,
): Promise<LabMessage[] | undefined> {
  if (options.messages !== undefined) return importEmlDir(options.messages);
  if (options.mbox !== undefined) return importMbox(options.mbox);
  return undefined;
}

const IDLE_BYE: Record<Protocol, string> = {
  // What Dovecot says when it drops an idle client.
  pop3: '-ERR Disconnected for inactivity.\r\n',
  imap: '* BYE Disconnected for inactivity.\r\n',
};
const LINE_TOO_LONG: Record<Protocol, string> = {
  pop3: '-ERR Input line too long.\r\n',
  imap: '* BYE Input line too long.\r\n',
};

/**
 * The bridge's safety net against a client streaming octets with no line feed. It counts the
 * octets of the current line only: the octets of an IMAP literal announced at the end of a line
 * (`{n}` or `{n+}`, RFC 9051 §4.3) are message data, not line, so an APPEND of a large message
 * sent without line feeds is not cut off. The sessions bound their own buffers as well.
 */
export class LineGuard {
  private lineOctets = 0;
  /** The current line's last few octets, to spot a literal announcement at its end. */
  private tail = '';
  private literalLeft = 0;

  constructor(
    private readonly protocol: Protocol,
    private readonly maxLineLength: number,
  ) {}

  /** Feeds a chunk; false when a line has grown past the limit. */
  accept(chunk: string): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, chunk.length - i);
        this.literalLeft -= take;
        i += take;
        continue;
      }
      const lf = chunk.indexOf('\n', i);
      const end = lf < 0 ? chunk.length : lf;
      this.lineOctets += end - i;
      if (this.lineOctets > this.maxLineLength) return false;
      if (this.protocol === 'imap')
        this.tail = (this.tail + chunk.slice(Math.max(i, end - 32), end)).slice(-32);
      if (lf < 0) return true;
      if (this.protocol === 'imap') {
        const m = /\{(\d{1,16})\+?\}\r?$/.exec(this.tail);
        if (m) this.literalLeft = Number(m[1]);
      }
      this.lineOctets = 0;
      this.tail = '';
      i = lf + 1;
    }
    return true;
  }
}

/**
 * Starts both listeners over one store. `store` can be given (tests); otherwise it is built from
 * `messages`/`mbox` or the lab's default mailbox.
 */
export async function startServers(
  partial: Partial<ServeOptions> & { store?: MailStore; log?: (line: string) => void } = {},
): Promise<RunningServers> {
  const options: ServeOptions = { ...DEFAULT_SERVE_OPTIONS, ...partial };
  const log = partial.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const store =
    partial.store ??
    createLabStore({
      user: options.user,
      password: options.password,
      inbox: await loadInbox(options),
      folderSet: options.folders,
    });
  // Dovecot indexes the messages it finds in one go: a new mailbox's HIGHESTMODSEQ is 1, that
  // one change makes it 2 and gives every message MODSEQ 2 (CONDSTORE, RFC 7162; measured); do
  // the same with the loaded ones.
  if (!partial.store)
    for (const user of store.users())
      for (const mb of store.listMailboxes(user)) {
        if (!mb.messages.length) continue;
        mb.highestModSeq = 2;
        for (const m of mb.messages) m.modseq = 2;
      }
  // IMAP over TCP reports changes to IDLE clients after Dovecot's 0.5 s delay, as Dovecot does.
  const mail = createMailServer({
    store,
    hostname: 'localhost',
    sessionFactories: {
      imap: createImapSessionFactory({ idleNotifyDelayMs: DOVECOT_IDLE_NOTIFY_DELAY_MS }),
    },
  });
  const sockets = new Set<Socket>();

  function attach(protocol: Protocol, socket: Socket): void {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const conn: Connection = mail.connect(protocol, { client: `tcp ${peer}` });
    if (options.verbose) log(`${conn.id} connected from ${peer}`);
    let ending = false;

    const write = (bytes: string) => {
      if (socket.destroyed || ending) return;
      // Backpressure: when the kernel buffer is full, stop reading this client's commands until it
      // drains. Replies are produced only in answer to input, so output stays bounded.
      if (!socket.write(bytes, 'latin1')) socket.pause();
    };
    socket.on('drain', () => socket.resume());
    const finish = () => {
      if (ending) return;
      ending = true;
      socket.end();
    };
    conn.onOutput(write);
    conn.onClose(() => {
      // The session ended it (QUIT, LOGOUT, BYE): flush what is written, then close.
      if (options.verbose) log(`${conn.id} closed by server`);
      finish();
    });

    const idleMs = (protocol === 'pop3' ? options.pop3IdleTimeout : options.imapIdleTimeout) * 1000;
    socket.setTimeout(idleMs);
    socket.on('timeout', () => {
      if (options.verbose) log(`${conn.id} idle for ${idleMs / 1000}s, disconnecting`);
      write(IDLE_BYE[protocol]);
      // An idle timeout is not QUIT (RFC 1939 §3): the session is dropped, nothing is committed.
      if (!conn.closed) conn.close();
      finish();
    });

    const guard = new LineGuard(protocol, options.maxLineLength);
    socket.on('data', (chunk: string) => {
      if (ending || conn.closed) return;
      if (!guard.accept(chunk)) {
        write(LINE_TOO_LONG[protocol]);
        conn.close();
        finish();
        return;
      }
      conn.send(chunk);
    });
    socket.on('error', () => {
      // ECONNRESET and friends: the client is gone; treated like a dropped connection below.
    });
    socket.on('close', () => {
      sockets.delete(socket);
      if (!conn.closed) conn.close();
      if (options.verbose) log(`${conn.id} disconnected`);
    });
  }

  function listen(protocol: Protocol, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: false }, (socket) => attach(protocol, socket));
      server.maxConnections = options.maxConnections;
      server.once('error', reject);
      server.listen({ host: options.host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (err) => log(`${protocol} listener error: ${err.message}`));
        resolve(server);
      });
    });
  }

  const pop3 = await listen('pop3', options.pop3Port);
  let imap: Server;
  try {
    imap = await listen('imap', options.imapPort);
  } catch (err) {
    await new Promise<void>((r) => pop3.close(() => r()));
    throw err;
  }
  const address = (s: Server): ListenerAddress => {
    const a = s.address() as AddressInfo;
    return { host: a.address, port: a.port };
  };

  let closing: Promise<void> | null = null;
  return {
    pop3: address(pop3),
    imap: address(imap),
    store,
    connections: () => sockets.size,
    close() {
      closing ??= (async () => {
        const stopped = Promise.all([pop3, imap].map((s) => new Promise<void>((r) => s.close(() => r()))));
        for (const socket of sockets) {
          socket.destroy();
        }
        await stopped;
      })();
      return closing;
    },
  };
}

/** The CLI: parse flags, start, print one line per listener, stop cleanly on SIGINT/SIGTERM. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`serve: ${err.message}\nTry --help for the options.\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let running: RunningServers;
  try {
    running = await startServers(options);
  } catch (err) {
    process.stderr.write(`serve: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`POP3 listening on ${running.pop3.host}:${running.pop3.port}\n`);
  process.stdout.write(`IMAP listening on ${running.imap.host}:${running.imap.port}\n`);
  const verbose = options.verbose;
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      if (verbose) process.stderr.write(`serve: ${signal}, shutting down\n`);
      void running.close().then(() => resolve(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
