import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from './replay';

const DIR = join(__dirname, '..', 'transcripts', 'imap');

describe('IMAP transcripts (tests/transcripts/imap, checked against Dovecot 2.3)', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
  it('has transcripts to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });
  for (const f of files) {
    it(f, () => {
      const failure = replay(readFileSync(join(DIR, f), 'latin1'));
      expect(failure, failure ? `line ${failure.line}: ${failure.message}` : '').toBeNull();
    });
  }

  it('reports a line that differs', () => {
    const f = replay('S: * OK [CAPABILITY...\nC: a1 NOOP\nS: a1 NO NOOP completed.\n');
    expect(f?.line).toBe(3);
  });

  it('reports output nobody expected', () => {
    const f = replay('S: * OK [CAPABILITY...\nC: a1 NOOP\nC: a2 NOOP\n');
    expect(f?.message).toMatch(/unexpected output/);
  });
});
