import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLab } from './helpers';
import { replayTranscript } from './transcript';

const dir = join(__dirname, '..', 'transcripts', 'pop3');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('POP3 transcripts (tests/transcripts/pop3)', () => {
  it('has transcripts', () => expect(files.length).toBeGreaterThan(3));
  it.each(files)('%s', (file) => {
    const { server, store } = makeLab();
    expect(
      replayTranscript(readFileSync(join(dir, file), 'utf8'), { server, store, protocol: 'pop3' }),
    ).toEqual([]);
  });

  it('reports mismatches, missing and unread output (the replayer can fail)', () => {
    const { server, store } = makeLab();
    const failures = replayTranscript(
      'S: +OK {*}\nC: STAT\nS: +OK 1 1\nC: NOOP\nS: -ERR {*}\nS: +OK\n! uids alice INBOX 1\nC: CAPA\n',
      {
        server,
        store,
        protocol: 'pop3',
      },
    );
    expect(failures.map((f) => f.line)).toEqual([3, 6, 7, 0]);
  });
});
