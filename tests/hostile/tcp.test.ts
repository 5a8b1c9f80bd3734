/**
 * A hostile client against the TCP bridge (src/cli/serve.ts): oversized input, absurd literals,
 * NUL and invalid UTF-8 octets, pipelining, connection storms, half-closed and vanished sockets.
 * What must hold every time: the protocol's own error (or a clean close), no crash, no hang,
 * memory bounded, locks and store listeners released, other clients still served.
 * Findings are numbered as in docs/qa-findings.md.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServers, type RunningServers } from '../../src/cli/serve';
import { createLabStore } from '../../src/mail/fixtures';
import { eventually, Raw, storeListenerCount } from './raw';

const LOGIN = 'a LOGIN alice wonderland\r\n';
let s: RunningServers;
let P: number;
let I: number;

beforeAll(async () => {
  s = await startServers({ pop3Port: 0, imapPort: 0, log: () => {} });
  P = s.pop3.port;
  I = s.imap.port;
});
afterAll(() => s.close());
// A failed (or expected-to-fail) assertion must not leave its socket open for the next test.
afterEach(() => Raw.destroyAll());

/** The server still answers a fresh client on both protocols. */
async function stillServing(): Promise<void> {
  const p = await Raw.open(P);
  await p.write('CAPA\r\n');
  await p.waitFor(/\r\n\.\r\n/);
  p.destroy();
  const i = await Raw.open(I);
  await i.write('z NOOP\r\n');
  await i.waitFor(/z OK/);
  i.destroy();
}

describe('oversized input without a line feed', () => {
  it('POP3: a 2 MB line is refused and the connection closed, other clients unaffected', async () => {
    const r = await Raw.open(P);
    await r.write('A'.repeat(2_000_000));
    // The close may come as a reset (unread input), which can swallow the -ERR; the close is what counts.
    expect(await r.waitClosed()).toBe(true);
    expect(r.buffer).not.toMatch(/\+OK [^P]/);
    await stillServing();
  });

  it('POP3: an over-long line gets exactly one -ERR, as Dovecot: before and after login', async () => {
    // Sizes below the socket buffers, so the close cannot turn into a reset that eats the reply.
    const a = await Raw.open(P);
    await a.write('A'.repeat(70_000));
    expect(await a.waitClosed()).toBe(true);
    expect(a.buffer.split('\r\n').slice(1)).toEqual(['-ERR Input buffer full, aborting', '']);
    const b = await Raw.open(P);
    await b.write('USER alice\r\nPASS wonderland\r\n');
    await b.waitFor(/Logged in/);
    await b.write('A'.repeat(3000));
    expect(await b.waitClosed()).toBe(true);
    expect(b.buffer.match(/-ERR/g)).toHaveLength(1);
  });

  it('IMAP: a 2 MB line is refused and the connection closed', async () => {
    const r = await Raw.open(I);
    await r.write('A'.repeat(2_000_000));
    expect(await r.waitClosed()).toBe(true);
    expect(r.buffer).toMatch(/\* BYE .*too long/i);
    await stillServing();
  });

  it('IMAP: a 70 KB line before login gets BYE and a close, as Dovecot does', async () => {
    const r = await Raw.open(I);
    await r.write('a ' + 'x'.repeat(70_000) + '\r\nb NOOP\r\n');
    await r.waitFor(/\* BYE [^\r]*\r\n/);
    expect(r.buffer).not.toMatch(/\r\nb OK/);
    r.destroy();
  });

  it('IMAP: a 70 KB line after login gets a tagged BAD and the session goes on', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'a ' + 'x'.repeat(70_000) + '\r\nb NOOP\r\n');
    await r.waitFor(/b OK/);
    expect(r.buffer).toMatch(/\r\na BAD /);
    r.destroy();
  });
});

