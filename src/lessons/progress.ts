/**
 * Lesson progress as plain data: what the page keeps in localStorage and a student exports as a
 * file (to hand in, or to move to another computer). Versioned and validated on load; corrupt or
 * foreign data is reported and replaced by empty progress, never a crash.
 */
import * as z from 'zod';
import { shapeProblem } from '../world/limits';
import type { WorldAction } from '../world/scenario';

export const PROGRESS_VERSION = 1;
/** The localStorage key the page uses. */
export const PROGRESS_KEY = 'pop-vs-imap-lab.progress';
/** What an exported file says it is. */
export const PROGRESS_KIND = 'pop-vs-imap-lab/progress';
/** Largest progress text accepted (a few hundred lessons' worth). */
export const MAX_PROGRESS_SIZE = 5 * 1024 * 1024;

const StepRecord = z.strictObject({
  /** Hints revealed. */
  hints: z.number().int().min(0).max(10),
  solutionShown: z.boolean(),
  /** World steps it took to meet the goal (null: not met yet). */
  used: z.number().int().min(0).max(100_000).nullable(),
});
export type StepRecord = z.infer<typeof StepRecord>;

const Action = z.looseObject({ do: z.string().min(1).max(40) });

const LessonProgressSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  /** The lesson's fingerprint when this was saved: another version starts again. */
  fingerprint: z.string().max(64),
  /** The current step (index), or the step count once finished. */
  step: z.number().int().min(0).max(40),
  finished: z.boolean(),
  steps: z.array(StepRecord).max(40),
  /** Every world step since the lesson's world was made (setup included): replayed to resume. */
  actions: z.array(Action).max(5000),
  /** How many of `actions` came before the current step. */
  stepStart: z.number().int().min(0).max(5000),
  /** The page's wall-clock time of the last change, ms since the epoch. */
  updatedAt: z.number().min(0).max(8.64e15).optional(),
});
export interface LessonProgress {
  id: string;
  fingerprint: string;
  step: number;
  finished: boolean;
  steps: StepRecord[];
  actions: WorldAction[];
  stepStart: number;
  updatedAt?: number;
}

const ProgressSchema = z.strictObject({
  kind: z.literal(PROGRESS_KIND),
  version: z.literal(PROGRESS_VERSION),
  lessons: z.array(LessonProgressSchema).max(1000),
});
export interface ProgressData {
  kind: typeof PROGRESS_KIND;
  version: typeof PROGRESS_VERSION;
  lessons: LessonProgress[];
}

export function emptyProgress(): ProgressData {
  return { kind: PROGRESS_KIND, version: PROGRESS_VERSION, lessons: [] };
}

export interface LoadedProgress {
  data: ProgressData;
  /** Why the input was not used (the data is then empty), or null. */
  problem: string | null;
}

/**
 * Reads saved or imported progress (its JSON text, or the parsed value). Never throws: anything
 * unusable gives empty progress and the reason.
 */
export function loadProgress(input: unknown): LoadedProgress {
  const bad = (problem: string): LoadedProgress => ({ data: emptyProgress(), problem });
  if (input === null || input === undefined || input === '') return { data: emptyProgress(), problem: null };
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_PROGRESS_SIZE) return bad(`too large (${input.length} characters)`);
    try {
      value = JSON.parse(input);
    } catch {
      return bad('not JSON');
    }
  }
  const shape = shapeProblem(value, 16, 2_000_000);
  if (shape) return bad(shape);
  const parsed = ProgressSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    if (issue.path[0] === 'version') return bad(`unsupported version ${JSON.stringify((value as { version?: unknown }).version)}`);
    if (issue.path[0] === 'kind') return bad('not a lesson progress file');
    return bad(`${where ? where.slice(where.startsWith('.') ? 1 : 0) + ': ' : ''}${issue.message}`);
  }
  const data = parsed.data as ProgressData;
  const ids = new Set<string>();
  for (const [i, l] of data.lessons.entries()) {
    if (ids.has(l.id)) return bad(`lessons[${i}].id: "${l.id}" appears twice`);
    ids.add(l.id);
    if (l.stepStart > l.actions.length) return bad(`lessons[${i}].stepStart: beyond its actions`);
  }
  return { data, problem: null };
}

export function saveProgress(data: ProgressData): string {
  return JSON.stringify(data);
}

export function lessonProgress(data: ProgressData, id: string): LessonProgress | null {
  return data.lessons.find((l) => l.id === id) ?? null;
}

/** A new progress value with this lesson's record put in (replacing an older one). */
export function withLessonProgress(data: ProgressData, record: LessonProgress): ProgressData {
  return { ...data, lessons: [...data.lessons.filter((l) => l.id !== record.id), structuredClone(record)] };
}

/** A new progress value without this lesson's record. */
export function withoutLesson(data: ProgressData, id: string): ProgressData {
  return { ...data, lessons: data.lessons.filter((l) => l.id !== id) };
}
