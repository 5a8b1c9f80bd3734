/**
 * The lesson engine: one lesson being followed. It makes the lesson's world through an injected
 * factory (the page builds a `WorldCore` with IMAP loaded lazily; Node uses `World`), plays the
 * setup, tracks the current step, evaluates its goal after every world step (whether the page
 * dispatched it here or on the world directly), reveals hints one by one, gives and plays the
 * solution, resets a step (the world back to where the step began), moves on, and sums up.
 * No DOM, no Svelte: the page subscribes and renders `state()`.
 */
import type { Protocol } from '../server/types';
import type { WorldCore } from '../world/core';
import { WorldError } from '../world/core';
import type { Scenario, WorldAction } from '../world/scenario';
import { theDevice } from '../world/narrate';
import { summarizeHeader } from '../client/summary';
import { durationText, evaluateCheck, type Verdict } from './checks';
import { LessonError } from './errors';
import { entryAction, type Lesson } from './parse';
import type { LessonProgress, StepRecord } from './progress';
import type { LessonStep, SolutionEntry } from './schema';
import { catalogue, translator, type Translate } from './strings';
import { EventTracker } from './tracker';

/** Makes the lesson's world at its start (the scenario's timeline is not run). */
export type LessonWorldFactory = (scenario: Scenario, options: { protocol?: Protocol }) => WorldCore;

export interface LessonRunOptions {
  createWorld: LessonWorldFactory;
  /** Progress saved earlier for this lesson: the run resumes where it was (if the lesson is unchanged). */
  progress?: LessonProgress | null;
  /** A translation of the UI catalogue (strings.ts keys). */
  strings?: Partial<Record<string, unknown>>;
  /**
   * How to run the evaluation after world events the page dispatched on the world itself.
   * Default: `queueMicrotask` (once, after the whole step). null: only when this engine acts.
   */
  schedule?: ((task: () => void) => void) | null;
  /** Wall clock for `updatedAt` in progress records (default Date.now). */
  now?: () => number;
}

/** One line of a solution, ready to show: a raw command (its own `code` element) or an action in words. */
export interface SolutionLine {
  /** The device it happens on, if any. */
  device: string | null;
  /** The raw command line to type, for `type` entries; null for world actions. */
  line: string | null;
  action: WorldAction;
  /** In words: "On the laptop, type USER alice", "Check mail on the phone". */
  text: string;
}

export interface LessonState {
  lessonId: string;
  /** The current step (0-based); equals stepCount once the lesson is finished. */
  stepIndex: number;
  stepCount: number;
  step: LessonStep | null;
  /** The goal's live verdict (null once finished). */
  verdict: Verdict | null;
  /** The goal was met in this step (it stays met: the explanation can be shown and Next pressed). */
  met: boolean;
  /** For the status element: "Goal met. …" or "Not yet: …". */
  status: string;
  /** The hints revealed so far (Markdown). */
  hints: string[];
  hintsLeft: number;
  solutionShown: boolean;
  finished: boolean;
  /** World steps (commands and actions) in this step's current attempt. */
  used: number;
}

export interface StepSummary {
  title: string | null;
  used: number | null;
  solution: number;
  hints: number;
  solutionShown: boolean;
}

export interface CompletionSummary {
  lessonId: string;
  title: string;
  finished: boolean;
  steps: StepSummary[];
  /** Commands and actions the learner used in the steps met so far, and the solutions' count for them. */
  used: number;
  solution: number;
  hints: number;
  solutionsShown: number;
  golf: 'under' | 'par' | 'over';
  /** The summary in sentences (catalogue strings). */
  lines: string[];
}

/** Whether a lesson needs the IMAP half of the engine (the page loads it before starting). */
export function lessonNeedsImap(lesson: Lesson): boolean {
  if (lesson.protocol) return lesson.protocol === 'imap';
  if (lesson.scenario.devices.some((d) => d.protocol === 'imap')) return true;
  const entries = [...lesson.setup, ...lesson.steps.flatMap((s) => s.solution)];
  return entries.some(
    (e) =>
      'do' in e &&
      ((e.do === 'protocol' && e.protocol === 'imap') || (e.do === 'addDevice' && e.device.protocol === 'imap')),
  );
}

const sameActions = (a: readonly WorldAction[], b: readonly WorldAction[]) =>
  a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));

export class LessonRun {
  readonly lesson: Lesson;
  /** Why saved progress could not be resumed (the lesson then starts again), or null. */
  readonly resumeProblem: string | null = null;
  private readonly t: Translate;
  private readonly options: LessonRunOptions;
  private _world!: WorldCore;
  private tracker!: EventTracker;
  private unsubscribeWorld: (() => void) | null = null;
  private listeners = new Set<(state: LessonState) => void>();
  private index = 0;
  private records: StepRecord[];
  private stepStart = 0;
  private stepFacts = 0;
  private stepClock = 0;
  private lessonFacts = 0;
  private lessonClock = 0;
  private verdict: Verdict | null = null;
  private dirty = true;
  private scheduled = false;
  private quiet = false;
  private disposed = false;

