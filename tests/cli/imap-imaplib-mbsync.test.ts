/**
 * Real IMAP clients against the TCP bridge: python3's imaplib (a script in a child process)
 * and mbsync (isync) mirroring the server into a maildir. Skipped when the program is missing.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

async function lab(): Promise<RunningServers> {
  server = await startServers({ pop3Port: 0, imapPort: 0, log: () => {} });
  temp = await mkdtemp(join(tmpdir(), 'imap-clients-'));
  return server;
}

/** What the python script reports (see IMAPLIB_SCRIPT). */
interface ImaplibReport {
  login: string;
  list: string[];
  exists: number;
  messages: { meta: string; body: string }[];
  store: string;
  flags1: string;
  copy: string;
  delete: string;
  expunged: string[];
  search: string;
  close: string;
  logout: string;
}

const IMAPLIB_SCRIPT = String.raw`
import base64, imaplib, json, sys
out = {}
M = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
out['login'] = M.login('alice', 'wonderland')[0]
out['list'] = [b.decode('latin1') for b in M.list()[1]]
out['exists'] = int(M.select('INBOX')[1][0])
typ, data = M.uid('FETCH', '1:*', '(UID RFC822 FLAGS)')
out['messages'] = [{'meta': i[0].decode('latin1'), 'body': base64.b64encode(i[1]).decode()}
                   for i in data if isinstance(i, tuple)]
out['store'] = M.store('1', '+FLAGS', '(\\Flagged)')[0]
out['flags1'] = M.fetch('1', '(FLAGS)')[1][0].decode('latin1')
out['copy'] = M.copy('2', 'Archive')[0]
out['delete'] = M.store('3', '+FLAGS.SILENT', '(\\Deleted)')[0]
out['expunged'] = [d.decode() for d in M.expunge()[1] if d]
out['search'] = M.search(None, 'ALL')[1][0].decode()
out['close'] = M.close()[0]
out['logout'] = M.logout()[0]
print(json.dumps(out))
`;

describe('python imaplib and mbsync against npm run serve', () => {
  it.runIf(hasCommand('python3'))(
    'imaplib: login, list, select, fetch every message byte for byte, flag, copy, expunge, logout',
    async () => {
      const { imap, store } = await lab();
      const script = join(temp!, 'check.py');
      await writeFile(script, IMAPLIB_SCRIPT);
      const { stdout } = await run('python3', [script, String(imap.port)]);
      const r = JSON.parse(stdout) as ImaplibReport;
      expect(r.login).toBe('OK');
      expect(r.list.map((l) => l.split(' ').at(-1))).toEqual(
        expect.arrayContaining(['INBOX', 'Sent', 'Drafts', 'Trash', 'Archive', 'Junk']),
      );
      expect(r.exists).toBe(LAB_INBOX.length);
      expect(r.messages.map((m) => /UID (\d+)/.exec(m.meta)![1])).toEqual(
        LAB_INBOX.map((_, i) => String(i + 1)),
      );
      expect(r.messages.map((m) => Buffer.from(m.body, 'base64').toString('latin1'))).toEqual(
        LAB_INBOX.map((m) => m.raw),
      );
      expect(r.store).toBe('OK');
      expect(r.flags1).toMatch(/FLAGS \([^)]*\\Flagged/);
      expect(store.getMessage('alice', 'INBOX', 1)!.flags).toContain('\\Flagged');
      expect(r.copy).toBe('OK');
      expect(store.getMailbox('alice', 'Archive')!.messages.some((m) => m.raw === LAB_INBOX[1].raw)).toBe(
        true,
      );
      expect(r.expunged).toEqual(['3']);
      expect(store.getMessage('alice', 'INBOX', 3)).toBeUndefined();
      expect(r.search.split(' ')).toHaveLength(LAB_INBOX.length - 1);
      expect([r.close, r.logout]).toEqual(['OK', 'BYE']);
    },
  );

  it.runIf(hasCommand('mbsync'))(
    'mbsync mirrors INBOX into a maildir byte for byte, then brings a server-side flag down',
    async () => {
      const { imap, store } = await lab();
      const mail = join(temp!, 'mail');
      await mkdir(mail);
      const rc = join(temp!, 'mbsyncrc');
      await writeFile(
        rc,
        [
          'IMAPAccount lab',
          'Host 127.0.0.1',
          `Port ${imap.port}`,
          'User alice',
          'Pass wonderland',
          'SSLType None',
          'AuthMechs LOGIN PLAIN',
          '',
          'IMAPStore lab-far',
          'Account lab',
          '',
          'MaildirStore lab-near',
          `Path ${mail}/`,
          `Inbox ${mail}/INBOX`,
          'SubFolders Verbatim',
          '',
          'Channel lab',
          'Far :lab-far:',
          'Near :lab-near:',
          'Patterns *',
          'Create Near',
          'SyncState *',
          'Sync All',
          '',
        ].join('\n'),
      );
      const sync = () => run('mbsync', ['-c', rc, 'lab'], { env: { ...process.env, HOME: temp! } });
      await sync();

      const files = async () => {
        const out: { name: string; raw: string }[] = [];
        for (const sub of ['cur', 'new']) {
          const dir = join(mail, 'INBOX', sub);
          for (const f of await readdir(dir)) {
            // mbsync adds its own X-TUID header to every message it stores (Dovecot's too).
            const raw = (await readFile(join(dir, f), 'latin1')).replace(/^X-TUID: [^\n]*\n/m, '');
            out.push({ name: f, raw });
          }
        }
        return out;
      };
      // mbsync keeps maildir messages with the local line end (LF); otherwise every octet is the server's.
      const lf = (raw: string) => raw.replace(/\r\n/g, '\n');
      const first = await files();
      expect(first.map((f) => f.raw).sort()).toEqual(LAB_INBOX.map((m) => lf(m.raw)).sort());
      // Every folder came down too.
      expect((await readdir(mail)).sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);

      // Flag message 1 on the server (as another device would), sync again: the maildir's
      // file name carries the flag (maildir info ":2,F").
      store.setFlags('alice', 'INBOX', [1], 'add', ['\\Flagged']);
      await sync();
      const second = await files();
      const one = second.find((f) => f.raw === lf(LAB_INBOX[0].raw))!;
      expect(one.name).toMatch(/:2,[A-Z]*F/);
      expect(second.filter((f) => /:2,[A-Z]*F/.test(f.name))).toHaveLength(
        store.getMailbox('alice', 'INBOX')!.messages.filter((m) => m.flags.includes('\\Flagged')).length,
      );
    },
  );
});
