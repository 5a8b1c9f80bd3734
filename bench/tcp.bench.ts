/**
 * POP3 over real TCP (loopback): commands per second one at a time (send, wait for the reply)
 * and pipelined (RFC 2449 PIPELINING: many commands in one write), on a 10,000-message maildrop;
 * plus RETR throughput and the MIME model's parse rate on the same messages.
 */
import { performance } from 'node:perf_hooks';
import { startServers } from '../src/cli/serve';
import { createLabStore, generateMessages } from '../src/mail/fixtures';
import { clearMimeCache, getMime, parseMime } from '../src/mail/mime';
import { RawPop3 } from '../tests/cli/helpers';

const COMMANDS = ['STAT', 'LIST 1', 'UIDL 2', 'NOOP', 'LIST 9999'];

export default async function (): Promise<void> {
  const messages = generateMessages(10000, 7);
  const store = createLabStore({ inbox: messages });
  const running = await startServers({ pop3Port: 0, imapPort: 0, store, log: () => {} });
  try {
    const c = await RawPop3.open(running.pop3.port);
    await c.greeting();
    await c.command('USER alice');
    await c.command('PASS wonderland');

    // One at a time: each command waits for its reply (a round trip per command).
    const serial = 5000;
    let t = performance.now();
    for (let i = 0; i < serial; i++) await c.command(COMMANDS[i % COMMANDS.length]);
    let ms = performance.now() - t;
    console.log(
      `POP3 over TCP, one at a time: ${Math.round(serial / (ms / 1000))} commands/s (${(ms / serial).toFixed(3)} ms each)`,
    );

    // Pipelined: batches of 1,000 commands per write, replies read as they come.
    const batches = 20;
    const batch = Array.from({ length: 1000 }, (_, i) => COMMANDS[i % COMMANDS.length] + '\r\n').join('');
    t = performance.now();
    for (let b = 0; b < batches; b++) {
      c.write(batch);
      for (let i = 0; i < 1000; i++) await c.reply(false);
    }
    ms = performance.now() - t;
    console.log(`POP3 over TCP, pipelined:      ${Math.round((batches * 1000) / (ms / 1000))} commands/s`);

    // Big multi-line replies: LIST of 10,000 and RETR of many messages.
    t = performance.now();
    await c.command('LIST');
    console.log(`LIST of 10,000 messages over TCP: ${(performance.now() - t).toFixed(1)} ms`);
    let bytes = 0;
    t = performance.now();
    for (let i = 1; i <= 2000; i++) bytes += (await c.command(`RETR ${i}`)).length;
    ms = performance.now() - t;
    console.log(
      `RETR x2000 over TCP: ${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MB/s (${(bytes / 1048576).toFixed(1)} MB)`,
    );
    c.close();
  } finally {
    await running.close();
  }

  // The MIME model: a cold parse of every message, then the cached lookup.
  clearMimeCache();
  let t = performance.now();
  for (const m of messages) parseMime(m.raw);
  const cold = performance.now() - t;
  for (const m of messages) getMime(m.raw);
  t = performance.now();
  for (const m of messages) getMime(m.raw);
  const warm = performance.now() - t;
  const mb = messages.reduce((n, m) => n + m.raw.length, 0) / 1048576;
  console.log(
    `parseMime, 10,000 messages (${mb.toFixed(1)} MB): ${cold.toFixed(0)} ms cold, ${warm.toFixed(1)} ms cached`,
  );
}
