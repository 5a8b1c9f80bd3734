/**
 * One lesson being followed on the page: the lesson engine's `LessonRun` (goal, hints,
 * solution, steps, progress) and a `WorldSession` that shows the run's world through the same
 * bridge as the sandbox. The world view dispatches through the session; the run notices every
 * world step and re-evaluates the goal a microtask later; this class mirrors the run's state in
 * runes and saves progress as it changes.
 */
import {
  deviceRefs,
  LessonRun,
  lessonNeedsImap,
  lessonProgress,
  type CompletionSummary,
  type Lesson,
  type LessonProgress,
  type LessonState,
  type SolutionLine,
} from '../../lessons/index';
import type { WorldAction } from '../../world/scenario';
import type { LabRuntime } from '../runtime';
import type { Origin, WorldSession } from '../world/session.svelte';
import type { ProgressStore } from './progress-store';

export interface LessonNotice {
  text: string;
  tone: 'info' | 'warn' | 'error';
}

/** Actions the world view has no button for (a lesson step does them through its own buttons). */
const NO_CONTROL = new Set<WorldAction['do']>(['drop', 'traffic', 'deliver', 'addDevice', 'note']);

const imapAction = (a: WorldAction) =>
  (a.do === 'protocol' && a.protocol === 'imap') || (a.do === 'addDevice' && a.device.protocol === 'imap');

/** The devices a lesson's steps and goals name, in the order they first appear (null: all of them). */
export function lessonDevices(lesson: Lesson): string[] | null {
  const ids: string[] = [];
  const add = (id: unknown) => {
    if (typeof id === 'string' && id !== '*' && !ids.includes(id)) ids.push(id);
  };
  for (const e of [...lesson.setup, ...lesson.steps.flatMap((s) => s.solution)]) {
    if ('type' in e) add(e.device);
    else if (e.do === 'addDevice') add(e.device.id);
    else if ('device' in e) add(e.device);
  }
  lesson.steps.forEach((s, i) => deviceRefs(s.goal, ['steps', i]).forEach((r) => add(r.device)));
  if (!ids.length) return null;
  // The scenario's order first (the world's panels keep it), then devices added by steps.
  const order = lesson.scenario.devices.map((d) => d.id);
  return ids.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
}

export class LessonSession {
  state = $state.raw<LessonState>(null as unknown as LessonState);
  summary = $state.raw<CompletionSummary | null>(null);
  notice = $state.raw<LessonNotice | null>(null);
  readonly devices: string[] | null;
  #run: LessonRun;
  #unsubscribe: () => void;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #origin: Origin;

  private constructor(
    readonly lesson: Lesson,
    readonly session: WorldSession,
    run: LessonRun,
    private readonly rt: LabRuntime,
    private readonly store: ProgressStore,
  ) {
    this.#run = run;
    this.devices = lessonDevices(lesson);
    this.#origin = typeof lesson.start === 'string' ? { scenario: lesson.start } : { inline: lesson.scenario };
    this.#unsubscribe = this.#watch(run);
  }

  /** Makes the lesson's world (IMAP's code first when it needs it), resuming saved progress. */
  static async open(rt: LabRuntime, lesson: Lesson, store: ProgressStore): Promise<LessonSession> {
    const { data, notice } = store.read();
    const saved = lessonProgress(data, lesson.id);
    if (lessonNeedsImap(lesson) || saved?.actions.some(imapAction)) await rt.engine.loadImap();
    const run = LessonSession.#makeRun(rt, lesson, saved);
    const session = new rt.WorldSession(rt.engine, { autosave: false });
    const ls = new LessonSession(lesson, session, run, rt, store);
    await session.host(run.world, ls.#origin, null);
    if (notice) ls.notice = { text: notice, tone: 'warn' };
    else if (run.resumeProblem) ls.notice = { text: run.resumeProblem, tone: 'warn' };
    return ls;
  }

  static #makeRun(rt: LabRuntime, lesson: Lesson, progress: LessonProgress | null): LessonRun {
    return new LessonRun(lesson, {
      createWorld: (scenario, options) => rt.engine.fromScenario(scenario, options.protocol),
      progress,
    });
  }

  #watch(run: LessonRun): () => void {
    const update = () => {
      this.state = run.state();
      this.summary = this.state.finished ? run.summary() : null;
    };
    update();
    return run.subscribe(() => {
      update();
      this.#saveSoon();
    });
  }

  /** The current step's solution, once shown (each raw line for its own `code` element). */
  get solution(): SolutionLine[] | null {
    const s = this.state;
    return s.step && s.solutionShown ? this.#run.solutionLines(s.step.solution) : null;
  }

  /**
   * World actions of the current step that the world view has no control for: the learner
   * needs a button for them (the prompt says what to do; the hints and solution stay hidden).
   */
  get actions(): SolutionLine[] {
    const step = this.state.step;
    if (!step) return [];
    return this.#run
      .solutionLines(step.solution)
      .filter((l) => l.line === null && NO_CONTROL.has(l.action.do));
  }

  hint(): void {
    this.#run.hint();
  }

  showSolution(): void {
    this.#run.showSolution();
  }

  /** A solution's world action done for the learner (traffic, a delivery: no button in the world view). */
  act(action: WorldAction): Promise<boolean> {
    return this.session.dispatch(action);
  }

  async resetStep(): Promise<void> {
    this.#run.resetStep();
    await this.#redraw();
  }

  /** Reset step, then the whole solution, played for the learner. */
  async playSolution(): Promise<void> {
    if (this.#run.currentStep?.solution.some((e) => 'do' in e && imapAction(e as WorldAction)))
      await this.rt.engine.loadImap();
    this.#run.playSolution();
    await this.#redraw();
  }

  next(): boolean {
    const moved = this.#run.next();
    if (moved) this.saveNow();
    return moved;
  }

  /** The lesson from its start again (its saved progress is dropped). */
  async restart(): Promise<void> {
    this.store.remove(this.lesson.id);
    this.#unsubscribe();
    this.#run.dispose();
    this.#run = LessonSession.#makeRun(this.rt, this.lesson, null);
    this.#unsubscribe = this.#watch(this.#run);
    await this.session.host(this.#run.world, this.#origin, null);
  }

  /** After the run rewound its world (or made a new one): the bridge redraws or shows the new world. */
  async #redraw(): Promise<void> {
    if (this.#run.world !== this.session.world) await this.session.host(this.#run.world, this.#origin, null);
    else this.session.resync();
  }

  #saveSoon(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.saveNow(), 250);
  }

  saveNow(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    const problem = this.store.put(this.#run.progress());
    if (problem) this.notice = { text: problem, tone: 'warn' };
  }

  dispose(): void {
    if (this.#saveTimer) this.saveNow();
    this.#unsubscribe();
    this.#run.dispose();
    this.session.dispose();
  }
}