  constructor(lesson: Lesson, options: LessonRunOptions) {
    this.lesson = lesson;
    this.options = options;
    this.t = translator(catalogue(options.strings));
    this.records = lesson.steps.map(() => ({ hints: 0, solutionShown: false, used: null }));
    const saved = options.progress ?? null;
    let problem: string | null = null;
    if (saved) {
      problem = this.resume(saved);
      if (problem) this.build([]);
    } else this.build([]);
    this.resumeProblem = problem;
    this.evaluate();
  }

  /** The lesson's world: the page shows it and may dispatch to it directly. */
  get world(): WorldCore {
    return this._world;
  }

  get stepIndex(): number {
    return this.index;
  }

  get finished(): boolean {
    return this.index >= this.lesson.steps.length;
  }

  get currentStep(): LessonStep | null {
    return this.lesson.steps[this.index] ?? null;
  }

  /** Builds the world, plays the setup and then `actions` (world steps after the setup, for resuming). */
  private build(after: readonly WorldAction[], stepStartAfter = after.length): void {
    this.teardown();
    this._world = this.options.createWorld(this.lesson.scenario, { protocol: this.lesson.protocol });
    this.tracker = new EventTracker(this._world);
    this.unsubscribeWorld = this._world.subscribe(() => this.changed());
    this.quiet = true;
    try {
      this.lesson.setup.forEach((e, i) => {
        try {
          this._world.dispatch(entryAction(e));
        } catch (err) {
          if (err instanceof WorldError) throw new LessonError([{ path: `setup[${i}]`, message: err.message }]);
          throw err;
        }
      });
      this.lessonFacts = this.tracker.facts.length;
      this.lessonClock = this._world.now;
      after.slice(0, stepStartAfter).forEach((a) => this._world.dispatch(a));
      this.markStepStart();
      after.slice(stepStartAfter).forEach((a) => this._world.dispatch(a));
    } finally {
      this.quiet = false;
    }
    this.dirty = true;
  }

  /** Plays saved progress; returns why it cannot be used, or null. */
  private resume(p: LessonProgress): string | null {
    const t = this.t;
    if (p.id !== this.lesson.id) return t('ui.progress.stale', { id: this.lesson.id, reason: 'another lesson' });
    if (p.fingerprint !== this.lesson.fingerprint)
      return t('ui.progress.stale', { id: this.lesson.id, reason: 'the lesson file is different' });
    if (p.steps.length !== this.lesson.steps.length || p.step > this.lesson.steps.length)
      return t('ui.progress.stale', { id: this.lesson.id, reason: 'the steps do not match' });
    const setup = this.lesson.setup.map(entryAction);
    if (p.actions.length < setup.length || !sameActions(p.actions.slice(0, setup.length), setup))
      return t('ui.progress.stale', { id: this.lesson.id, reason: 'the setup does not match' });
    if (p.stepStart < setup.length || p.stepStart > p.actions.length)
      return t('ui.progress.stale', { id: this.lesson.id, reason: 'the step start is out of range' });
    try {
      const after = p.actions.slice(setup.length);
      this.build(after, p.stepStart - setup.length);
    } catch (err) {
      if (!(err instanceof WorldError) && !(err instanceof LessonError)) throw err;
      return t('ui.progress.stale', { id: this.lesson.id, reason: err.message });
    }
    this.index = p.step;
    this.records = p.steps.map((r) => ({ ...r }));
    return null;
  }

  private markStepStart(): void {
    this.stepStart = this._world.steps.length;
    this.stepFacts = this.tracker.facts.length;
    this.stepClock = this._world.now;
  }

  private teardown(): void {
    this.unsubscribeWorld?.();
    this.unsubscribeWorld = null;
    this.tracker?.dispose();
    this._world?.dispose();
  }

