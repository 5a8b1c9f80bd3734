/**
 * `npm run serve -- --folders inbox` against Dovecot's replies, recorded: each file of
 * tests/transcripts/dovecot is what a stock Dovecot 2.3.19 (maildir, "/" separator, INBOX alone,
 * tests/imap/fixtures in INBOX) answered to its client lines, normalized by
 * tests/imap/dovecot-wire.ts (free text, UIDVALIDITY values, capability lists, dates and POP3
 * unique-ids dropped). The same lines go to our server over TCP, on a fresh account each time,
 * and must get the same normalized replies. Needs no Dovecot: re-record a file with
 * `tests/imap/tools/tcp-diff.ts FILE ... --record FILE` against a live one (docs/imap.md).
 * Where Dovecot is installed (and we are root), each script also runs against a fresh one, which
 * must still answer as recorded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServers } from '../../src/cli/serve';
import { importEmlDir } from '../../src/cli/import';
import { diffLines, parseScript, runScript } from '../imap/dovecot-wire';
import { FIXTURE_DIR } from '../imap/harness';
import { dovecotAvailable, startDovecot } from './helpers';

const DIR = join(__dirname, '..', 'transcripts', 'dovecot');
const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('--folders inbox replies match the recorded Dovecot replies (tests/transcripts/dovecot)', () => {
  it('has recordings', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)(
    '%s',
    async (file) => {
      const recorded = readFileSync(join(DIR, file), 'latin1').split('\n').filter(Boolean);
      const lab = await startServers({
        pop3Port: 0,
        imapPort: 0,
        folders: 'inbox',
        messages: FIXTURE_DIR,
        log: () => {},
      });
      try {
        const ours = await runScript(parseScript(recorded.join('\n')), {
          imap: lab.imap.port,
          pop3: lab.pop3.port,
        });
        expect(ours.join('\n')).toBe(recorded.join('\n'));
      } finally {
        await lab.close();
      }
    },
    60000,
  );
});

describe.runIf(dovecotAvailable())('a live Dovecot still answers as recorded', () => {
  it.each(files)(
    '%s',
    async (file) => {
      const recorded = readFileSync(join(DIR, file), 'latin1').split('\n').filter(Boolean);
      const dovecot = await startDovecot(await importEmlDir(FIXTURE_DIR));
      if (!dovecot) return;
      try {
        const theirs = await runScript(parseScript(recorded.join('\n')), {
          imap: dovecot.imapPort,
          pop3: dovecot.pop3Port,
        });
        expect(diffLines(recorded, theirs).filter((l) => /^[+-]/.test(l))).toEqual([]);
      } finally {
        await dovecot.stop();
      }
    },
    60000,
  );
});
