/** `npm run lessons`: check, solve, list and schema, with their output and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonFiles, main, SCHEMA_FILE, schemaText } from '../../src/cli/lessons';
import { lessonJsonSchema } from '../../src/lessons/schema';
import { FIXTURES } from './helpers';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
const f = (name: string) => join(FIXTURES, name);

describe('npm run lessons -- check', () => {
  it('a good file: one ok line, exit 0', () => {
    const r = run('check', f('good.md'));
    expect(r.code).toBe(0);
    expect(r.out).toEqual([expect.stringMatching(/^ok {4}.*good\.md {2}good \(2 steps\)$/), '1 lesson checked, all fine']);
    expect(r.err).toEqual([]);
  });

  it('broken files: one FAIL line each, then file:line: path and reason; exit 1', () => {
    const r = run('check', f('good.md'), f('broken-solution.md'), f('broken-met-at-start.md'), f('broken-schema.md'));
    expect(r.code).toBe(1);
    expect(r.out.filter((l) => l.startsWith('FAIL'))).toHaveLength(3);
    expect(r.out.at(-1)).toBe('4 lessons checked, 3 with problems');
    expect(r.err).toContainEqual(
      expect.stringMatching(
        /broken-solution\.md: steps\[1\]\.solution: step 2 \("The phone"\): the solution does not meet the goal: The phone holds 0 messages; the goal is 5 messages\.$/,
      ),
    );
    expect(r.err).toContainEqual(
      expect.stringMatching(/broken-met-at-start\.md: steps\[0\]\.goal: step 1: the goal is already met before the learner acts/),
    );
    expect(r.err).toContainEqual(expect.stringMatching(/broken-schema\.md:13: steps\[0\]\.hints: give at least two hints/));
  });

  it('hostile files are refused with reasons, and nothing runs', () => {
    const hostile = ['hostile-script.md', 'hostile-yaml-bomb.md', 'hostile-proto.md', 'hostile-tags.md'];
    const r = run('check', ...hostile.map(f));
    expect(r.code).toBe(1);
    expect(r.out.filter((l) => l.startsWith('FAIL'))).toHaveLength(4);
    expect(r.err.join('\n')).toMatch(/raw HTML is not allowed/);
    expect(r.err.join('\n')).toMatch(/anchors and aliases/);
    expect(r.err.join('\n')).toMatch(/the key "__proto__" is not allowed/);
    expect(r.err.join('\n')).toMatch(/Unresolved tag/);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('a file that does not exist, and a file named unlike its id', () => {
    expect(run('check', f('nope.md')).err.join('\n')).toMatch(/cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    const other = join(dir, 'other-name.md');
    writeFileSync(other, readFileSync(f('good.md'), 'utf8'));
    const r = run('check', other);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('id: the file is named other-name.md but its id is "good"');
  });

  it('with no files, checks every lesson in lessons/', () => {
    const r = run('check');
    expect(r.code).toBe(0);
    expect(r.out.at(-1)).toBe(`${lessonFiles().length} lessons checked, all fine`);
  });
});

describe('npm run lessons -- solve / list / schema', () => {
  it('solve prints each step, the wire and the outcome', () => {
    const r = run('solve', 'pop3-login');
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain('Step 1/3: Say who you are');
    expect(text).toContain('    C: USER alice');
    expect(text).toContain('    S: +OK Logged in.');
    expect(text).toContain("  after: goal met. The laptop's terminal session is in the TRANSACTION state.");
    expect(r.out.at(-1)).toBe('Solved: 3 steps, 3 commands and actions.');
    const broken = run('solve', f('broken-solution.md'));
    expect(broken.code).toBe(1);
    expect(broken.out.join('\n')).toContain('after: NOT MET.');
    expect(run('solve', 'no-such-lesson')).toMatchObject({ code: 1, err: ['no lesson "no-such-lesson" (see npm run lessons -- list)'] });
  });

  it('list shows id, track, title, claims and steps, tracks in order', () => {
    const r = run('list');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^id +track +title +claims +steps$/);
    expect(r.out[1]).toMatch(/^pop3-login +pop3-wire +Connect and log in to POP3 +- +3$/);
    expect(r.out.some((l) => /^story-lost-laptop +stories +The lost laptop +C8 C10 +4$/.test(l))).toBe(true);
    expect(r.out).toHaveLength(lessonFiles().length + 1);
  });

  it('the committed JSON Schema is the one the schema generates', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(lessonJsonSchema());
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
    expect(run('schema', '--check').code).toBe(0);
  });

  it('usage errors exit 2', () => {
    expect(run('frobnicate').code).toBe(2);
    expect(run('solve').code).toBe(2);
  });

  it('the real command exits non-zero on a broken file', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/lessons.ts', 'check', f('broken-solution.md')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FAIL /);
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/lessons.ts', 'check', f('good.md')], {
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
  });
});
