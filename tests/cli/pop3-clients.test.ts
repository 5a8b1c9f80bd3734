/**
 * Real POP3 clients against `npm run serve`'s bridge: each must download every message of the
 * lab mailbox byte for byte. Clients that are not installed are skipped.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Pop3Command from 'node-pop3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type RunningServers } from '../../src/cli/serve';
import { LAB_INBOX } from '../../src/mail/fixtures';
import { hasCommand } from './helpers';

const run = promisify(execFile);
const expected = LAB_INBOX.map((m) => m.raw);

let server: RunningServers;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lab-clients-'));
});
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

/** A fresh lab for each client, so one client's DELE cannot hide mail from the next. */
async function freshLab(): Promise<RunningServers> {
  await server?.close();
  server = await startServers({ pop3Port: 0, imapPort: 0, log: () => {} });
  return server;
}

describe('real POP3 clients download every message byte for byte', () => {
  it('node-pop3 (npm)', async () => {
    const { pop3 } = await freshLab();
    const client = new Pop3Command({
      user: 'alice',
      password: 'wonderland',
      host: '127.0.0.1',
      port: pop3.port,
    });
    // STAT() connects and logs in (USER/PASS) first.
    const stat = await client.STAT();
    expect(stat).toBe(`12 ${expected.reduce((n, r) => n + r.length, 0)}`);
    const uidl = await client.UIDL();
    expect(uidl).toHaveLength(12);
    for (let i = 1; i <= 12; i++) {
      // Collect the raw stream ourselves: node-pop3's RETR helper decodes as UTF-8 and keeps
      // dot-stuffing. It strips the final CRLF.CRLF, so the message's last CRLF comes back here.
      const [, stream] = await client.command('RETR', i);
      const chunks: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = Buffer.concat(chunks).toString('latin1') + '\r\n';
      expect(body.replace(/^\./gm, '')).toBe(expected[i - 1]);
    }
    await client.QUIT();
  });

  it.runIf(hasCommand('curl'))('curl pop3:// lists and retrieves', async () => {
    const { pop3 } = await freshLab();
    const url = `pop3://127.0.0.1:${pop3.port}/`;
    const list = await run('curl', ['-s', '-u', 'alice:wonderland', url], { encoding: 'latin1' });
    expect(list.stdout).toBe(expected.map((r, i) => `${i + 1} ${r.length}\r\n`).join(''));
    for (let i = 1; i <= 12; i++) {
      const out = await run('curl', ['-s', '-u', 'alice:wonderland', url + i], { encoding: 'latin1' });
      expect(out.stdout).toBe(expected[i - 1]);
    }
    // A message that does not exist: curl reports the server's -ERR as a failure.
    await expect(run('curl', ['-s', '-S', '-u', 'alice:wonderland', url + 99])).rejects.toThrow();
  });

  it.runIf(hasCommand('python3'))('python poplib', async () => {
    const { pop3 } = await freshLab();
    const script = join(work, 'fetch.py');
    await writeFile(
      script,
      `import poplib, sys
p = poplib.POP3('127.0.0.1', int(sys.argv[1]))
p.user('alice')
p.pass_('wonderland')
count, size = p.stat()
out = sys.stdout.buffer
for i in range(1, count + 1):
    resp, lines, octets = p.retr(i)
    # poplib removes dot-stuffing and line ends; rebuild the message with CRLF.
    data = b''.join(line + b'\\r\\n' for line in lines)
    out.write(b'%d %d\\n' % (len(data), octets))
    out.write(data)
p.quit()
`,
    );
    const { stdout } = await run('python3', [script, String(pop3.port)], {
      encoding: 'latin1',
      maxBuffer: 1 << 24,
    });
    let rest = stdout;
    for (const raw of expected) {
      const nl = rest.indexOf('\n');
      const [len, octets] = rest.slice(0, nl).split(' ').map(Number);
      expect(len).toBe(raw.length);
      // poplib's octet count is the bytes it read, dot-stuffing included.
      expect(octets).toBeGreaterThanOrEqual(raw.length);
      expect(rest.slice(nl + 1, nl + 1 + len)).toBe(raw);
      rest = rest.slice(nl + 1 + len);
    }
    expect(rest).toBe('');
  });

  it.runIf(hasCommand('fetchmail'))(
    'fetchmail into an MDA, then the mail is gone from the server',
    async () => {
      const { pop3, store } = await freshLab();
      const dir = join(work, 'fetchmail');
      await run('mkdir', ['-p', dir]);
      const rc = join(work, 'fetchmailrc');
      // One file per message, numbered in delivery order. "no stripcr" keeps CRLF; --invisible
      // stops fetchmail adding its own Received: header, so the bytes can be compared.
      await writeFile(
        rc,
        `set no syslog
defaults no envelope
poll 127.0.0.1 protocol pop3 service ${pop3.port} auth password user "alice" password "wonderland" fetchall no rewrite no stripcr mda "/bin/sh -c 'cat > ${dir}/$(ls ${dir} | wc -l | xargs printf %03d).eml'"
`,
      );
      await chmod(rc, 0o600);
      await run('fetchmail', ['-f', rc, '--invisible', '--nosslcertck', '--pidfile', join(work, 'fm.pid')], {
        env: { ...process.env, HOME: work, FETCHMAILHOME: work },
      });
      const files = (await readdir(dir)).sort();
      expect(files).toHaveLength(12);
      for (let i = 0; i < 12; i++)
        expect((await readFile(join(dir, files[i]))).toString('latin1')).toBe(expected[i]);
      // fetchmail deletes what it fetched (DELE, then QUIT enters UPDATE).
      expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(0);
    },
  );
});
