import { spawn } from 'node:child_process';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SERVE_OPTIONS,
  main,
  parseServeArgs,
  startServers,
  UsageError,
  type RunningServers,
} from '../../src/cli/serve';
import { createLabStore, LAB_INBOX } from '../../src/mail/fixtures';
import { RawPop3 } from './helpers';

const started: RunningServers[] = [];
async function lab(options: Parameters<typeof startServers>[0] = {}): Promise<RunningServers> {
  const s = await startServers({ pop3Port: 0, imapPort: 0, log: () => {}, ...options });
  started.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

async function login(port: number): Promise<RawPop3> {
  const c = await RawPop3.open(port);
  expect(await c.greeting()).toMatch(/^\+OK /);
  expect(await c.command('USER alice')).toMatch(/^\+OK/);
  expect(await c.command('PASS wonderland')).toMatch(/^\+OK/);
  return c;
}

describe('command-line flags', () => {
  it('has the documented defaults', () => {
    expect(parseServeArgs([])).toEqual(DEFAULT_SERVE_OPTIONS);
    expect(DEFAULT_SERVE_OPTIONS).toMatchObject({
      host: '127.0.0.1',
      pop3Port: 1110,
      imapPort: 1143,
      user: 'alice',
      password: 'wonderland',
      folders: 'special-use',
      pop3IdleTimeout: 600,
      imapIdleTimeout: 1800,
    });
  });

  it('reads every flag, as "--flag value" or "--flag=value"', () => {
    expect(
      parseServeArgs([
        '--host',
        '0.0.0.0',
        '--pop3-port=2110',
        '--imap-port',
        '2143',
        '--user',
        'bob',
        '--password=se cret',
        '--messages',
        'dir',
        '--folders',
        'inbox',
        '--pop3-idle-timeout',
        '60',
        '--imap-idle-timeout=120',
        '--max-line-length',
        '4096',
        '--max-connections',
        '5',
        '--verbose',
      ]),
    ).toEqual({
      host: '0.0.0.0',
      pop3Port: 2110,
      imapPort: 2143,
      user: 'bob',
      password: 'se cret',
      messages: 'dir',
      folders: 'inbox',
      pop3IdleTimeout: 60,
      imapIdleTimeout: 120,
      maxLineLength: 4096,
      maxConnections: 5,
      verbose: true,
    });
    expect(parseServeArgs(['--mbox', 'f.mbox'])).toMatchObject({ mbox: 'f.mbox' });
    expect(parseServeArgs(['--folders=special-use'])).toMatchObject({ folders: 'special-use' });
    expect(parseServeArgs(['--help'])).toBe('help');
    expect(parseServeArgs(['--user', 'x', '-h'])).toBe('help');
  });

  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['extra'], /unexpected argument "extra"/],
    [['--pop3-port'], /--pop3-port needs a value/],
    [['--pop3-port', '--imap-port', '1'], /--pop3-port needs a value/],
    [['--pop3-port', 'abc'], /whole number/],
    [['--imap-port', '70000'], /between 0 and 65535/],
    [['--pop3-idle-timeout', '0'], /between 1 and/],
    [['--messages', 'a', '--mbox', 'b'], /either --messages or --mbox/],
    [['--pop3-port', '2000', '--imap-port', '2000'], /must differ/],
    [['--user', 'a b'], /without spaces/],
    [['--folders'], /--folders needs a value/],
    [['--folders', 'INBOX'], /--folders must be inbox or special-use, got "INBOX"/],
    [['--folders=all'], /--folders must be inbox or special-use/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseServeArgs(argv)).toThrow(UsageError);
    expect(() => parseServeArgs(argv)).toThrow(message);
  });

  it('main() answers bad flags with exit code 2 and a clear message', async () => {
    const errors: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['--pop3-port', 'x'])).toBe(2);
    } finally {
      process.stderr.write = original;
    }
    expect(errors.join('')).toMatch(/serve: --pop3-port needs a whole number, got "x"\nTry --help/);
  });
});

describe('the CLI as a process', () => {
  function run(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exit, out: () => out, err: () => err };
  }

  it('prints help, and exits 2 on a bad flag', async () => {
    const help = run(['--help']);
    expect(await help.exit).toBe(0);
    expect(help.out()).toMatch(/^Usage: npm run serve -- \[options\]/);
    const bad = run(['--nope']);
    expect(await bad.exit).toBe(2);
    expect(bad.err()).toContain('unknown option --nope');
  });

  it('prints one line per listener when ready, serves, and stops cleanly on SIGTERM', async () => {
    const p = run(['--pop3-port', '0', '--imap-port', '0']);
    while (!/IMAP listening/.test(p.out())) {
      if (p.child.exitCode !== null) throw new Error(p.err());
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines = p.out().trim().split('\n');
    expect(lines[0]).toMatch(/^POP3 listening on 127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^IMAP listening on 127\.0\.0\.1:\d+$/);
    const port = Number(lines[0].split(':')[1]);
    const c = await login(port);
    expect(await c.command('STAT')).toBe(`+OK 12 ${LAB_INBOX.reduce((n, m) => n + m.raw.length, 0)}\r\n`);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(await c.rest()).toBe('');
    expect(c.closed).toBe(true);
  });
});

