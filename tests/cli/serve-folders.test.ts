/**
 * `npm run serve -- --folders inbox|special-use`: with `inbox` the account starts with INBOX alone,
 * as a stock Dovecot, and COPY / MOVE / APPEND to a missing mailbox answer `NO [TRYCREATE]`
 * (RFC 9051 §6.3.12, §6.4.7, §6.4.8) in Dovecot's words. Checked over real TCP with a byte-level
 * client, python3's imaplib and curl (each skipped when missing); curl drives the CLI process.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startServers, type RunningServers } from '../../src/cli/serve';
import { LAB_INBOX } from '../../src/mail/fixtures';
import { hasCommand } from './helpers';

const run = promisify(execFile);

let server: RunningServers | undefined;
let temp: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (temp) await rm(temp, { recursive: true, force: true });
  temp = undefined;
});

async function lab(folders?: 'inbox' | 'special-use'): Promise<RunningServers> {
  server = await startServers({ pop3Port: 0, imapPort: 0, log: () => {}, ...(folders ? { folders } : {}) });
  return server;
}

/** An IMAP client at the byte level: sends a line, returns the lines up to its tagged reply. */
class RawImap {
  private buffer = '';
  private closed = false;
  private wake: () => void = () => {};
  private constructor(private readonly socket: Socket) {
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
  static async open(port: number): Promise<RawImap> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const c = new RawImap(socket);
    expect((await c.until((b) => b.indexOf('\r\n')))[0]).toMatch(/^\* OK /);
    return c;
  }
  /** Waits until `end` finds the end of a reply (the index of its last CRLF); returns its lines. */
  private async until(end: (buffer: string) => number): Promise<string[]> {
    for (;;) {
      const at = end(this.buffer);
      if (at >= 0) {
        const out = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + 2);
        return out.split('\r\n');
      }
      if (this.closed) throw new Error(`connection closed after: ${this.buffer}`);
      await new Promise<void>((r) => (this.wake = r));
    }
  }
  /** Sends `bytes` and waits for the tagged reply of `tag`. */
  async send(tag: string, bytes: string): Promise<string[]> {
    this.socket.write(bytes, 'latin1');
    return this.until((b) => {
      const m = new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r]*\\r\\n`).exec(b);
      return m ? m.index + m[0].length - 2 : -1;
    });
  }
  command(line: string): Promise<string[]> {
    return this.send(line.split(' ')[0], line + '\r\n');
  }
  close(): void {
    this.socket.destroy();
  }
}

const MISSING = "NO [TRYCREATE] Mailbox doesn't exist: Archive";

describe('--folders inbox over TCP', () => {
  it('lists INBOX alone and answers COPY, MOVE and APPEND to a missing mailbox NO [TRYCREATE]', async () => {
    const { imap, store } = await lab('inbox');
    const c = await RawImap.open(imap.port);
    expect((await c.command('a1 LOGIN alice wonderland')).at(-1)).toMatch(/^a1 OK /);
    expect(await c.command('a2 LIST "" *')).toEqual([
      '* LIST (\\HasNoChildren) "/" INBOX',
      'a2 OK List completed',
    ]);
    expect(await c.command('a3 LSUB "" *')).toEqual(['a3 OK Lsub completed']);
    expect(await c.command('a4 STATUS Archive (MESSAGES)')).toEqual(["a4 NO Mailbox doesn't exist: Archive"]);
    expect((await c.command('a5 SELECT INBOX')).at(-1)).toBe('a5 OK [READ-WRITE] Select completed');
    expect(await c.command('b1 COPY 1 Archive')).toEqual([`b1 ${MISSING}`]);
    expect(await c.command('b2 UID COPY 1:3 Archive')).toEqual([`b2 ${MISSING}`]);
    expect(await c.command('b3 MOVE 1 Archive')).toEqual([`b3 ${MISSING}`]);
    expect(await c.command('b4 UID MOVE 2 Archive')).toEqual([`b4 ${MISSING}`]);
    // APPEND is refused before the message is asked for (no "+ OK" continuation) ...
    expect(await c.command('b5 APPEND Archive (\\Seen) {18}')).toEqual([`b5 ${MISSING}`]);
    // ... and a LITERAL+ message that comes anyway is read and dropped.
    expect(await c.send('b6', 'b6 APPEND Archive {18+}\r\nSubject: x\r\n\r\nhi\r\n\r\n')).toEqual([
      `b6 ${MISSING}`,
    ]);
    expect(await c.command('b7 NOOP')).toEqual(['b7 OK NOOP completed.']);
    // Nothing moved, nothing was created.
    expect(store.listMailboxes('alice').map((m) => m.name)).toEqual(['INBOX']);
    expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(LAB_INBOX.length);
    c.close();
  });

  it('CREATE Archive then works; created mailboxes list newest first, without a special use', async () => {
    const { imap, store } = await lab('inbox');
    const c = await RawImap.open(imap.port);
    await c.command('a1 LOGIN alice wonderland');
    expect(await c.command('a2 CREATE Work')).toEqual(['a2 OK Create completed']);
    expect(await c.command('a3 CREATE Archive')).toEqual(['a3 OK Create completed']);
    expect(await c.command('a4 LIST "" *')).toEqual([
      '* LIST (\\HasNoChildren) "/" Archive',
      '* LIST (\\HasNoChildren) "/" Work',
      '* LIST (\\HasNoChildren) "/" INBOX',
      'a4 OK List completed',
    ]);
    expect(await c.command('a5 LIST (SPECIAL-USE) "" *')).toEqual(['a5 OK List completed']);
    await c.command('a6 SELECT INBOX');
    const archive = () => store.getMailbox('alice', 'Archive')!;
    expect(await c.command('b1 COPY 1 Archive')).toEqual([
      `b1 OK [COPYUID ${archive().uidValidity} 1 1] Copy completed`,
    ]);
    expect(await c.command('b2 MOVE 2 Archive')).toEqual([
      `* OK [COPYUID ${archive().uidValidity} 2 2] Moved UIDs.`,
      '* 2 EXPUNGE',
      `* ${LAB_INBOX.length - 1} RECENT`,
      'b2 OK Move completed',
    ]);
    expect(await c.send('b3', 'b3 APPEND Archive {18+}\r\nSubject: x\r\n\r\nhi\r\n\r\n')).toEqual([
      `b3 OK [APPENDUID ${archive().uidValidity} 3] Append completed`,
    ]);
    expect(archive().messages.map((m) => m.raw)).toEqual([
      LAB_INBOX[0].raw,
      LAB_INBOX[1].raw,
      'Subject: x\r\n\r\nhi\r\n',
    ]);
    c.close();
  });

  it('loaded messages start at MODSEQ 2, as Dovecot indexes found mail in one change; a COPY is one change', async () => {
    const { imap } = await lab('inbox');
    const c = await RawImap.open(imap.port);
    await c.command('a1 LOGIN alice wonderland');
    expect(await c.command('a2 STATUS INBOX (HIGHESTMODSEQ)')).toEqual([
      '* STATUS INBOX (HIGHESTMODSEQ 2)',
      'a2 OK Status completed',
    ]);
    await c.command('a3 CREATE Archive');
    expect((await c.command('a4 SELECT INBOX (CONDSTORE)')).at(-2)).toBe('* OK [HIGHESTMODSEQ 2] Highest');
    expect((await c.command('a5 COPY 1:2 Archive')).at(-1)).toMatch(/^a5 OK \[COPYUID \d+ 1:2 1:2\]/);
    expect(await c.command('a6 STATUS Archive (MESSAGES HIGHESTMODSEQ)')).toEqual([
      '* STATUS Archive (MESSAGES 2 HIGHESTMODSEQ 2)',
      'a6 OK Status completed',
    ]);
    c.close();
  });

  it('leaves the default as it was: INBOX and the special-use folders, COPY to Archive works', async () => {
    const { imap } = await lab();
    const c = await RawImap.open(imap.port);
    await c.command('a1 LOGIN alice wonderland');
    expect(await c.command('a2 LIST "" *')).toEqual([
      '* LIST (\\HasNoChildren \\Drafts) "/" Drafts',
      '* LIST (\\HasNoChildren \\Sent) "/" Sent',
      '* LIST (\\HasNoChildren \\Trash) "/" Trash',
      '* LIST (\\HasNoChildren \\Archive) "/" Archive',
      '* LIST (\\HasNoChildren \\Junk) "/" Junk',
      '* LIST (\\HasNoChildren) "/" INBOX',
      'a2 OK List completed',
    ]);
    await c.command('a3 SELECT INBOX');
    expect((await c.command('a4 COPY 1 Archive')).at(-1)).toMatch(
      /^a4 OK \[COPYUID \d+ 1 \d+\] Copy completed$/,
    );
    expect(await c.command('a5 COPY 1 Nope')).toEqual(["a5 NO [TRYCREATE] Mailbox doesn't exist: Nope"]);
    c.close();
  });
});

/** What the python script reports (see IMAPLIB_SCRIPT). */
interface ImaplibReport {
  list: string[];
  copy: [string, string];
  move: [string, string];
  append: [string, string];
  create: string;
  listAfter: string[];
  copyAfter: string;
  moveAfter: string;
  appendAfter: string;
  archive: string;
}

const IMAPLIB_SCRIPT = String.raw`
import imaplib, json, sys
def reply(r):
    return [r[0], r[1][0].decode('latin1')]
out = {}
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
M.login('alice', 'wonderland')
out['list'] = [b.decode('latin1') for b in M.list()[1]]
M.select('INBOX')
msg = b'Subject: from imaplib\r\n\r\nhello\r\n'
out['copy'] = reply(M.copy('1', 'Archive'))
out['move'] = reply(M._simple_command('MOVE', '1', 'Archive'))
out['append'] = reply(M.append('Archive', None, None, msg))
out['create'] = M.create('Archive')[0]
out['listAfter'] = [b.decode('latin1') for b in M.list()[1]]
out['copyAfter'] = M.copy('1', 'Archive')[0]
out['moveAfter'] = M._simple_command('MOVE', '2', 'Archive')[0]
out['appendAfter'] = M.append('Archive', None, None, msg)[0]
out['archive'] = M.select('Archive')[1][0].decode()
M.logout()
print(json.dumps(out))
`;

describe('real clients against --folders inbox', () => {
  it.runIf(hasCommand('python3'))(
    'imaplib: LIST shows INBOX alone, COPY/MOVE/APPEND get NO [TRYCREATE], then CREATE Archive and they work',
    async () => {
      const { imap } = await lab('inbox');
      temp = await mkdtemp(join(tmpdir(), 'serve-folders-'));
      const script = join(temp, 'check.py');
      await writeFile(script, IMAPLIB_SCRIPT);
      const { stdout } = await run('python3', [script, String(imap.port)]);
      const r = JSON.parse(stdout) as ImaplibReport;
      expect(r.list).toEqual(['(\\HasNoChildren) "/" INBOX']);
      const missing = ['NO', "[TRYCREATE] Mailbox doesn't exist: Archive"];
      expect(r.copy).toEqual(missing);
      expect(r.move).toEqual(missing);
      expect(r.append).toEqual(missing);
      expect(r.create).toBe('OK');
      expect(r.listAfter).toEqual(['(\\HasNoChildren) "/" Archive', '(\\HasNoChildren) "/" INBOX']);
      expect([r.copyAfter, r.moveAfter, r.appendAfter]).toEqual(['OK', 'OK', 'OK']);
      expect(r.archive).toBe('3');
    },
  );

  it.runIf(hasCommand('curl'))(
    'curl against the CLI started with --folders inbox: LIST, COPY/MOVE/APPEND refused, CREATE, then accepted',
    async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/serve.ts', '--pop3-port', '0', '--imap-port', '0', '--folders', 'inbox'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exit = new Promise((r) => child.on('exit', r));
      try {
        while (!/IMAP listening on [\d.]+:(\d+)/.test(out)) {
          if (child.exitCode !== null) throw new Error('serve exited');
          await new Promise((r) => setTimeout(r, 50));
        }
        const base = `imap://127.0.0.1:${/IMAP listening on [\d.]+:(\d+)/.exec(out)![1]}`;
        temp = await mkdtemp(join(tmpdir(), 'serve-folders-'));
        const eml = join(temp, 'm.eml');
        await writeFile(eml, 'Subject: from curl\r\n\r\nhello\r\n');
        const curl = async (...args: string[]) => {
          try {
            const r = await run('curl', ['-s', '-v', '-u', 'alice:wonderland', ...args], {
              encoding: 'latin1',
            });
            return { code: 0, stdout: r.stdout, stderr: r.stderr };
          } catch (e) {
            const err = e as { code: number; stdout: string; stderr: string };
            return { code: err.code, stdout: err.stdout, stderr: err.stderr };
          }
        };
        // curl -v shows the server's lines as "< ..."; its tags are A001, A002, ...
        const refused = /^< A\d+ NO \[TRYCREATE\] Mailbox doesn't exist: Archive\r?$/m;

        expect((await curl(base + '/')).stdout).toBe('* LIST (\\HasNoChildren) "/" INBOX\r\n');
        const copy = await curl(base + '/INBOX', '-X', 'COPY 1 Archive');
        expect(copy.stderr).toMatch(refused);
        expect(copy.code).not.toBe(0);
        const move = await curl(base + '/INBOX', '-X', 'MOVE 1 Archive');
        expect(move.stderr).toMatch(refused);
        expect(move.code).not.toBe(0);
        const append = await curl('-T', eml, base + '/Archive');
        expect(append.stderr).toMatch(refused);
        expect(append.code).not.toBe(0);

        expect((await curl(base + '/', '-X', 'CREATE Archive')).code).toBe(0);
        expect((await curl(base + '/')).stdout).toBe(
          '* LIST (\\HasNoChildren) "/" Archive\r\n* LIST (\\HasNoChildren) "/" INBOX\r\n',
        );
        expect((await curl(base + '/INBOX', '-X', 'COPY 1 Archive')).stderr).toMatch(
          /^< A\d+ OK \[COPYUID \d+ 1 1\] Copy completed/m,
        );
        expect((await curl('-T', eml, base + '/Archive')).code).toBe(0);
        expect((await curl(base + '/Archive;UID=2')).stdout).toBe('Subject: from curl\r\n\r\nhello\r\n');
      } finally {
        child.kill('SIGTERM');
        await exit;
      }
    },
  );
});
