/**
 * Plays a lesson headless, the way `npm run lessons -- check` and the tests do: from the setup,
 * each step's goal must be unmet at its start (a goal true before the learner acts teaches
 * nothing), and its solution, played from the world the previous steps leave, must meet it.
 */
import { transcriptLines } from '../client/transcript';
import type { TranscriptLine } from '../client/types';
import { WorldError } from '../world/core';
import type { Verdict } from './checks';
import { LessonRun, type LessonWorldFactory } from './engine';
import { LessonError, type LessonProblem } from './errors';
import { entryAction, type Lesson } from './parse';

export interface StepOutcome {
  index: number;
  title: string | null;
  /** The verdict before the solution was played (must be unmet). */
  before: Verdict;
  /** The verdict after it (must be met). */
  after: Verdict | null;
  /** What crossed the wire during the step, per device. */
  transcripts: Record<string, TranscriptLine[]>;
}

export interface LessonPlay {
  outcomes: StepOutcome[];
  problems: LessonProblem[];
  run: LessonRun | null;
}

const stepName = (i: number, title?: string) => `step ${i + 1}${title ? ` ("${title}")` : ''}`;

export function playLesson(lesson: Lesson, createWorld: LessonWorldFactory): LessonPlay {
  const outcomes: StepOutcome[] = [];
  const problems: LessonProblem[] = [];
  let run: LessonRun;
  try {
    run = new LessonRun(lesson, { createWorld, schedule: null });
  } catch (err) {
    if (err instanceof LessonError) return { outcomes, problems: err.problems, run: null };
    if (err instanceof WorldError) return { outcomes, problems: [{ path: 'setup', message: err.message }], run: null };
    throw err;
  }
  for (const [i, step] of lesson.steps.entries()) {
    const where = `steps[${i}]`;
    const name = stepName(i, step.title);
    const firstSeq = run.world.nextSeq;
    const before = run.evaluate()!;
    if (before.met) {
      problems.push({
        path: `${where}.goal`,
        message: `${name}: the goal is already met before the learner acts (${before.text})`,
      });
    }
    let failed = false;
    for (const [j, e] of step.solution.entries()) {
      try {
        run.world.dispatch(entryAction(e));
      } catch (err) {
        if (!(err instanceof WorldError)) throw err;
        problems.push({ path: `${where}.solution[${j}]`, message: `${name}: ${err.message}` });
        failed = true;
        break;
      }
    }
    const after = failed ? null : run.evaluate();
    const transcripts: Record<string, TranscriptLine[]> = {};
    for (const id of run.world.deviceIds) {
      const lines = transcriptLines(run.world.device(id).transcript).filter((l) => (l.seq ?? 0) >= firstSeq);
      if (lines.length) transcripts[id] = lines;
    }
    outcomes.push({ index: i, title: step.title ?? null, before, after, transcripts });
    if (failed) break;
    if (!after!.met) {
      problems.push({
        path: `${where}.solution`,
        message: `${name}: the solution does not meet the goal: ${after!.text}`,
      });
      break;
    }
    run.next();
  }
  return { outcomes, problems, run };
}
