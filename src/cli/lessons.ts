/**
 * `npm run lessons -- check [FILE|DIR…]` validate lessons (all of lessons/ without files): schema, scenario,
 *                                      every solution meets its goal, no goal met at its step's start
 * `npm run lessons -- solve <id|FILE>` play a lesson's solutions headless; print each step and the wire
 * `npm run lessons -- list`            id, track, title, claims and steps of every lesson
 * `npm run lessons -- schema [--check]` write lessons/lesson.schema.json (or fail if it is out of date)
 *
 * Exit status 0 when everything is fine, 1 on any problem, 2 on a usage error.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { World } from '../world/world';
import { LessonError, problemText, type LessonProblem } from '../lessons/errors';
import { parseLesson, type Lesson } from '../lessons/parse';
import { lessonJsonSchema, TRACKS } from '../lessons/schema';
import { playLesson } from '../lessons/verify';
import type { LessonWorldFactory } from '../lessons/engine';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LESSONS_DIR = join(ROOT, 'lessons');
export const SCHEMA_FILE = join(LESSONS_DIR, 'lesson.schema.json');
/** The language of lessons at the top of lessons/ and in lessons/en/. */
const DEFAULT_LANG = 'en';

export const nodeWorld: LessonWorldFactory = (scenario, options) =>
  World.fromScenario(scenario, { protocol: options.protocol });

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Every lesson file under lessons/ (top level and one folder per language). */
export function lessonFiles(dir = LESSONS_DIR): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith('.md') && statSync(path).isFile() && name !== 'README.md') files.push(path);
    else if (/^[a-z]{2}(-[A-Z]{2})?$/.test(name) && statSync(path).isDirectory())
      for (const f of readdirSync(path).sort()) if (f.endsWith('.md')) files.push(join(path, f));
  }
  return files;
}

const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
};

/** The language a file's place implies: lessons/<lang>/x.md, else English. */
function langOf(file: string): string {
  const parent = basename(dirname(resolve(file)));
  return /^[a-z]{2}(-[A-Z]{2})?$/.test(parent) ? parent : DEFAULT_LANG;
}

interface Loaded {
  file: string;
  lesson: Lesson | null;
  problems: LessonProblem[];
}

function load(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return {
      file,
      lesson: null,
      problems: [{ path: '', message: `cannot read: ${(err as Error).message}` }],
    };
  }
  try {
    return { file, lesson: parseLesson(text, shown(file)), problems: [] };
  } catch (err) {
    if (err instanceof LessonError) return { file, lesson: null, problems: err.problems };
    throw err;
  }
}

function check(files: string[], io: Output): number {
  const loaded = files.map(load);
  const byLang = new Map<string, Map<string, string>>();
  let bad = 0;
  for (const l of loaded) {
    const problems = [...l.problems];
    if (l.lesson) {
      const lesson = l.lesson;
      const name = basename(l.file, '.md');
      if (name !== lesson.id)
        problems.push({ path: 'id', message: `the file is named ${name}.md but its id is "${lesson.id}"` });
      const lang = langOf(l.file);
      if (lesson.lang !== lang)
        problems.push({
          path: 'lang',
          message: `the lesson says lang ${lesson.lang} but lives in the ${lang} folder`,
        });
      const ids = byLang.get(lang) ?? new Map<string, string>();
      byLang.set(lang, ids);
      if (ids.has(lesson.id))
        problems.push({
          path: 'id',
          message: `"${lesson.id}" is also the id of ${shown(ids.get(lesson.id)!)}`,
        });
      ids.set(lesson.id, l.file);
      if (problems.length === 0) problems.push(...playLesson(lesson, nodeWorld).problems);
    }
    if (problems.length === 0) {
      io.out(`ok    ${shown(l.file)}  ${l.lesson!.id} (${l.lesson!.steps.length} steps)`);
      continue;
    }
    bad++;
    io.out(`FAIL  ${shown(l.file)}  ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}`);
    for (const p of problems)
      io.err(
        `  ${shown(l.file)}:${p.line !== undefined ? `${p.line}:` : ''} ${problemText({ ...p, line: undefined })}`,
      );
  }
  // A translation needs the English lesson it translates.
  const english = new Set([
    ...(byLang.get(DEFAULT_LANG)?.keys() ?? []),
    ...lessonFiles()
      .filter((f) => langOf(f) === DEFAULT_LANG)
      .map((f) => basename(f, '.md')),
  ]);
  for (const [lang, ids] of byLang) {
    if (lang === DEFAULT_LANG) continue;
    for (const [id, file] of ids)
      if (!english.has(id)) {
        bad++;
        io.err(`FAIL  ${shown(file)}  no English lesson "${id}" for this ${lang} translation`);
      }
  }
  io.out(
    `${loaded.length} lesson${loaded.length === 1 ? '' : 's'} checked, ${bad === 0 ? 'all fine' : `${bad} with problems`}`,
  );
  return bad === 0 ? 0 : 1;
}

