/**
 * `npm run compare -- --list`            the shipped scenarios
 * `npm run compare -- <id | file.json>`  run under POP3 and IMAP, print both end states side by side
 * `npm run compare -- <id> --json`       the same as JSON (add --full for timelines and storage samples)
 */
import { readFileSync } from 'node:fs';
import { compare, type Comparison } from '../world/compare';
import { summarize, tableRows } from '../world/table';
import { ScenarioError, validateScenario, type Scenario } from '../world/scenario';
import { SCENARIOS, getScenario } from '../world/scenarios';

export { summarize };

/** A plain-text, two-column table of both end states. */
export function renderTable(c: Comparison): string {
  const rows = tableRows(c.pop3, c.imap).map((r): [string, string, string] => [r.label, r.pop3, r.imap]);
  const w0 = Math.max(...rows.map((r) => r[0].length), 10);
  const w1 = Math.max(...rows.map((r) => r[1].length), 4);
  const w2 = Math.max(...rows.map((r) => r[2].length), 4);
  const line = (a: string, b: string, d: string) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${d.padStart(w2)}`;
  return [
    `${c.scenario.id}: ${c.scenario.title}`,
    c.scenario.summary,
    `Claims: ${c.scenario.claims.join(', ')}`,
    '',
    line('', 'POP3', 'IMAP'),
    line('-'.repeat(w0), '-'.repeat(w1), '-'.repeat(w2)),
    ...rows.map((r) => line(...r)),
  ].join('\n');
}

function loadScenario(arg: string): Scenario {
  if (arg.endsWith('.json')) return validateScenario(JSON.parse(readFileSync(arg, 'utf8')));
  const s = getScenario(arg);
  if (!s) throw new Error(`no scenario "${arg}"; try --list`);
  return s;
}

export function main(argv: string[]): number {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const args = argv.filter((a) => !a.startsWith('--'));
  if (flags.has('--help') || (!flags.has('--list') && args.length === 0)) {
    console.log('usage: npm run compare -- --list | <scenario-id | file.json> [--json [--full]]');
    return args.length === 0 && !flags.has('--help') ? 2 : 0;
  }
  if (flags.has('--list')) {
    if (flags.has('--json'))
      console.log(
        JSON.stringify(
          SCENARIOS.map((s) => ({ id: s.id, title: s.title, claims: s.claims })),
          null,
          2,
        ),
      );
    else
      for (const s of SCENARIOS)
        console.log(`${s.id.padEnd(22)} ${s.claims.join(',').padEnd(12)} ${s.title}`);
    return 0;
  }
  let scenario: Scenario;
  try {
    scenario = loadScenario(args[0]);
  } catch (err) {
    console.error(err instanceof ScenarioError ? err.message : `error: ${(err as Error).message}`);
    return 1;
  }
  const result = compare(scenario);
  if (flags.has('--json')) {
    const out = flags.has('--full')
      ? result
      : { scenario: result.scenario, pop3: summarize(result.pop3), imap: summarize(result.imap) };
    console.log(JSON.stringify(out, null, 2));
  } else console.log(renderTable(result));
  return 0;
}

// Run only as a script (tests import main() and the renderers).
if (process.argv[1] && /compare\.ts$/.test(process.argv[1])) process.exitCode = main(process.argv.slice(2));
