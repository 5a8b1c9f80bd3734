import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Link, type DeviceEnv } from '../../src/client/link';
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

/** What the transcript must hold: every line noted one by one, trimmed to `limit` past 2 * limit. */
function naive(start: TranscriptLine[], chunks: string[], limit: number, at: number): TranscriptLine[] {
  const t = start.slice();
  for (const raw of chunks) {
    const body = raw.endsWith('\r\n') ? raw.slice(0, -2) : raw;
    for (const text of body.split('\r\n')) {
      t.push({ dir: 'S', text, at });
      if (t.length > limit * 2) t.splice(0, t.length - limit);
    }
  }
  return t;
}

describe('device transcript bound', () => {
  it('keeps exactly the lines a line-by-line transcript would keep, however long the reply', () => {
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
          const chunks = replies.map((lines) => lines.join('\r\n') + '\r\n');
          for (const c of chunks) {
            arrive(c);
            link.flushIncoming();
          }
          expect(transcript).toEqual(naive(start, chunks, limit, 42));
        },
      ),
      { numRuns: 300 },
    );
  });
});
