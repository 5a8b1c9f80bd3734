/** Real IMAP clients against the TCP bridge: imapflow (npm) and curl imap://. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { startServers, type RunningServers } from '../../src/cli/serve';
import { LAB_INBOX } from '../../src/mail/fixtures';
import { hasCommand } from './helpers';

const run = promisify(execFile);

let server: RunningServers | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function lab(): Promise<RunningServers> {
  server = await startServers({ pop3Port: 0, imapPort: 0, log: () => {} });
  return server;
}

function client(port: number): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'alice', pass: 'wonderland' },
    logger: false,
  });
}

describe('real IMAP clients', () => {
  it('imapflow: lists folders, fetches every message byte for byte, flags, moves, expunges', async () => {
    const { imap, store } = await lab();
    const c = client(imap.port);
    await c.connect();
    const names = (await c.list()).map((m) => m.path);
    expect(names).toEqual(expect.arrayContaining(['INBOX', 'Sent', 'Drafts', 'Trash', 'Archive', 'Junk']));
    const lock = await c.getMailboxLock('INBOX');
    try {
      const got: { uid: number; source: string }[] = [];
      for await (const m of c.fetch('1:*', { uid: true, source: true, flags: true }))
        got.push({ uid: m.uid, source: m.source!.toString('latin1') });
      expect(got.map((m) => m.uid)).toEqual(LAB_INBOX.map((_, i) => i + 1));
      expect(got.map((m) => m.source)).toEqual(LAB_INBOX.map((m) => m.raw));

      await c.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
      expect(store.getMessage('alice', 'INBOX', 1)!.flags).toContain('\\Flagged');
      await c.messageFlagsRemove('1', ['\\Flagged'], { uid: true });
      expect(store.getMessage('alice', 'INBOX', 1)!.flags).not.toContain('\\Flagged');

      await c.messageMove('2', 'Archive', { uid: true });
      expect(store.getMessage('alice', 'INBOX', 2)).toBeUndefined();
      expect(store.getMailbox('alice', 'Archive')!.messages.some((m) => m.raw === LAB_INBOX[1].raw)).toBe(
        true,
      );

      await c.messageDelete('3', { uid: true });
      expect(store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid)).not.toContain(3);
    } finally {
      lock.release();
    }
    await c.logout();
  });

  it('imapflow: an IDLE client hears about flags, expunges and new mail from another client', async () => {
    const { imap } = await lab();
    const watcher = client(imap.port);
    const actor = client(imap.port);
    await watcher.connect();
    await actor.connect();
    const seen: string[] = [];
    watcher.on('flags', (e: { uid?: number; flags: Set<string> }) =>
      seen.push(`flags ${[...e.flags].join(' ')}`),
    );
    watcher.on('expunge', () => seen.push('expunge'));
    watcher.on('exists', (e: { count: number }) => seen.push(`exists ${e.count}`));
    await watcher.mailboxOpen('INBOX');
    const idle = watcher.idle();
    const until = async (what: string) => {
      for (let i = 0; i < 200 && !seen.some((s) => s.startsWith(what)); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(seen.some((s) => s.startsWith(what))).toBe(true);
    };
    await actor.mailboxOpen('INBOX');
    await actor.messageFlagsAdd('4', ['\\Seen'], { uid: true });
    await until('flags');
    await actor.messageDelete('5', { uid: true });
    await until('expunge');
    await actor.append('INBOX', 'Subject: new\r\n\r\nhello\r\n');
    await until('exists');
    await actor.logout();
    await watcher.logout();
    await idle.catch(() => {});
  });

  it.runIf(hasCommand('curl'))('curl imap:// lists folders and fetches a message', async () => {
    const { imap } = await lab();
    const base = `imap://127.0.0.1:${imap.port}`;
    const list = await run('curl', ['-s', '-u', 'alice:wonderland', base + '/'], { encoding: 'latin1' });
    expect(list.stdout).toMatch(/^\* LIST .*INBOX/m);
    const one = await run('curl', ['-s', '-u', 'alice:wonderland', `${base}/INBOX;UID=1`], {
      encoding: 'latin1',
    });
    expect(one.stdout).toBe(LAB_INBOX[0].raw);
  });
});
