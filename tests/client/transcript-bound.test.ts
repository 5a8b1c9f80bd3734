import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Link, type DeviceEnv } from '../../src/client/link';
import { transcriptLines } from '../../src/client/transcript';
import type { TranscriptLine } from '../../src/client/types';
import type { Connection } from '../../src/server/types';

/** A connection that delivers whatever the test hands it. */
function fakeConnection(): { conn: Connection; arrive: (bytes: string) => void } {
  let listener: (bytes: string) => void = () => {};
  const conn: Connection = {
    id: 'fake-1',
    protocol: 'pop3',
    state: 'TRANSACTION',
    closed: false,
    send: () => {},
    close: () => {},
    onOutput: (l) => {
      listener = l;
      return () => {};
    },
    onClose: () => () => {},
  };
  return { conn, arrive: (b) => listener(b) };
}

/** Every line noted one by one, with no bound: what the kept lines must be a suffix of. */
function allLines(start: TranscriptLine[], chunks: string[], at: number): TranscriptLine[] {
  const t = start.slice();
  for (const raw of chunks) {
    const body = raw.endsWith('\r\n') ? raw.slice(0, -2) : raw;
    for (const text of body.split('\r\n')) t.push({ dir: 'S', text, at });
  }
  return t;
}

function run(limit: number, start: TranscriptLine[], chunks: string[]) {
  const transcript = start.slice();
  const env: DeviceEnv = {
    connect: () => {
      throw new Error('unused');
    },
    now: () => 42,
    emit: () => {},
    attention: () => {},
    transcriptLimit: limit,
  };
  const { conn, arrive } = fakeConnection();
  const link = new Link(conn, 'pop3', 'laptop', env, transcript);
  for (const c of chunks) {
    arrive(c);
    link.flushIncoming();
  }
  return transcript;
}

describe('device transcript bound', () => {
  it('keeps the newest lines of what crossed the wire, never more than 2 x limit, however long the reply', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.array(fc.constantFrom('a', 'bc', '', '.x', '\r'), { maxLength: 40 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 30 }),
        (limit, replies, already) => {
          const start: TranscriptLine[] = Array.from({ length: Math.min(already, limit * 2) }, (_, i) => ({
            dir: 'C',
            text: `old ${i}`,
            at: 1,
          }));
          const chunks = replies.map((lines) => lines.join('\r\n') + '\r\n');
          const kept = transcriptLines(run(limit, start, chunks));
          const all = allLines(start, chunks, 42);
          expect(kept.length).toBeLessThanOrEqual(limit * 2);
          // What is kept is exactly the end of everything, in order.
          expect(kept).toEqual(all.slice(all.length - kept.length));
          // The newest reply is always there (its last `limit` lines when it alone is longer).
          if (chunks.length) {
            const newest = chunks[chunks.length - 1].split('\r\n').length - 1;
            expect(kept.length).toBeGreaterThanOrEqual(Math.min(limit, newest));
          }
          // Until the bound is reached nothing is dropped.
          if (all.length <= limit * 2) expect(kept).toEqual(all);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores one entry per reply, split into lines only when read', () => {
    const transcript = run(100, [], ['+OK 2 messages\r\n1 aa\r\n2 bb\r\n.\r\n', '+OK bye\r\n']);
    expect(transcript.map((c) => c.text)).toEqual(['+OK 2 messages\r\n1 aa\r\n2 bb\r\n.', '+OK bye']);
    expect(transcriptLines(transcript).map((l) => l.text)).toEqual([
      '+OK 2 messages',
      '1 aa',
      '2 bb',
      '.',
      '+OK bye',
    ]);
  });

  it('keeps only the last lines of a reply far longer than the bound', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => `line ${i}`).join('\r\n') + '\r\n';
    const transcript = run(50, [], [big]);
    const kept = transcriptLines(transcript);
    expect(kept).toHaveLength(50);
    expect(kept[0].text).toBe('line 99950');
    expect(kept[49].text).toBe('line 99999');
  });
});