describe('absurd IMAP literals', () => {
  it('APPEND {4294967296} is refused with a tagged NO [TOOBIG] before any octet', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'b APPEND INBOX {4294967296}\r\nc NOOP\r\n');
    await r.waitFor(/c OK/);
    expect(r.buffer).toMatch(/\r\nb NO \[TOOBIG\]/);
    expect(r.buffer).not.toMatch(/\r\n\+ /);
    r.destroy();
  });

  it('LOGIN {4294967296} (synchronizing) gets a tagged BAD, next command works', async () => {
    const r = await Raw.open(I);
    await r.write('a LOGIN {4294967296}\r\nc NOOP\r\n');
    await r.waitFor(/c OK/);
    expect(r.buffer).toMatch(/\r\na BAD /);
    r.destroy();
  });

  // F1 (fixed): a 20-digit size used to skip the command check, leaving tag b unanswered.
  it('APPEND {99999999999999999999} completes tag b (F1)', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'b APPEND INBOX {99999999999999999999}\r\nc NOOP\r\n');
    await r.waitFor(/c OK/);
    expect(r.buffer).toMatch(/\r\nb (NO|BAD) /);
    r.destroy();
  });

  // F2 (fixed): a refused non-synchronizing literal too large to skip used to turn the connection
  // into a sink; now the command is answered, then BYE and close.
  it('APPEND {99999999999999999999+} is answered and the connection does not turn into a sink (F2)', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'b APPEND INBOX {99999999999999999999+}\r\n');
    await new Promise((res) => setTimeout(res, 100));
    await r.write('c NOOP\r\n');
    // Either the server says BYE and closes (what RFC 7888 §4 allows), or it answers c.
    const closed = await r.waitClosed(800);
    if (!closed) await r.waitFor(/\r\nc OK/, 500);
    expect(r.buffer).toMatch(/\r\nb (NO|BAD) |\* BYE /);
    r.destroy();
  });

  // F2 (fixed): a 4 GiB non-synchronizing literal is not read and thrown away; BYE and close.
  it('LOGIN {4294967296+} does not leave a connection that swallows 4 GiB (F2)', async () => {
    const r = await Raw.open(I);
    await r.write('a LOGIN {4294967296+}\r\n');
    await new Promise((res) => setTimeout(res, 100));
    await r.write('c NOOP\r\n');
    const closed = await r.waitClosed(800);
    if (!closed) await r.waitFor(/\r\nc OK/, 500);
  });

  it('a synchronizing literal followed by a disconnect leaves nothing behind', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'b APPEND INBOX {500}\r\n');
    await r.waitFor(/\+ OK\r\n/);
    await r.write('From: x\r\nSubject: half');
    const before = s.store.getMailbox('alice', 'INBOX')!.messages.length;
    r.destroy();
    expect(await eventually(() => s.connections() === 0)).toBe(true);
    expect(storeListenerCount(s.store)).toBe(0);
    expect(s.store.getMailbox('alice', 'INBOX')!.messages.length).toBe(before);
    await stillServing();
  });

  // F3: the bridge's "no line feed for 64 KiB" guard counts literal octets too, so a message
  // the engine already accepted (+ OK) is cut off when its octets arrive without a LF.
  it('APPEND of a 200 KB literal sent in two writes without LF is stored (F3)', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'b APPEND INBOX {200000}\r\n');
    await r.waitFor(/\+ OK\r\n/);
    await r.write('x'.repeat(100_000));
    await new Promise((res) => setTimeout(res, 50));
    await r.write('x'.repeat(100_000) + '\r\n');
    await r.waitFor(/\r\nb (OK|NO|BAD)/, 1000);
    expect(r.buffer).toMatch(/\r\nb OK \[APPENDUID /);
    r.destroy();
  });
});

describe('odd octets', () => {
  it('NUL bytes get the protocol error and the session goes on', async () => {
    const i = await Raw.open(I);
    await i.write('a\0 NOOP\r\nb LOGIN alice\0 wonderland\r\nc NOOP\r\n');
    await i.waitFor(/c OK/);
    // A NUL inside the tag makes the tag itself invalid: Dovecot answers untagged.
    expect(i.buffer).toMatch(/\r\n\* BAD [^\r]*invalid tag/i);
    expect(i.buffer).toMatch(/\r\nb BAD /);
    i.destroy();
    const p = await Raw.open(P);
    await p.write('US\0ER alice\r\nNOOP\r\n');
    await p.waitFor(/-ERR[^\r]*\r\n-ERR/);
    p.destroy();
  });

  it('invalid UTF-8 in mailbox names and arguments gives NO/-ERR, not a crash', async () => {
    const i = await Raw.open(I);
    await i.write(LOGIN + 'b SELECT "\xff\xfe"\r\nc NOOP\r\n');
    await i.waitFor(/c OK/);
    expect(i.buffer).toMatch(/\r\nb NO /);
    i.destroy();
    const p = await Raw.open(P);
    await p.write('USER \xff\xfe\r\nPASS \xc3\x28\r\n');
    await p.waitFor(/-ERR \[AUTH\]/);
    p.destroy();
  });
});

