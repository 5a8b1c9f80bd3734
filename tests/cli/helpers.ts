/**
 * Test helpers for the TCP tests: a raw line client that knows where POP3 replies end, free
 * ports, and a throw-away Dovecot (dovecot-pop3d/imapd from Debian) holding the same messages,
 * used as the reference server in differential tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabMessage } from '../../src/mail/fixtures';

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Is the reply to this POP3 command multi-line when positive? (RFC 1939 §3, RFC 2449 §5) */
export function pop3MultiLine(command: string): boolean {
  const [name, ...args] = command.trim().split(/\s+/);
  const n = (name ?? '').toUpperCase();
  if (n === 'CAPA' || n === 'RETR' || n === 'TOP') return true;
  // AUTH alone lists the mechanisms, one per line (the pre-RFC 5034 form Dovecot answers).
  return (n === 'LIST' || n === 'UIDL' || n === 'AUTH') && args.length === 0;
}

/** A POP3 client at the byte level: sends lines, reads whole replies (latin1 byte strings). */
export class RawPop3 {
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }
  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  static async open(port: number, host = '127.0.0.1'): Promise<RawPop3> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawPop3(socket);
  }
  /** Waits until the buffer satisfies `done` (returns the end index) or the socket closes. */
  private async until(done: (buf: string) => number): Promise<string> {
    for (;;) {
      const end = done(this.buffer);
      if (end >= 0) {
        const out = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        return out;
      }
      if (this.closed) {
        const out = this.buffer;
        this.buffer = '';
        return out;
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  /** One reply: a status line, plus the dot-terminated body when `multi` and positive. */
  reply(multi: boolean): Promise<string> {
    return this.until((buf) => {
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return -1;
      if (!multi || !buf.startsWith('+OK')) return eol + 2;
      if (buf.startsWith('.\r\n', eol + 2)) return eol + 5;
      const end = buf.indexOf('\r\n.\r\n', eol);
      return end < 0 ? -1 : end + 5;
    });
  }
  greeting(): Promise<string> {
    return this.reply(false);
  }
  write(bytes: string): void {
    this.socket.write(bytes, 'latin1');
  }
  async command(line: string): Promise<string> {
    this.write(line + '\r\n');
    return this.reply(pop3MultiLine(line));
  }
  /** Everything until the server closes the connection. */
  rest(): Promise<string> {
    return this.until(() => -1);
  }
  close(): void {
    this.socket.destroy();
  }
}

/** Undoes dot-stuffing of a multi-line POP3 reply body (RFC 1939 §3) and drops the terminator. */
export function unstuff(body: string): string {
  if (!body.endsWith('.\r\n')) throw new Error('no terminator');
  const inner = body.slice(0, -3);
  return inner.replace(/^\./gm, '');
}

// ---------------------------------------------------------------------------------------------
// Dovecot as a reference server

export interface Dovecot {
  pop3Port: number;
  imapPort: number;
  stop(): Promise<void>;
}

export function dovecotAvailable(): boolean {
  return existsSync('/usr/sbin/dovecot') && typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Starts a private Dovecot (its own config, directories and ports) whose INBOX for user/password
 * holds `messages` as a Maildir, in order, with the internal dates as file times: INBOX alone,
 * "/" as the hierarchy delimiter (the reference of docs/imap.md). Needs root (for Dovecot's
 * privilege separation); returns null when Dovecot is missing or does not start.
 */
export async function startDovecot(
  messages: readonly LabMessage[],
  user = 'alice',
  password = 'wonderland',
): Promise<Dovecot | null> {
  if (!dovecotAvailable()) return null;
  const base = await mkdtemp(join(tmpdir(), 'lab-dovecot-'));
  await chmod(base, 0o755);
  const [pop3Port, imapPort] = [await freePort(), await freePort()];
  const maildir = join(base, 'mail', user);
  for (const d of ['new', 'cur', 'tmp']) await mkdir(join(maildir, d), { recursive: true });
  for (let i = 0; i < messages.length; i++) {
    // Dovecot gives new mail UIDs in file-name order, so zero-padded names keep our order.
    const file = join(maildir, 'new', `${String(1000000000 + i)}.M${i}P1.lab`);
    await writeFile(file, Buffer.from(messages[i].raw, 'latin1'));
    const t = messages[i].internalDate / 1000;
    await utimes(file, t, t);
  }
  await mkdir(join(base, 'home'), { recursive: true });
  spawnSync('chown', ['-R', 'dovecot:dovecot', join(base, 'mail'), join(base, 'home')]);
  await writeFile(join(base, 'passwd'), `${user}:{PLAIN}${password}\n`);
  await chown(join(base, 'passwd'), 0, 0);
  await writeFile(
    join(base, 'dovecot.conf'),
    `base_dir = ${base}/run
state_dir = ${base}/state
log_path = ${base}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 0
first_valid_gid = 0
mail_uid = dovecot
mail_gid = dovecot
mail_location = maildir:${base}/mail/%u
# The lab's hierarchy delimiter (stock maildir++ would use ".").
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${base}/passwd
}
userdb {
  driver = static
  args = home=${base}/home/%u
}
service imap-login {
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${pop3Port}
  }
  inet_listener pop3s {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', join(base, 'dovecot.conf')], {
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await rm(base, { recursive: true, force: true });
  };
  // Ready when the POP3 greeting arrives.
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const c = await RawPop3.open(pop3Port);
      const g = await c.greeting();
      c.close();
      if (g.startsWith('+OK')) return { pop3Port, imapPort, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  return null;
}
