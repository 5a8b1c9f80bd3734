/**
 * A real IMAP client library (imapflow) against our engine, over a loopback TCP bridge made
 * in the test (the project's `npm run serve` bridge is tested separately in tests/cli).
 */
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from './harness';

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function bridge(): Promise<{ port: number; store: ReturnType<typeof setup>['store'] }> {
  const { server, store } = setup();
  const tcp = net.createServer((sock) => {
    const conn = server.connect('imap', { client: 'imapflow test' });
    conn.onOutput((b) => sock.write(Buffer.from(b, 'latin1')));
    conn.onClose(() => sock.end());
    sock.on('data', (d) => conn.send(d.toString('latin1')));
    sock.on('close', () => conn.close());
    sock.on('error', () => conn.close());
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => tcp.close(() => r())));
  return { port: (tcp.address() as net.AddressInfo).port, store };
}

async function client(port: number): Promise<ImapFlow> {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'alice', pass: 'wonderland' },
    logger: false,
  });
  await c.connect();
  closers.push(async () => {
    if (c.usable) await c.logout();
  });
  return c;
}

describe('imapflow against the engine', () => {
  it('logs in, lists, fetches everything, sets flags, moves and expunges', async () => {
    const { port, store } = await bridge();
    const c = await client(port);
    const boxes = await c.list();
    expect(boxes.map((b) => b.path)).toEqual(expect.arrayContaining(['INBOX', 'Sent', 'Trash']));
    expect(boxes.find((b) => b.path === 'Trash')?.specialUse).toBe('\\Trash');
    const lock = await c.getMailboxLock('INBOX');
    try {
      const got: { uid: number; subject?: string; size: number }[] = [];
      for await (const m of c.fetch('1:*', {
        uid: true,
        envelope: true,
        source: true,
        flags: true,
        bodyStructure: true,
      })) {
        expect(m.source!.toString('latin1')).toBe(store.getMessage('alice', 'INBOX', m.uid)!.raw);
        got.push({ uid: m.uid, subject: m.envelope?.subject, size: m.source!.length });
      }
      expect(got.map((g) => g.uid)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(got[1].subject).toBe('Café plans ☕');
      await c.messageFlagsAdd('1:2', ['\\Seen', '\\Flagged']);
      expect(store.getMessage('alice', 'INBOX', 2)!.flags).toEqual(
        expect.arrayContaining(['\\Seen', '\\Flagged']),
      );
      await c.messageFlagsRemove('2', ['\\Flagged']);
      expect(store.getMessage('alice', 'INBOX', 2)!.flags).toEqual(['\\Seen']);
      const moved = await c.messageMove('3', 'Trash');
      expect(moved && moved.uidMap?.get(3)).toBe(1);
      await c.messageDelete('1');
      expect(store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid)).toEqual([2, 4, 5, 6]);
      const st = await c.status('Trash', { messages: true, uidNext: true });
      expect(st && st.messages).toBe(1);
    } finally {
      lock.release();
    }
  });

  it('a second client in IDLE hears about new mail, flags and expunges', async () => {
    const { port } = await bridge();
    const watcher = await client(port);
    const actor = await client(port);
    await watcher.mailboxOpen('INBOX');
    const events: string[] = [];
    watcher.on('exists', (e: { count: number }) => events.push(`exists ${e.count}`));
    watcher.on('flags', (e: { seq: number; flags: Set<string> }) =>
      events.push(`flags ${e.seq} ${[...e.flags].join(',')}`),
    );
    watcher.on('expunge', (e: { seq: number }) => events.push(`expunge ${e.seq}`));
    const idle = watcher.idle();
    await new Promise((r) => setTimeout(r, 50));
    await actor.mailboxOpen('INBOX');
    await actor.messageFlagsAdd('2', ['\\Flagged']);
    await actor.append('INBOX', 'Subject: hello\r\n\r\nfrom the other device\r\n');
    await actor.messageDelete('1');
    const until = Date.now() + 2000;
    while (events.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    // imapflow hides \\Recent; messageDelete is STORE \\Deleted then UID EXPUNGE, so both show.
    expect(events).toEqual(['flags 2 \\Flagged', 'exists 7', 'flags 1 \\Deleted', 'expunge 1']);
    void idle;
  });
});