describe('the TCP bridge', () => {
  it('loads --messages DIR into INBOX in file-name order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-serve-'));
    try {
      await writeFile(join(dir, 'b.eml'), 'Subject: second\n\nB\n');
      await writeFile(join(dir, 'a.eml'), 'Subject: first\r\n\r\nA\r\n');
      await utimes(join(dir, 'a.eml'), 1700000000, 1700000000);
      const s = await lab({ messages: dir, user: 'carol', password: 'pw' });
      const inbox = s.store.getMailbox('carol', 'INBOX')!.messages;
      expect(inbox.map((m) => [m.uid, m.raw])).toEqual([
        [1, 'Subject: first\r\n\r\nA\r\n'],
        [2, 'Subject: second\r\n\r\nB\r\n'],
      ]);
      expect(inbox[0].internalDate).toBe(1700000000000);
      const c = await RawPop3.open(s.pop3.port);
      await c.greeting();
      await c.command('USER carol');
      expect(await c.command('PASS pw')).toMatch(/^\+OK/);
      expect(await c.command('RETR 2')).toBe('+OK 22 octets\r\nSubject: second\r\n\r\nB\r\n.\r\n');
      c.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers pipelined commands sent in one write, in order (RFC 2449 PIPELINING)', async () => {
    const s = await lab();
    const c = await RawPop3.open(s.pop3.port);
    await c.greeting();
    c.write('USER alice\r\nPASS wonderland\r\nSTAT\r\nLIST 1\r\nNOOP\r\nQUIT\r\n');
    const all = await c.rest();
    const lines = all.split('\r\n');
    expect(lines[0]).toBe('+OK');
    expect(lines[1]).toMatch(/^\+OK/);
    expect(lines[2]).toMatch(/^\+OK 12 \d+$/);
    expect(lines[3]).toBe(`+OK 1 ${LAB_INBOX[0].raw.length}`);
    expect(lines[4]).toMatch(/^\+OK/);
    expect(lines[5]).toMatch(/^\+OK/);
    expect(c.closed).toBe(true);
  });

  it('serves many connections at once; the maildrop lock refuses all but one', async () => {
    const s = await lab();
    const clients = await Promise.all(Array.from({ length: 25 }, () => RawPop3.open(s.pop3.port)));
    const greetings = await Promise.all(clients.map((c) => c.greeting()));
    expect(greetings.every((g) => g.startsWith('+OK'))).toBe(true);
    await Promise.all(clients.map((c) => c.command('USER alice')));
    const replies = await Promise.all(clients.map((c) => c.command('PASS wonderland')));
    expect(replies.filter((r) => r.startsWith('+OK'))).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith('-ERR [IN-USE]'))).toHaveLength(24);
    expect(s.connections()).toBe(25);
    clients.forEach((c) => c.close());
  });

  it('keeps every reply when a pipelining client does not read (backpressure)', async () => {
    const s = await lab();
    const c = await login(s.pop3.port);
    const size = LAB_INBOX[2].raw.length;
    c.socket.pause();
    const n = 600; // about 1.3 MB of replies, far more than socket buffers hold
    c.write('RETR 3\r\n'.repeat(n));
    await new Promise((r) => setTimeout(r, 200));
    c.socket.resume();
    for (let i = 0; i < n; i++) expect((await c.reply(true)).startsWith(`+OK ${size} octets\r\n`)).toBe(true);
    expect(await c.command('NOOP')).toMatch(/^\+OK/);
    c.close();
  });

  it('drops an idle client after the idle timeout without committing anything', async () => {
    const s = await lab({ pop3IdleTimeout: 1 });
    const c = await login(s.pop3.port);
    expect(await c.command('DELE 1')).toMatch(/^\+OK/);
    expect(await c.rest()).toBe('-ERR Disconnected for inactivity.\r\n');
    expect(c.closed).toBe(true);
    // Not a QUIT: message 1 is still there (RFC 1939 §3), and the lock is free again.
    expect(s.store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(12);
    const again = await login(s.pop3.port);
    expect(await again.command('STAT')).toMatch(/^\+OK 12 /);
    again.close();
  });

  it('disconnects a client that sends more than --max-line-length octets without a line feed', async () => {
    const s = await lab({ maxLineLength: 100000 });
    const c = await RawPop3.open(s.pop3.port);
    await c.greeting();
    c.write('X'.repeat(150000));
    // Before login the session itself hangs up first, with Dovecot's pop3-login text.
    expect(await c.rest()).toMatch(/-ERR (Input line too long\.|Input buffer full, aborting)\r\n/);
    expect(c.closed).toBe(true);
  });

  it('treats a client that vanishes as dropped: DELE without QUIT removes nothing', async () => {
    const s = await lab();
    const c = await login(s.pop3.port);
    await c.command('DELE 2');
    c.close();
    const again = await login(s.pop3.port);
    expect(await again.command('LIST 2')).toMatch(/^\+OK 2 /);
    await again.command('DELE 2');
    expect(await again.command('QUIT')).toMatch(/^\+OK/);
    expect(s.store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid)).not.toContain(2);
  });

  it('close() stops both listeners and drops open connections', async () => {
    const s = await startServers({ pop3Port: 0, imapPort: 0, store: createLabStore(), log: () => {} });
    const c = await login(s.pop3.port);
    await c.command('DELE 1');
    await s.close();
    expect(await c.rest()).toBe('');
    expect(s.store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(12);
    await expect(RawPop3.open(s.pop3.port)).rejects.toThrow();
  });

  it('reports a port already in use as an error', async () => {
    const s = await lab();
    await expect(startServers({ pop3Port: s.pop3.port, imapPort: 0, log: () => {} })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