describe('pipelining, storms, half-closes', () => {
  it('1,000 pipelined IMAP commands in one write are all answered in order', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + Array.from({ length: 1000 }, (_, n) => `t${n} NOOP\r\n`).join(''));
    await r.waitFor(/t999 OK/);
    const tags = [...r.buffer.matchAll(/\r\n(t\d+) OK/g)].map((m) => m[1]);
    expect(tags).toEqual(Array.from({ length: 1000 }, (_, n) => `t${n}`));
    r.destroy();
  });

  it('1,000 pipelined POP3 commands in one write get 1,000 replies', async () => {
    const r = await Raw.open(P);
    await r.write('USER alice\r\nPASS wonderland\r\n' + 'STAT\r\n'.repeat(1000) + 'QUIT\r\n');
    expect(await r.waitClosed()).toBe(true);
    expect(r.buffer.match(/\+OK \d+ \d+\r\n/g)?.length).toBe(1000);
  });

  it('200 connections that log in (POP3) or IDLE (IMAP) and vanish leak nothing', async () => {
    const socks = await Promise.all(
      Array.from(
        { length: 200 },
        (_, n) =>
          new Promise<Socket>((res) => {
            const so = connect(n % 2 ? P : I, '127.0.0.1');
            so.on('error', () => {});
            so.once('connect', () => res(so));
          }),
      ),
    );
    socks.forEach((so, n) =>
      so.write(n % 2 ? 'USER alice\r\nPASS wonderland\r\n' : LOGIN + 'b SELECT INBOX\r\nc IDLE\r\n'),
    );
    expect(await eventually(() => storeListenerCount(s.store) === 100)).toBe(true);
    for (const so of socks) so.destroy();
    expect(await eventually(() => s.connections() === 0 && storeListenerCount(s.store) === 0)).toBe(true);
    // The maildrop lock died with its holder.
    const p = await Raw.open(P);
    await p.write('USER alice\r\nPASS wonderland\r\n');
    await p.waitFor(/\+OK Logged in/);
    p.destroy();
  });

  it('a half-closed POP3 client gets its replies and nothing is committed', async () => {
    const r = await Raw.open(P, { allowHalfOpen: true });
    r.socket.end('USER alice\r\nPASS wonderland\r\nDELE 1\r\n');
    expect(await r.waitClosed()).toBe(true);
    expect(r.buffer).toMatch(/\+OK Logged in[^]*\+OK/);
    expect(s.store.getMailbox('alice', 'INBOX')!.messages.some((m) => m.uid === 1)).toBe(true);
  });

  it('bytes after QUIT and LOGOUT are ignored, the socket closes', async () => {
    const p = await Raw.open(P);
    await p.write('QUIT\r\nSTAT\r\nSTAT\r\n');
    expect(await p.waitClosed()).toBe(true);
    expect(p.buffer.split('\r\n').filter(Boolean)).toHaveLength(2);
    const i = await Raw.open(I);
    await i.write('a LOGOUT\r\nb NOOP\r\n');
    expect(await i.waitClosed()).toBe(true);
    expect(i.buffer).not.toMatch(/\r\nb /);
  });

  it('commands sent before reading the greeting are answered after it', async () => {
    const so = connect(P, '127.0.0.1');
    so.setEncoding('latin1');
    let out = '';
    so.on('data', (d: string) => (out += d));
    so.write('USER alice\r\nPASS wonderland\r\nSTAT\r\n');
    const r = await eventually(() => /\+OK \d+ \d+\r\n/.test(out));
    so.destroy();
    expect(r).toBe(true);
    expect(out.startsWith('+OK ')).toBe(true);
  });
});

describe('a client that never reads', () => {
  it('pipelined RETRs of a 1 MB message do not grow memory without bound; others are served', async () => {
    const raw = 'From: a@b\r\nSubject: big\r\n\r\n' + ('y'.repeat(998) + '\r\n').repeat(1000);
    const big = await startServers({
      pop3Port: 0,
      imapPort: 0,
      log: () => {},
      store: createLabStore({ inbox: [{ raw, internalDate: 0 }] }),
    });
    try {
      const so = connect(big.pop3.port, '127.0.0.1');
      so.on('error', () => {});
      await new Promise((r) => so.once('connect', r));
      so.pause();
      const heap0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      so.write('USER alice\r\nPASS wonderland\r\n' + 'RETR 1\r\n'.repeat(2000));
      await new Promise((r) => setTimeout(r, 500));
      const grown = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heap0;
      const p = await Raw.open(big.pop3.port);
      await p.write('CAPA\r\n');
      await p.waitFor(/\r\n\.\r\n/);
      p.destroy();
      so.destroy();
      // 2,000 copies would be 2 GB; V8 shares the stored body between replies, so this stays small.
      expect(grown).toBeLessThan(200e6);
    } finally {
      await big.close();
    }
  });

  it('IDLE left open, then the socket destroyed: no store listener left', async () => {
    const r = await Raw.open(I);
    await r.write(LOGIN + 'b SELECT INBOX\r\nc IDLE\r\n');
    await r.waitFor(/\+ idling/);
    s.store.deliver('alice', 'INBOX', 'From: x\r\nSubject: push\r\n\r\nhi\r\n');
    await r.waitFor(/\* \d+ EXISTS\r\n[^]*$/);
    r.destroy();
    expect(await eventually(() => s.connections() === 0)).toBe(true);
    expect(storeListenerCount(s.store)).toBe(0);
  });
});
