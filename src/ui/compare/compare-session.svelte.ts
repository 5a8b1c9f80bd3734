/**
 * The Compare view's runes bridge: one story (a scenario and its what-ifs) run under POP3 and
 * IMAP in the compare workers, the frame shown, playback, the storage price. Components read
 * its fields and call its methods; nothing here touches the DOM.
 *
 *   const c = new CompareSession();
 *   await c.open({ v: 1, origin: { scenario: 'three-devices-pop3' }, forks: [], step: 'end' });
 *   c.frame?.pop3.table.devices   // the phone's counts under POP3 at the end
 *   await c.addForks([{ atStep: 1, change: { kind: 'settings', device: 'laptop', settings: { pop3: { leaveOnServer: true } } } }]);
 */
import { ScenarioError, validateScenario, type Scenario } from '../../world/scenario';
import type { CompareTimeline, Frame } from '../../world/timeline';
import { CompareClient, CompareError } from '../compare-client';
import { packJson } from '../world/share';
import {
  applyForks,
  clampStep,
  defaultPrice,
  describeFork,
  plainHref,
  type CompareOrigin,
  type CompareState,
  type ForkStep,
} from './compare-model';

export interface CompareProblem {
  message: string;
  problems: string[];
}

/** Steps shown per second while playing, by speed name. */
export const PLAY_SPEEDS = { slow: 0.5, normal: 1, fast: 3 } as const;
export type PlaySpeed = keyof typeof PLAY_SPEEDS;

export class CompareSession {
  origin = $state.raw<CompareOrigin | null>(null);
  /** The story before any what-if. */
  base = $state.raw<Scenario | null>(null);
  /** The story as it runs: the base with every what-if made. */
  scenario = $state.raw<Scenario | null>(null);
  forks = $state.raw<readonly ForkStep[]>([]);
  timeline = $state.raw<CompareTimeline | null>(null);
  /** The frame shown: 0 = the start, k = after the first k steps. */
  position = $state(0);
  /** 0..1 while the workers run; null when idle. */
  progress = $state<number | null>(null);
  error = $state.raw<CompareProblem | null>(null);
  playing = $state(false);
  speed = $state<PlaySpeed>('normal');
  price = $state(0.1);
  /** How long the last comparison took in the page (ms), for the status line. */
  ms = $state<number | null>(null);
  /** Changes whenever a new timeline arrives: the lists jump instead of animating. */
  generation = $state(0);

  readonly frame: Frame | null = $derived(this.timeline?.frames[this.position] ?? null);
  readonly names: ReadonlyMap<string, string> = $derived(
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh value per timeline, never changed
    new Map((this.timeline?.scenario.devices ?? []).map((d) => [d.id, d.name])),
  );
  readonly forkLabels: readonly string[] = $derived(this.forks.map((f) => describeFork(f, this.names)));

  private client: CompareClient | null = null;
  private cancel: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private runs = 0;

  constructor(private readonly makeClient: () => CompareClient = () => new CompareClient()) {}

  /** The state a link holds. */
  get state(): CompareState | null {
    if (!this.origin) return null;
    const frames = this.timeline?.frames.length ?? 0;
    const end = frames > 1 && this.position === frames - 1;
    return { v: 1, origin: this.origin, forks: [...this.forks], step: end ? 'end' : this.position };
  }

  /** Opens a story: a shipped scenario by id or one of the learner's, with what-ifs and a position. */
  async open(state: CompareState): Promise<boolean> {
    this.pause();
    this.error = null;
    let base: Scenario;
    if ('scenario' in state.origin) {
      const { getScenario } = await import('../../world/scenarios/index');
      const known = getScenario(state.origin.scenario);
      if (!known) {
        this.error = { message: `There is no scenario “${state.origin.scenario}”.`, problems: [] };
        return false;
      }
      base = known;
    } else {
      try {
        base = validateScenario(state.origin.inline);
      } catch (err) {
        this.error = problemOf(err, 'That scenario cannot be run');
        return false;
      }
    }
    return this.run(state.step, { origin: state.origin, base, forks: state.forks });
  }

  /** Runs the learner's own scenario (from the editor). */
  openScenario(scenario: Scenario): Promise<boolean> {
    return this.open({ v: 1, origin: { inline: scenario }, forks: [], step: 0 });
  }

