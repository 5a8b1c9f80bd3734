import { generateMessages } from '../src/mail/fixtures';
import { MailStore } from '../src/mail/store';
import { createMailServer } from '../src/server';

/**
 * IMAP engine figures (issue 3): on a 10,000-message INBOX, `FETCH 1:* (FLAGS UID)`
 * (target ≤ 50 ms) and `SEARCH UNSEEN` (target ≤ 20 ms); and the time for one flag change
 * to reach 50 sessions in IDLE (target ≤ 10 ms), all in-process. Medians of several runs.
 */

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function makeServer(count: number) {
  const store = new MailStore({ now: () => Date.UTC(2025, 5, 1) });
  store.addAccount('alice', 'wonderland');
  for (const [i, m] of generateMessages(count, 7).entries())
    store.deliver('alice', 'INBOX', m.raw, {
      internalDate: m.internalDate,
      flags: i % 3 === 0 ? ['\\Seen'] : [],
    });
  return { store, server: createMailServer({ store }) };
}

function session(server: ReturnType<typeof makeServer>['server']) {
  const conn = server.connect('imap');
  let out = '';
  conn.onOutput((b) => (out += b));
  const cmd = (line: string) => {
    out = '';
    conn.send(line + '\r\n');
    return out;
  };
  cmd('a LOGIN alice wonderland');
  cmd('b SELECT INBOX');
  return { conn, cmd, take: () => ((out = ''), out) };
}

function time(run: () => void, rounds = 7): number {
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    run();
    t.push(performance.now() - t0);
  }
  return median(t);
}

export default async function (): Promise<void> {
  const N = 10000;
  const { server } = makeServer(N);
  const s = session(server);

  let bytes = 0;
  const fetchMs = time(() => {
    bytes = s.cmd('f FETCH 1:* (FLAGS UID)').length;
  });
  console.log(
    `imap FETCH 1:* (FLAGS UID), ${N} messages: ${fetchMs.toFixed(2)} ms (${(bytes / 1024).toFixed(0)} KB reply; target ≤ 50 ms)`,
  );

  let hits = 0;
  const searchMs = time(() => {
    hits = s.cmd('s SEARCH UNSEEN').split(' ').length - 2;
  });
  console.log(`imap SEARCH UNSEEN, ${N} messages: ${searchMs.toFixed(2)} ms (${hits} hits; target ≤ 20 ms)`);

  const uidSearchMs = time(() => s.cmd('u UID SEARCH FROM alice'), 3);
  console.log(`imap UID SEARCH FROM (header scan), ${N} messages: ${uidSearchMs.toFixed(1)} ms (no target)`);

  // Fan-out: one STORE by another session, received by 50 IDLE sessions.
  const idlers = Array.from({ length: 50 }, () => {
    const x = session(server);
    x.cmd('i IDLE');
    let got = 0;
    x.conn.onOutput(() => got++);
    return { count: () => got };
  });
  const writer = session(server);
  let seq = 1;
  const fanoutMs = time(() => {
    const before = idlers.map((i) => i.count());
    writer.cmd(`w STORE ${seq++} +FLAGS.SILENT (\\Flagged)`);
    if (idlers.some((i, k) => i.count() === before[k])) throw new Error('an IDLE session missed the change');
  }, 21);
  console.log(`imap flag change reaching 50 IDLE sessions: ${fanoutMs.toFixed(3)} ms (target ≤ 10 ms)`);
}
