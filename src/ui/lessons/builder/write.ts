/**
 * Writes a lesson file (YAML front matter + Markdown introduction) from the builder's draft, in
 * the shape the shipped lessons have: block mappings for the lesson and its steps, `|` blocks
 * for Markdown, one flow mapping per solution entry and per goal check, `all`/`any` as lists.
 * The YAML library does the quoting, so any text a teacher types (colons, quotes, `#`,
 * backslashes in `\Seen`) reads back as typed; no anchors or aliases are written (the parser
 * refuses them).
 */
import { Document, isMap, isScalar, isSeq, Scalar, type Node, type YAMLMap } from 'yaml';
import type { Check, SolutionEntry } from '../../../lessons/index';

export interface DraftStep {
  title?: string;
  prompt: string;
  goal: Check;
  hints: string[];
  solution: SolutionEntry[];
  explanation: string;
}

export interface LessonDraft {
  id: string;
  title: string;
  summary: string;
  claims: string[];
  track: 'pop3-wire' | 'imap-wire' | 'stories';
  level: 'beginner' | 'intermediate' | 'advanced';
  minutes: number;
  order?: number;
  /** A shipped scenario id, or an inline scenario (without a timeline). */
  start: string | Record<string, unknown>;
  protocol?: 'pop3' | 'imap';
  setup: SolutionEntry[];
  steps: DraftStep[];
  /** The Markdown introduction (the file's body). */
  intro: string;
}

const GOAL_LISTS = new Set(['all', 'any']);

function literal(node: unknown): void {
  if (isScalar(node) && typeof node.value === 'string') node.type = Scalar.BLOCK_LITERAL;
}

function flowItems(node: unknown): void {
  if (isSeq(node)) for (const item of node.items) if (isMap(item) || isSeq(item)) item.flow = true;
}

/** A goal: `all`/`any` lists and `not` stay in block style down to the checks, which are flow mappings. */
function goalStyle(node: unknown): void {
  if (!isMap(node)) return;
  for (const pair of (node as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (GOAL_LISTS.has(key) && isSeq(pair.value)) for (const c of pair.value.items) goalStyle(c);
    else if (key === 'not') goalStyle(pair.value);
    else if (isMap(pair.value)) pair.value.flow = true;
  }
}

const clean = (s: string) => s.replace(/\r\n?/g, '\n').trim();

export function writeLesson(d: LessonDraft): string {
  const front: Record<string, unknown> = {
    id: d.id,
    title: clean(d.title),
    summary: clean(d.summary),
    claims: d.claims,
    track: d.track,
    level: d.level,
    minutes: d.minutes,
    ...(d.order !== undefined ? { order: d.order } : {}),
    start: d.start,
    ...(d.protocol ? { protocol: d.protocol } : {}),
    ...(d.setup.length ? { setup: d.setup } : {}),
    steps: d.steps.map((s) => ({
      ...(s.title?.trim() ? { title: clean(s.title) } : {}),
      prompt: `${clean(s.prompt)}\n`,
      goal: s.goal,
      hints: s.hints.map(clean),
      solution: s.solution,
      explanation: `${clean(s.explanation)}\n`,
    })),
  };
  const doc = new Document(front, { aliasDuplicateObjects: false });
  const root = doc.contents as YAMLMap;
  const get = (map: unknown, key: string): Node | undefined =>
    isMap(map) ? ((map as YAMLMap).get(key, true) as Node | undefined) : undefined;
  const claims = get(root, 'claims');
  if (isSeq(claims)) claims.flow = true;
  const start = get(root, 'start');
  if (isMap(start)) {
    flowItems(get(start, 'devices'));
    flowItems(get(start, 'messages'));
    for (const key of ['account', 'storage']) {
      const v = get(start, key);
      if (isMap(v)) v.flow = true;
    }
  }
  flowItems(get(root, 'setup'));
  const steps = get(root, 'steps');
  if (isSeq(steps))
    for (const step of steps.items) {
      literal(get(step, 'prompt'));
      literal(get(step, 'explanation'));
      goalStyle(get(step, 'goal'));
      flowItems(get(step, 'solution'));
      const hints = get(step, 'hints');
      if (isSeq(hints)) for (const h of hints.items) if (isScalar(h) && String(h.value).includes('\n')) literal(h);
    }
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return `---\n${yaml}---\n\n${clean(d.intro)}\n`;
}

/** A lesson id from a title: lower-case words joined by "-" (at most 64 characters). */
export function idFromTitle(title: string): string {
  const id = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return id || 'my-lesson';
}
