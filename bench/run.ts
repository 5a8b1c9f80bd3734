/**
 * `npm run bench`: runs every bench/*.bench.ts (or only those named on the
 * command line, e.g. `npm run bench -- pop3 imap`) and prints their figures.
 * Benchmarks print numbers; they never fail on a target.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
  .sort();

for (const file of files) {
  console.log(`\n== ${file.replace(/\.bench\.ts$/, '')} ==`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
  try {
    await mod.default();
  } catch (err) {
    console.log(`  (bench failed: ${err instanceof Error ? err.message : String(err)})`);
    process.exitCode = 1;
  }
}
