/**
 * The lesson builder's recording: what a teacher did in the sandbox since "Record a lesson",
 * cut into steps, as lesson entries. World steps become solution entries as they are: a typed
 * line (`manual`) becomes a `type:` entry, anything else a `do:` entry. Opening a terminal
 * (`connect`) is left out, since typing the first line connects anyway; removing a device has no
 * lesson entry and is reported.
 */
import type { SolutionEntry } from '../../../lessons/index';
import type { Scenario, WorldAction } from '../../../world/scenario';

export interface Recording {
  /** The lesson's `start`: a shipped scenario id, or the scenario itself (a file, a share link). */
  start: string | Scenario;
  /** World steps before recording began: the lesson's `setup`. */
  before: readonly WorldAction[];
  /** World steps of each recorded step, in order. */
  steps: readonly (readonly WorldAction[])[];
}

export interface RecordedSteps {
  setup: SolutionEntry[];
  /** One entry list per step (steps with nothing a lesson can hold are dropped). */
  steps: SolutionEntry[][];
  /** What was left out and why, in words for the teacher. */
  skipped: string[];
}

/** One world step as a lesson entry, or the reason it cannot be one (null: left out silently). */
export function entryOf(action: WorldAction): SolutionEntry | string | null {
  switch (action.do) {
    case 'manual':
      return { type: action.line, device: action.device };
    case 'connect':
      return null;
    case 'removeDevice':
      return `removing ${action.device} from the lab (a lesson cannot remove a device)`;
    default:
      return structuredClone(action) as SolutionEntry;
  }
}

export function recordedSteps(rec: Recording): RecordedSteps {
  const skipped: string[] = [];
  const convert = (actions: readonly WorldAction[]) => {
    const out: SolutionEntry[] = [];
    for (const a of actions) {
      const e = entryOf(a);
      if (typeof e === 'string') skipped.push(e);
      else if (e) out.push(e);
    }
    return out;
  };
  const setup = convert(rec.before);
  const steps = rec.steps.map(convert).filter((s) => s.length > 0);
  return { setup, steps, skipped };
}

/** How many entries a lesson would get from these world steps (the recorder's counter). */
export function countEntries(actions: readonly WorldAction[]): number {
  return actions.filter((a) => {
    const e = entryOf(a);
    return e !== null && typeof e !== 'string';
  }).length;
}

/** The scenario as a lesson's inline `start` (a lesson scenario has no timeline). */
export function inlineStart(s: Scenario): Record<string, unknown> {
  const { timeline: _timeline, ...rest } = s;
  return structuredClone(rest) as Record<string, unknown>;
}
