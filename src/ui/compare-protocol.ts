/**
 * The Compare view's Web Worker, its message protocol and handler (compare.worker.ts only wires
 * the handler to `self`; tests call the handler directly). The page asks for a comparison (a
 * shipped scenario's id or a scenario value, optionally forked at a step); the worker answers
 * with progress messages and then the whole timeline, or an error with every problem's path.
 *
 *   page → worker   { type: 'compare', id: 1, scenario: 'storage-year' }
 *   worker → page   { type: 'progress', id: 1, progress: { fraction: 0.4, step: 1, steps: 3, protocol: 'pop3' } } …
 *   worker → page   { type: 'done', id: 1, timeline, ms }   or   { type: 'error', id: 1, message, problems }
 *
 * With `protocol` the worker runs that world alone and answers { type: 'world', id, world, ms }:
 * the page runs POP3 and IMAP in two workers at once and merges the halves (`mergeTimelines`).
 */
import { ScenarioError, type Scenario } from '../world/scenario';
import { getScenario } from '../world/scenarios';
import type { Protocol } from '../server/types';
import {
  compareTimeline,
  fork,
  worldTimeline,
  type CompareProgress,
  type CompareTimeline,
  type ForkChange,
  type WorldTimeline,
} from '../world/timeline';

export interface CompareRequest {
  type: 'compare';
  /** Chosen by the page; every answer carries it. */
  id: number;
  /** A shipped scenario's id, or a scenario (validated here, like a file for `npm run compare`). */
  scenario: string | unknown;
  /** What-if: the change made at step `atStep` (see `fork`). */
  fork?: { atStep: number; change: ForkChange };
  /** Messages listed per folder in each frame (default 200). */
  cap?: number;
  /** Least ms between progress messages (default 50). */
  progressEveryMs?: number;
  /** Only this protocol's world (the answer is a `world` message). */
  protocol?: Protocol;
}

export type CompareResponse =
  | { type: 'progress'; id: number; progress: CompareProgress }
  | { type: 'done'; id: number; timeline: CompareTimeline; ms: number }
  | { type: 'world'; id: number; world: WorldTimeline; ms: number }
  | { type: 'error'; id: number; message: string; problems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Answers one message from the page. Never throws: every failure is an `error` answer. */
export function handleCompareRequest(
  message: unknown,
  post: (response: CompareResponse) => void,
  now: () => number = () => performance.now(),
): void {
  const id = isObject(message) && typeof message.id === 'number' ? message.id : -1;
  const fail = (text: string, problems: string[] = []) =>
    post({ type: 'error', id, message: text, problems });
  if (!isObject(message) || message.type !== 'compare' || id < 0)
    return fail('expected {type: "compare", id: number, scenario}');
  const request = message as unknown as CompareRequest;
  const t0 = now();
  try {
    let scenario: Scenario | unknown = request.scenario;
    if (typeof scenario === 'string') {
      const known = getScenario(scenario);
      if (!known) return fail(`no scenario "${scenario}"`);
      scenario = known;
    }
    if (request.fork !== undefined) {
      if (
        !isObject(request.fork) ||
        typeof request.fork.atStep !== 'number' ||
        !isObject(request.fork.change)
      )
        return fail('fork must be {atStep: number, change}');
      scenario = fork(scenario, request.fork.atStep, request.fork.change);
    }
    const cap = typeof request.cap === 'number' && request.cap >= 0 ? Math.floor(request.cap) : undefined;
    const options = {
      cap,
      now,
      progressEveryMs: typeof request.progressEveryMs === 'number' ? request.progressEveryMs : undefined,
      onProgress: (progress: CompareProgress) => post({ type: 'progress', id, progress }),
    };
    if (request.protocol !== undefined) {
      if (request.protocol !== 'pop3' && request.protocol !== 'imap')
        return fail('protocol must be "pop3" or "imap"');
      const world = worldTimeline(scenario, request.protocol, options);
      return post({ type: 'world', id, world, ms: now() - t0 });
    }
    const timeline = compareTimeline(scenario, options);
    post({ type: 'done', id, timeline, ms: now() - t0 });
  } catch (err) {
    if (err instanceof ScenarioError) return fail('invalid scenario', err.problems);
    fail(err instanceof Error ? err.message : String(err));
  }
}