  private changed(): void {
    if (this.quiet || this.disposed) return;
    this.dirty = true;
    const schedule =
      this.options.schedule === undefined ? (task: () => void) => queueMicrotask(task) : this.options.schedule;
    if (!schedule || this.scheduled) return;
    this.scheduled = true;
    schedule(() => {
      this.scheduled = false;
      if (this.dirty && !this.disposed) this.evaluate();
    });
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The goal's verdict now; latches "met" for the step and tells the listeners. */
  evaluate(): Verdict | null {
    this.dirty = false;
    const step = this.currentStep;
    if (!step) {
      this.verdict = null;
      this.emit();
      return null;
    }
    const v = evaluateCheck(step.goal, {
      world: this._world,
      scenario: this.lesson.scenario,
      facts: this.tracker.facts,
      stepFacts: this.stepFacts,
      lessonFacts: this.lessonFacts,
      stepClock: this.stepClock,
      lessonClock: this.lessonClock,
      t: this.t,
    });
    const rec = this.records[this.index];
    if (v.met && rec.used === null) rec.used = this.usedInStep();
    this.verdict = v;
    this.emit();
    return v;
  }

  state(): LessonState {
    const step = this.currentStep;
    const rec = this.records[this.index] ?? null;
    const met = rec?.used !== null && rec !== null;
    const v = this.verdict;
    let status = this.t('ui.finished');
    if (step && v)
      status = met
        ? `${this.t('ui.goalMet')}. ${v.met ? v.text : ''}`.trim()
        : `${this.t('ui.goalNotYet')}: ${v.text}`;
    return {
      lessonId: this.lesson.id,
      stepIndex: this.index,
      stepCount: this.lesson.steps.length,
      step,
      verdict: step ? v : null,
      met,
      status,
      hints: step ? step.hints.slice(0, rec!.hints) : [],
      hintsLeft: step ? step.hints.length - rec!.hints : 0,
      solutionShown: rec?.solutionShown ?? false,
      finished: this.finished,
      used: this.usedInStep(),
    };
  }

  /**
   * Commands and actions in this step's attempt. Opening a terminal (`connect`: the greeting
   * arrives) is not counted: a learner must open it to type, and no solution can contain it.
   */
  private usedInStep(): number {
    let n = 0;
    const steps = this._world.steps;
    for (let i = this.stepStart; i < steps.length; i++) if (steps[i].do !== 'connect') n++;
    return n;
  }

  subscribe(listener: (state: LessonState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const s = this.state();
    for (const l of [...this.listeners]) l(s);
  }

  // ---- acting ------------------------------------------------------------------------------------

  /** One world step (a button, a timeline action); throws WorldError when the world refuses it. */
  dispatch(action: WorldAction): void {
    this._world.dispatch(action);
    this.evaluate();
  }

  /** One raw command line typed on a device's terminal. */
  type(device: string, line: string): void {
    this.dispatch({ do: 'manual', device, line });
  }

  /** Reveals the next hint and returns it (null when none is left). */
  hint(): string | null {
    const step = this.currentStep;
    if (!step) return null;
    const rec = this.records[this.index];
    if (rec.hints >= step.hints.length) return null;
    const h = step.hints[rec.hints++];
    this.emit();
    return h;
  }

  /** The current step's solution, line by line; marks it as shown. */
  showSolution(): SolutionLine[] {
    const step = this.currentStep;
    if (!step) return [];
    this.records[this.index].solutionShown = true;
    this.emit();
    return this.solutionLines(step.solution);
  }

  solutionLines(entries: readonly SolutionEntry[]): SolutionLine[] {
    return entries.map((e) => this.describe(e));
  }

  /** Back to where the step began, then the solution played. */
  playSolution(): void {
    const step = this.currentStep;
    if (!step) return;
    this.records[this.index].solutionShown = true;
    this.resetStep();
    for (const e of step.solution) this._world.dispatch(entryAction(e));
    this.evaluate();
  }

  /**
   * The world back to how it was when this step began (the learner's attempt is undone, and
   * with it a goal met in it: the step is to be done again; hints and a shown solution stay).
   */
  resetStep(): void {
    const rec = this.records[this.index];
    if (rec) rec.used = null;
    if (this._world.steps.length > this.stepStart && !this._world.rewind(this.stepStart)) {
      // The world cannot undo that far (undoDepth): make it again from the progress so far.
      const actions = this._world.steps.slice(this.lesson.setup.length, this.stepStart);
      this.build(actions);
    }
    this.stepFacts = Math.min(this.stepFacts, this.tracker.facts.length);
    this.evaluate();
  }

  /** On to the next step once the goal is met; false (nothing changes) before. */
  next(): boolean {
    const rec = this.records[this.index];
    if (!rec || rec.used === null) return false;
    this.index++;
    if (!this.finished) this.markStepStart();
    this.evaluate();
    return true;
  }

  /** Progress as plain data, for localStorage and export. */
  progress(): LessonProgress {
    return {
      id: this.lesson.id,
      fingerprint: this.lesson.fingerprint,
      step: this.index,
      finished: this.finished,
      steps: this.records.map((r) => ({ ...r })),
      actions: structuredClone([...this._world.steps]),
      stepStart: this.stepStart,
      updatedAt: (this.options.now ?? Date.now)(),
    };
  }

  summary(): CompletionSummary {
    const t = this.t;
    const steps: StepSummary[] = this.lesson.steps.map((s, i) => ({
      title: s.title ?? null,
      used: this.records[i].used,
      solution: s.solution.length,
      hints: this.records[i].hints,
      solutionShown: this.records[i].solutionShown,
    }));
    const done = steps.filter((s) => s.used !== null);
    const used = done.reduce((n, s) => n + s.used!, 0);
    const solution = done.reduce((n, s) => n + s.solution, 0);
    const hints = steps.reduce((n, s) => n + s.hints, 0);
    const solutionsShown = steps.filter((s) => s.solutionShown).length;
    const golf = used < solution ? 'under' : used === solution ? 'par' : 'over';
    return {
      lessonId: this.lesson.id,
      title: this.lesson.title,
      finished: this.finished,
      steps,
      used,
      solution,
      hints,
      solutionsShown,
      golf,
      lines: [
        t('ui.summary.commands', { used, solution }),
        t(`ui.summary.${golf}`),
        t('ui.summary.hints', { n: hints }),
        t('ui.summary.solutions', { n: solutionsShown }),
      ],
    };
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.teardown();
  }

  // ---- words -------------------------------------------------------------------------------------

  private deviceWords(id: string): string {
    if (id === '*') return 'every device';
    try {
      return theDevice(this._world.device(id).name);
    } catch {
      const added = [...this.lesson.setup, ...this.lesson.steps.flatMap((s) => s.solution)].find(
        (e) => 'do' in e && e.do === 'addDevice' && e.device.id === id,
      );
      const name = added && 'do' in added && added.do === 'addDevice' ? added.device.name : undefined;
      return name ? theDevice(name) : id;
    }
  }

  private messageWords(ref: string): string {
    if (ref === '*') return this.t('message.all');
    const fromScenario = this.lesson.scenario.messages?.find((m) => m.id === ref);
    if (fromScenario) return `'${fromScenario.subject}'`;
    const user = this._world.account.user;
    for (const mb of this._world.mailStore.listMailboxes(user))
      for (const m of mb.messages) {
        const s = summarizeHeader(m.raw);
        if (s.messageId === ref || s.messageId === ref.replace(/^<|>$/g, '')) return `'${s.subject}'`;
      }
    return ref;
  }

  private describe(e: SolutionEntry): SolutionLine {
    const t = this.t;
    const action = entryAction(e);
    if ('type' in e)
      return { device: e.device, line: e.type, action, text: t('action.type', { device: this.deviceWords(e.device), line: e.type }) };
    const a = action;
    const device = 'device' in a && typeof a.device === 'string' ? a.device : null;
    const d = device ? this.deviceWords(device) : '';
    let text: string;
    switch (a.do) {
      case 'check':
        text = a.device === '*' ? t('action.checkAll') : t('action.check', { device: d });
        break;
      case 'read':
      case 'unread':
      case 'flag':
      case 'unflag':
      case 'delete':
        text = t(`action.${a.do}`, { device: d, message: this.messageWords(a.message) });
        break;
      case 'move':
        text = t('action.move', { device: d, message: this.messageWords(a.message), to: a.to });
        break;
      case 'createFolder':
        text = t('action.createFolder', { device: d, name: a.name });
        break;
      case 'offline':
      case 'online':
      case 'lose':
      case 'drop':
      case 'connect':
      case 'removeDevice':
        text = t(`action.${a.do}`, { device: d });
        break;
      case 'fault':
        text = t('action.fault', { device: d, fault: a.fault });
        break;
      case 'addDevice':
        return {
          device: a.device.id,
          line: null,
          action,
          text: t('action.addDevice', { device: a.device.name ?? a.device.id }),
        };
      case 'protocol':
        text = t('action.protocol', { device: d, protocol: a.protocol.toUpperCase() });
        break;
      case 'settings':
        text = t('action.settings', { device: d });
        break;
      case 'manual':
        return { device: a.device, line: a.line, action, text: t('action.type', { device: d, line: a.line }) };
      case 'deliver':
        text = t('action.deliver', { subject: `'${a.message.subject}'` });
        break;
      case 'traffic':
        text = t('action.traffic', { perDay: a.perDay, days: a.days });
        break;
      case 'advance':
        text = t('action.advance', {
          time: durationText(t, (a.days ?? 0) * 86_400_000 + (a.hours ?? 0) * 3_600_000 + (a.minutes ?? 0) * 60_000),
        });
        break;
      case 'note':
        text = t('action.note', { text: a.text });
        break;
    }
    return { device, line: null, action, text: text.charAt(0).toUpperCase() + text.slice(1) };
  }
}
