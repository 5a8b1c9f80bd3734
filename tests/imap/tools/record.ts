/**
 * Records a transcript from client lines: npx tsx tests/imap/tools/record.ts script.txt > out.txt
 * (script lines are "C: ..." or "C2: ..."). Check the result against Dovecot with dovecot-diff.ts.
 */
import { readFileSync } from 'node:fs';
import { record } from '../replay';

process.stdout.write(Buffer.from(record(readFileSync(process.argv[2], 'latin1')), 'latin1'));
