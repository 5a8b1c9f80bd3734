/**
 * Differential check of two live servers over TCP (dev tool, not part of the suite):
 *
 *   npx tsx tests/imap/tools/tcp-diff.ts script.txt THEIR_IMAP THEIR_POP3 OUR_IMAP OUR_POP3 [--record FILE] [--record-ours FILE]
 *
 * typically a Dovecot and `npm run serve -- --folders inbox --messages tests/imap/fixtures`,
 * both starting with the same INBOX. The script is in the format of tests/imap/dovecot-wire.ts
 * ("C: a1 LIST "" *", "CP: STAT" for POP3, "sleep MS", "# comment"). Prints the normalized
 * lines that differ ("-" Dovecot, "+" ours; VERBOSE=1 prints the equal ones too). --record
 * writes Dovecot's normalized transcript to FILE (a fixture for tests/transcripts/dovecot),
 * --record-ours ours.
 * Each run changes both servers' mailboxes: start both afresh before the next script.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { diffLines, parseScript, runScript } from '../dovecot-wire';

async function main() {
  const args = process.argv.slice(2);
  const rec = args.indexOf('--record');
  const recordTo = rec >= 0 ? args.splice(rec, 2)[1] : undefined;
  const recOurs = args.indexOf('--record-ours');
  const recordOursTo = recOurs >= 0 ? args.splice(recOurs, 2)[1] : undefined;
  const [file, ti, tp, oi, op] = args;
  if (!op) {
    process.stderr.write(
      'usage: tcp-diff.ts script.txt THEIR_IMAP THEIR_POP3 OUR_IMAP OUR_POP3 [--record FILE]\n',
    );
    process.exit(2);
  }
  const steps = parseScript(readFileSync(file, 'latin1'));
  const theirs = await runScript(steps, { imap: Number(ti), pop3: Number(tp) });
  const ours = await runScript(steps, { imap: Number(oi), pop3: Number(op) });
  if (recordTo) writeFileSync(recordTo, theirs.join('\n') + '\n', 'latin1');
  if (recordOursTo) writeFileSync(recordOursTo, ours.join('\n') + '\n', 'latin1');
  const diff = diffLines(theirs, ours, !!process.env.VERBOSE);
  const count = diff.filter((l) => /^[+-]/.test(l)).length;
  for (const l of diff) if (process.env.VERBOSE || /^[+-]/.test(l) || count) console.log(l);
  console.log(count ? `${count} differing lines` : 'identical after normalization');
  process.exit(count ? 1 : 0);
}

void main();