function find(ref: string): Loaded | null {
  if (ref.endsWith('.md') || ref.includes('/')) return load(ref);
  for (const file of lessonFiles()) {
    if (basename(file, '.md') === ref && langOf(file) === DEFAULT_LANG) return load(file);
  }
  return null;
}

function solve(ref: string, io: Output): number {
  const l = find(ref);
  if (!l) {
    io.err(`no lesson "${ref}" (see npm run lessons -- list)`);
    return 1;
  }
  if (!l.lesson) {
    for (const p of l.problems) io.err(`${shown(l.file)}: ${problemText(p)}`);
    return 1;
  }
  const lesson = l.lesson;
  io.out(`${lesson.title} (${lesson.id}; ${lesson.claims.join(' ') || 'no claims'})`);
  const play = playLesson(lesson, nodeWorld);
  for (const o of play.outcomes) {
    const step = lesson.steps[o.index];
    io.out('');
    io.out(`Step ${o.index + 1}/${lesson.steps.length}${o.title ? `: ${o.title}` : ''}`);
    io.out(`  before: ${o.before.met ? 'ALREADY MET' : 'not met'}. ${o.before.text}`);
    io.out('  solution:');
    for (const line of play.run?.solutionLines(step.solution) ?? []) io.out(`    ${line.text}`);
    for (const [device, lines] of Object.entries(o.transcripts)) {
      io.out(`  wire (${device}):`);
      for (const t of lines) io.out(`    ${t.dir}: ${t.text}`);
    }
    io.out(
      `  after: ${o.after === null ? 'not played' : o.after.met ? 'goal met' : 'NOT MET'}. ${o.after?.text ?? ''}`,
    );
  }
  io.out('');
  if (play.problems.length) {
    for (const p of play.problems) io.err(`${shown(l.file)}: ${problemText(p)}`);
    return 1;
  }
  io.out(
    `Solved: ${lesson.steps.length} steps, ${lesson.steps.reduce((n, s) => n + s.solution.length, 0)} commands and actions.`,
  );
  return 0;
}

function list(io: Output): number {
  const lessons = lessonFiles()
    .map(load)
    .filter((l) => l.lesson)
    .map((l) => ({ lesson: l.lesson!, lang: langOf(l.file) }))
    .filter((l) => l.lang === DEFAULT_LANG)
    .map((l) => l.lesson)
    .sort(
      (a, b) =>
        TRACKS.indexOf(a.track) - TRACKS.indexOf(b.track) || a.order - b.order || a.id.localeCompare(b.id),
    );
  const rows = lessons.map((l) => [
    l.id,
    l.track,
    l.title,
    l.claims.join(' ') || '-',
    String(l.steps.length),
  ]);
  const head = ['id', 'track', 'title', 'claims', 'steps'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows])
    io.out(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}

export function schemaText(): string {
  return JSON.stringify(lessonJsonSchema(), null, 2) + '\n';
}

function schema(args: string[], io: Output): number {
  const text = schemaText();
  if (args.includes('--check')) {
    const now = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (now === text) {
      io.out(`${shown(SCHEMA_FILE)} is up to date`);
      return 0;
    }
    io.err(`${shown(SCHEMA_FILE)} is out of date: run npm run lessons -- schema`);
    return 1;
  }
  writeFileSync(SCHEMA_FILE, text);
  io.out(`wrote ${shown(SCHEMA_FILE)}`);
  return 0;
}

const USAGE = `usage:
  npm run lessons -- check [FILE…]
  npm run lessons -- solve <id | FILE>
  npm run lessons -- list
  npm run lessons -- schema [--check]`;

export function main(argv: string[], io: Output = { out: console.log, err: console.error }): number {
  const [command, ...args] = argv;
  switch (command) {
    case 'check': {
      // A folder stands for the lessons in it (lessons/, lessons/en/).
      const files = args.length
        ? args.flatMap((a) =>
            existsSync(a) && statSync(a).isDirectory() ? lessonFiles(resolve(a)) : [resolve(a)],
          )
        : lessonFiles();
      if (files.length === 0) {
        io.err('no lesson files found');
        return 1;
      }
      return check(files, io);
    }
    case 'solve':
      if (args.length !== 1) break;
      return solve(args[0], io);
    case 'list':
      return list(io);
    case 'schema':
      return schema(args, io);
  }
  io.err(USAGE);
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