  /**
   * What-ifs made together (one change, or the same settings on several devices); both worlds
   * replay once. Refused (with the reason, nothing changed) when they do not fit the story.
   */
  addForks(forks: readonly ForkStep[]): Promise<boolean> {
    if (!this.origin || !this.base) return Promise.resolve(false);
    return this.run(this.position, {
      origin: this.origin,
      base: this.base,
      forks: [...this.forks, ...forks],
    });
  }

  /** Discards one what-if (and the ones made after it, which were made on top of it). */
  discardFork(index: number): Promise<boolean> {
    if (!this.origin || !this.base) return Promise.resolve(false);
    const forks = this.forks.slice(0, Math.max(0, index));
    return this.run(this.position, { origin: this.origin, base: this.base, forks });
  }

  /** Makes the story `next` the one shown (when its what-ifs fit) and runs it in the workers. */
  private async run(
    step: number | 'end' | null,
    next: { origin: CompareOrigin; base: Scenario; forks: readonly ForkStep[] },
  ): Promise<boolean> {
    let scenario: Scenario;
    try {
      scenario = applyForks(next.base, next.forks);
    } catch (err) {
      this.error = problemOf(err, 'That what-if does not fit this story');
      return false;
    }
    this.origin = next.origin;
    this.base = next.base;
    this.forks = next.forks;
    this.scenario = scenario;
    this.cancel?.();
    const run = ++this.runs;
    this.client ??= this.makeClient();
    this.progress = 0;
    const t0 = performance.now();
    // A shipped story unchanged goes by its id (the worker has it); anything else as a value.
    const ask = next.forks.length || !('scenario' in next.origin) ? scenario : next.origin.scenario;
    const { result, cancel } = this.client.run({ scenario: ask }, (p) => {
      if (run === this.runs) this.progress = p.fraction;
    });
    this.cancel = cancel;
    try {
      const timeline = await result;
      if (run !== this.runs) return false;
      const first = this.timeline === null || this.timeline.scenario.id !== timeline.scenario.id;
      this.timeline = timeline;
      if (first || !this.forks.length) this.price = defaultPrice(timeline);
      this.position = clampStep(step, timeline.frames.length);
      this.ms = Math.round(performance.now() - t0);
      this.generation++;
      this.error = null;
      return true;
    } catch (err) {
      if (run !== this.runs) return false;
      if (!(err instanceof CompareError && err.message === 'comparison cancelled'))
        this.error = problemOf(err, 'The comparison failed');
      return false;
    } finally {
      if (run === this.runs) {
        this.progress = null;
        this.cancel = null;
      }
    }
  }

  go(position: number): void {
    if (!this.timeline) return;
    this.position = clampStep(position, this.timeline.frames.length);
    if (this.position === this.timeline.frames.length - 1) this.pause();
  }

  step(delta: number): void {
    this.go(this.position + delta);
  }

  play(): void {
    if (!this.timeline || this.playing) return;
    if (this.position >= this.timeline.frames.length - 1) this.position = 0;
    this.playing = true;
    this.timer = setInterval(() => this.step(1), 1000 / PLAY_SPEEDS[this.speed]);
  }

  pause(): void {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  setSpeed(speed: PlaySpeed): void {
    this.speed = speed;
    if (this.playing) {
      this.pause();
      this.play();
    }
  }

  /** The link to this story at this position: plain for a shipped story, packed otherwise. */
  async href(base: string): Promise<string> {
    const state = this.state;
    if (!state) return base;
    const root = base.replace(/#.*$/, '');
    const plain = plainHref(state, this.timeline?.frames.length ?? 0);
    return root + (plain ?? `#/compare/share/${await packJson(state)}`);
  }

  dispose(): void {
    this.pause();
    this.cancel?.();
    this.client?.dispose();
    this.client = null;
  }
}

function problemOf(err: unknown, message: string): CompareProblem {
  if (err instanceof ScenarioError || err instanceof CompareError)
    return { message: `${message}:`, problems: err.problems.length ? err.problems : [err.message] };
  return { message: `${message}: ${err instanceof Error ? err.message : String(err)}`, problems: [] };
}
