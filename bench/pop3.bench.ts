import { MailStore } from '../src/mail/store';
import { createMailServer } from '../src/server';

/**
 * POP3 engine figures (issue 2 §7): commands per second in-process (targets ≥ 20,000/s) and
 * STAT / LIST / UIDL latency on a 10,000-message maildrop (target < 1 ms each).
 */

function message(i: number): string {
  const body = Array.from(
    { length: 1 + (i % 20) },
    (_, k) => `Line ${k} of message ${i}, some text to read.`,
  ).join('\r\n');
  return `From: sender${i % 50}@example.org\r\nTo: alice@example.org\r\nSubject: Message ${i}\r\nMessage-ID: <${i}@example.org>\r\n\r\n${body}\r\n`;
}

function setup(count: number) {
  const store = new MailStore({ now: () => 1_700_000_000_000 });
  store.addAccount('alice', 'wonderland');
  for (let i = 0; i < count; i++) store.deliver('alice', 'INBOX', message(i));
  const server = createMailServer({ store });
  const conn = server.connect('pop3');
  let bytes = 0;
  conn.onOutput((b) => {
    bytes += b.length;
  });
  conn.send('USER alice\r\nPASS wonderland\r\n');
  return { conn, bytes: () => bytes };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

export default async function (): Promise<void> {
  // Commands per second: a mix of STAT, LIST n, UIDL n and NOOP, one command per send().
  {
    const { conn } = setup(1000);
    const lines = ['STAT\r\n', 'LIST 17\r\n', 'UIDL 500\r\n', 'NOOP\r\n'];
    for (let i = 0; i < 20_000; i++) conn.send(lines[i & 3]); // warm up
    const n = 200_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) conn.send(lines[i & 3]);
    const ms = performance.now() - t0;
    console.log(
      `pop3 in-process: ${Math.round((n / ms) * 1000).toLocaleString('en-US')} commands/s (mixed STAT, LIST n, UIDL n, NOOP; target >= 20,000)`,
    );
  }

  // Latency on a 10,000-message maildrop.
  {
    const t0 = performance.now();
    const { conn } = setup(10_000);
    console.log(`pop3 10,000-message maildrop: delivery + login ${(performance.now() - t0).toFixed(1)} ms`);
    for (const [name, line, repeat] of [
      ['STAT', 'STAT\r\n', 2000],
      ['LIST (full listing)', 'LIST\r\n', 200],
      ['UIDL (full listing)', 'UIDL\r\n', 200],
      ['LIST after DELE (cache rebuilt)', null, 200],
      ['RETR 5000', 'RETR 5000\r\n', 2000],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < repeat; i++) {
        if (line === null) {
          conn.send(i % 2 ? 'RSET\r\n' : `DELE ${1 + (i % 9999)}\r\n`);
          const t = performance.now();
          conn.send('LIST\r\n');
          times.push(performance.now() - t);
          continue;
        }
        const t = performance.now();
        conn.send(line);
        times.push(performance.now() - t);
      }
      console.log(
        `pop3 ${name} on 10,000 messages: median ${percentile(times, 0.5).toFixed(3)} ms, p95 ${percentile(times, 0.95).toFixed(3)} ms (target < 1 ms)`,
      );
    }
  }
}
