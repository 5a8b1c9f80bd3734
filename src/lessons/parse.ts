/**
 * Reads a lesson file: YAML front matter between `---` lines, then the Markdown introduction.
 * Lesson files are untrusted (opened from disk or a link), so before the schema sees a value:
 * the file has a size bound; YAML errors, warnings (unknown tags), anchors and aliases are
 * refused; keys such as `__proto__` are refused; nesting and size are bounded without recursion.
 * Every problem comes back in one LessonError with its path and, where known, its line.
 */
import { isAlias, isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { advanceMs, shapeProblem } from '../world/limits';
import { ScenarioError, validateScenario, type Scenario, type WorldAction } from '../world/scenario';
import { getScenario, SCENARIOS } from '../world/scenarios/index';
import { fnv1a } from '../client/summary';
import { LessonError, pathText, type LessonProblem } from './errors';
import { markdownProblems } from './markdown';
import {
  FrontMatter,
  type Check,
  type LessonStep,
  type SolutionEntry,
  type Track,
} from './schema';

/** Largest lesson file accepted, in characters. */
export const MAX_LESSON_SIZE = 512 * 1024;
/** Deepest nesting of the front matter (a real lesson nests about 8 levels). */
const MAX_DEPTH = 32;
const MAX_VALUES = 200_000;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface Lesson {
  id: string;
  lang: string;
  title: string;
  summary: string;
  claims: FrontMatter['claims'];
  track: Track;
  level: FrontMatter['level'];
  minutes: number;
  order: number;
  /** As written: a shipped scenario id, or the inline scenario. */
  start: FrontMatter['start'];
  /** The starting world, validated. */
  scenario: Scenario;
  protocol?: 'pop3' | 'imap';
  setup: SolutionEntry[];
  steps: LessonStep[];
  /** The Markdown body: the lesson's introduction. */
  intro: string;
  /** Changes whenever the lesson's content changes: progress made on another version is not resumed. */
  fingerprint: string;
}

/** A solution entry as the world action it is (`type` lines are `manual` actions). */
export function entryAction(entry: SolutionEntry): WorldAction {
  if ('type' in entry) return { do: 'manual', device: entry.device, line: entry.type };
  return entry as WorldAction;
}

/** Splits a lesson file into its front matter and body; the YAML starts on line `yamlLine`. */
function split(source: string): { yaml: string; body: string } | null {
  const m = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/.exec(source);
  if (!m) return null;
  return { yaml: m[1] ?? '', body: source.slice(m[0].length) };
}

/** Parses and validates one lesson file; throws LessonError listing every problem. */
export function parseLesson(source: unknown, file?: string): Lesson {
  const fail = (problems: LessonProblem[]): never => {
    // In file order: problems without a line (whole-file ones) first.
    const sorted = problems
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
      .map((x) => x.p);
    throw new LessonError(sorted, file);
  };
  if (typeof source !== 'string') fail([{ path: '', message: 'a lesson file is text' }]);
  const text = source as string;
  if (text.length > MAX_LESSON_SIZE)
    fail([{ path: '', message: `the file is too large (${text.length} characters; at most ${MAX_LESSON_SIZE})` }]);
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parts = split(normalized);
  if (!parts)
    fail([
      {
        path: 'front matter',
        line: 1,
        message: 'a lesson starts with YAML front matter between two lines of "---"',
      },
    ]);
  const { yaml, body } = parts!;

  // ---- YAML, refusing anything a lesson never needs ----------------------------------------
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(yaml, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (err) {
    return fail([{ path: 'front matter', message: `not readable YAML (${(err as Error).message})` }]);
  }
  // The YAML starts on the file's line 2.
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? undefined : lines.linePos(offset).line + 1;
  const yamlProblems: LessonProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings])
    yamlProblems.push({
      path: 'front matter',
      line: lineOf(e.pos[0]),
      message: /call stack/i.test(e.message)
        ? `too deeply nested (more than ${MAX_DEPTH} levels)`
        : `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    });
  // Later YAML errors mostly follow from the first; three are plenty to find it.
  if (yamlProblems.length) fail(yamlProblems.slice(0, 3));
  try {
    visit(doc, (_key, node) => {
      if (isAlias(node) || (isNode(node) && node.anchor)) {
        yamlProblems.push({
          path: 'front matter',
          line: lineOf(node.range?.[0]),
          message: 'YAML anchors and aliases (&name, *name) are not allowed in lessons: write the value out',
        });
        return visit.BREAK;
      }
      return undefined;
    });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    yamlProblems.push({ path: 'front matter', message: `too deeply nested (more than ${MAX_DEPTH} levels)` });
  }
  if (yamlProblems.length) fail(yamlProblems);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    const why = err instanceof RangeError ? `too deeply nested (more than ${MAX_DEPTH} levels)` : (err as Error).message;
    return fail([{ path: 'front matter', message: why }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail([{ path: 'front matter', line: 2, message: 'must be a mapping of fields (id: ..., title: ...)' }]);
  const shape = shapeProblem(value, MAX_DEPTH, MAX_VALUES);
  if (shape) fail([{ path: 'front matter', message: shape }]);
  const keyProblem = forbiddenKey(value);
  if (keyProblem)
    fail([
      {
        path: keyProblem.path,
        line: lineOf(nodeAt(doc, keyProblem.at)),
        message: `the key "${keyProblem.key}" is not allowed`,
      },
    ]);

  // ---- the schema -------------------------------------------------------------------------------
  const parsed = FrontMatter.safeParse(value);
  if (!parsed.success)
    fail(
      flattenIssues(parsed.error.issues, value).map((i) => ({
        path: pathText(i.path),
        line: lineOf(nodeAt(doc, i.path)),
        message: i.message,
      })),
    );
  const fm = parsed.data!;
  const problems: LessonProblem[] = [];
  const at = (path: PropertyKey[], message: string) =>
    problems.push({ path: pathText(path), line: lineOf(nodeAt(doc, path)), message });

  // ---- the starting world -----------------------------------------------------------------------
  let scenario: Scenario | null = null;
  if (typeof fm.start === 'string') {
    scenario = getScenario(fm.start) ?? null;
    if (!scenario)
      at(['start'], `unknown scenario "${fm.start}" (shipped: ${SCENARIOS.map((s) => s.id).join(', ')})`);
  } else {
    try {
      scenario = validateScenario({
        ...fm.start,
        id: fm.start.id ?? fm.id,
        title: fm.start.title ?? fm.title,
        summary: fm.start.summary ?? fm.summary,
        claims: fm.start.claims ?? fm.claims,
        timeline: [],
      });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      for (const p of err.problems) at(['start'], p.replace(/^scenario\./, ''));
    }
  }

  // ---- solutions as one timeline, from the world the previous steps leave ------------------------
  const setup = fm.setup ?? [];
  if (scenario) {
    const places: PropertyKey[][] = [];
    const timeline: WorldAction[] = [];
    setup.forEach((e, i) => {
      places.push(['setup', i]);
      timeline.push(entryAction(e));
    });
    fm.steps.forEach((s, k) =>
      s.solution.forEach((e, i) => {
        places.push(['steps', k, 'solution', i]);
        timeline.push(entryAction(e));
      }),
    );
    try {
      validateScenario({ ...scenario, timeline });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      for (const p of err.problems) {
        const m = /^timeline\[(\d+)\](\.\S+)?: (.*)$/.exec(p);
        if (!m) at(['start'], p);
        else {
          const place = places[Number(m[1])];
          const entry = 'type' in (getIn(fm, place) as object) ? true : false;
          const field = m[2] === '.line' && entry ? ['type'] : m[2] ? m[2].slice(1).split('.') : [];
          at([...place, ...field], m[3]);
        }
      }
    }
    // A lesson is a classroom activity: its simulated work stays small, so checking it (and
    // undoing in it) is quick, whatever a hostile file asks for.
    const work = simulatedWork(scenario, timeline);
    if (work > MAX_LESSON_WORK)
      at(
        ['steps'],
        `the lesson would simulate about ${Math.round(work)} mail checks and deliveries; a lesson stays under ${MAX_LESSON_WORK} (fewer days, fewer messages a day, or checks less often)`,
      );
    // Devices a goal names must exist by then (scenario devices and those added so far).
    const known = new Set(scenario.devices.map((d) => d.id));
    for (const e of setup) if ('do' in e && e.do === 'addDevice') known.add(e.device.id);
    fm.steps.forEach((s, k) => {
      for (const e of s.solution) if ('do' in e && e.do === 'addDevice') known.add(e.device.id);
      for (const ref of deviceRefs(s.goal, ['steps', k, 'goal']))
        if (!known.has(ref.device))
          at(ref.path, `unknown device "${ref.device}" (known by this step: ${[...known].join(', ')})`);
    });
  }

  // ---- Markdown -----------------------------------------------------------------------------------
  const prose: Array<[PropertyKey[], string]> = [];
  fm.steps.forEach((s, k) => {
    prose.push([['steps', k, 'prompt'], s.prompt], [['steps', k, 'explanation'], s.explanation]);
    s.hints.forEach((h, i) => prose.push([['steps', k, 'hints', i], h]));
  });
  for (const [path, md] of prose) for (const p of markdownProblems(md)) at(path, p);
  const intro = body.trim();
  if (!intro) problems.push({ path: 'body', message: 'the introduction (the Markdown after the front matter) is empty' });
  const bodyStart = normalized.length - body.length;
  const bodyLine = normalized.slice(0, bodyStart).split('\n').length;
  for (const p of markdownProblems(body)) problems.push({ path: 'body', line: bodyLine, message: p });

  if (problems.length) fail(problems);
  return {
    id: fm.id,
    lang: fm.lang ?? 'en',
    title: fm.title,
    summary: fm.summary,
    claims: fm.claims,
    track: fm.track,
    level: fm.level,
    minutes: fm.minutes,
    order: fm.order ?? 100,
    start: fm.start,
    scenario: scenario!,
    ...(fm.protocol ? { protocol: fm.protocol } : {}),
    setup,
    steps: fm.steps,
    intro,
    fingerprint: fnv1a(JSON.stringify([fm, intro])),
  };
}

/** Most scheduled checks plus random deliveries a lesson's setup and solutions may cause. */
export const MAX_LESSON_WORK = 100_000;

/** About how many scheduled checks and random deliveries a timeline causes. */
function simulatedWork(scenario: Scenario, timeline: readonly WorldAction[]): number {
  const every = new Map(scenario.devices.map((d) => [d.id, d.settings?.checkEveryMinutes ?? null]));
  let work = 0;
  for (const a of timeline) {
    if (a.do === 'settings' && a.settings.checkEveryMinutes !== undefined)
      every.set(a.device, a.settings.checkEveryMinutes);
    else if (a.do === 'addDevice') every.set(a.device.id, a.device.settings?.checkEveryMinutes ?? null);
    else if (a.do === 'traffic') work += a.perDay * a.days;
    else if (a.do === 'advance') {
      const minutes = advanceMs(a) / 60_000;
      for (const m of every.values()) if (m) work += minutes / m;
    }
  }
  return work;
}

function getIn(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** Offset of the YAML node at `path`, or of its nearest parent that exists. */
function nodeAt(doc: Document.Parsed, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

/** The first key such as `__proto__` anywhere in the value, without recursion. */
function forbiddenKey(value: unknown): { key: string; path: string; at: PropertyKey[] } | null {
  const stack: Array<[unknown, PropertyKey[]]> = [[value, []]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) return { key: k, path: pathText([...path, k]), at: [...path, k] };
      stack.push([(v as Record<string, unknown>)[k], [...path, Array.isArray(v) ? Number(k) : k]]);
    }
  }
  return null;
}

interface FlatIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * zod reports a value that fits no branch of a union as "Invalid input"; a teacher needs the
 * branch they meant: a solution entry with `type` is a typed line, one with `do` an action.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], root: unknown, base: PropertyKey[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  // "Unrecognized key" already says what is wrong with a check; "exactly one of" would only repeat it.
  const unknownKeysAt = new Set(
    issues.filter((i) => i.code === 'unrecognized_keys').map((i) => pathText([...base, ...i.path])),
  );
  for (const issue of issues) {
    if (
      issue.code === 'custom' &&
      issue.message.startsWith('a check has exactly one') &&
      unknownKeysAt.has(pathText([...base, ...issue.path]))
    )
      continue;
    const path = [...base, ...issue.path];
    if (issue.code !== 'invalid_union') {
      out.push({ path, message: issue.message });
      continue;
    }
    // A discriminator problem is reported at `do`; the entry is its parent.
    const entryPath = path[path.length - 1] === 'do' ? path.slice(0, -1) : path;
    const input = getIn(root, entryPath);
    const obj =
      typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
    if (issue.discriminator !== undefined && issue.errors.length === 0) {
      out.push({
        path: [...entryPath, 'do'],
        message: `unknown action ${JSON.stringify(obj?.do)}; use one of ${ACTIONS.join(', ')}`,
      });
    } else if (path[path.length - 1] === 'start' && issue.errors.length === 2) {
      if (obj) out.push(...flattenIssues(issue.errors[1], root, path));
      else if (typeof input === 'string') out.push(...flattenIssues(issue.errors[0], root, path));
      else out.push({ path, message: 'must be a scenario id (such as three-devices-pop3) or an inline scenario' });
    } else if (issue.errors.length === 2 && path.some((p) => p === 'solution' || p === 'setup')) {
      if (obj && 'type' in obj) out.push(...flattenIssues(issue.errors[0], root, path));
      else if (obj && 'do' in obj) out.push(...flattenIssues(issue.errors[1], root, path));
      else
        out.push({
          path,
          message: 'a solution entry is a typed line {type: "USER alice", device: laptop} or an action {do: check, device: phone}',
        });
    } else out.push({ path, message: issue.message });
  }
  return out;
}

const ACTIONS = [
  'deliver',
  'traffic',
  'advance',
  'check',
  'read',
  'unread',
  'flag',
  'unflag',
  'delete',
  'move',
  'createFolder',
  'offline',
  'online',
  'lose',
  'drop',
  'addDevice',
  'protocol',
  'settings',
  'manual',
  'note',
];

/** Every device a goal names, with the path of the name. */
export function deviceRefs(check: Check, path: PropertyKey[]): Array<{ device: string; path: PropertyKey[] }> {
  const out: Array<{ device: string; path: PropertyKey[] }> = [];
  const stack: Array<[Check, PropertyKey[]]> = [[check, path]];
  while (stack.length) {
    const [c, p] = stack.pop()!;
    for (const kind of ['session', 'device', 'sent', 'event'] as const) {
      const leaf = c[kind] as { device?: string } | undefined;
      if (leaf?.device !== undefined) out.push({ device: leaf.device, path: [...p, kind, 'device'] });
    }
    if (c.lock?.holder !== undefined) out.push({ device: c.lock.holder, path: [...p, 'lock', 'holder'] });
    c.all?.forEach((x, i) => stack.push([x, [...p, 'all', i]]));
    c.any?.forEach((x, i) => stack.push([x, [...p, 'any', i]]));
    if (c.not) stack.push([c.not, [...p, 'not']]);
  }
  return out;
}
