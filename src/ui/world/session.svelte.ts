/**
 * The bridge between one world and the screen (Svelte 5 runes): `$state.raw` snapshots that are
 * replaced after every step, and methods that turn a click or a typed line into a `WorldAction`.
 * Every panel reads from here; nothing on screen reaches into the store or the actors.
 *
 * It also keeps what belongs to the page rather than the world: the activity narration, each
 * terminal's helpers (the tag the lab adds to IMAP lines, a literal's progress, notes), autosave,
 * share links and files.
 */
import { utf8ToByteString } from '../../mail/store';
import type { Protocol } from '../../server/types';
import type { WorldCore, WorldData } from '../../world/core';
import { WorldError } from '../../world/core';
import type { WorldEvent } from '../../world/events';
import type { ActivityEntry, Narrator } from '../../world/narrate';
import { ScenarioError, validateScenario, type Scenario, type WorldAction } from '../../world/scenario';
import { hasScenario, SCENARIO_CATALOG } from '../../world/scenarios/catalog';
import sandbox from '../../world/scenarios/sandbox.json';
import { transcriptLines } from '../../client/transcript';
import { needsImap, type PageEngine, type ProtocolInfo } from './engine';
import {
  deviceView,
  serverList,
  serverView,
  type DeviceView,
  type LastCheck,
  type ServerView,
  type WorldSource,
} from './view-models';
import type { MessageListViewModel } from '../../viz/types';
import type { ShareData } from './share';
import { STORAGE_KEY } from './storage-key';

/** Where a world starts: a shipped scenario, or one carried inline (a file, a share link). */
export type Origin = { scenario: string } | { inline: Scenario };

export { STORAGE_KEY };
/** Worlds lighter than this (octets on the server + 300 per device copy) autosave whole. */
const FULL_SAVE_LIMIT = 1_500_000;
const SAVE_VERSION = 1;

/** What autosave writes: versioned, validated on load. */
interface SavedLab {
  version: typeof SAVE_VERSION;
  origin: Origin;
  /** The whole world, or null when it was too large for localStorage (then the steps replay). */
  data: WorldData | null;
  steps: WorldAction[];
}

/** A note the terminal shows between protocol lines (after transcript entry `after`). */
export interface TerminalNote {
  id: number;
  /** Show after the transcript entries with seq below this (the next event's number when written). */
  before: number;
  text: string;
}

interface TerminalState {
  lastTag: number;
  tagNoted: boolean;
  /** Octets an IMAP literal still expects ({n} at the end of the last line, RFC 9051 §4.3). */
  literal: { total: number; left: number } | null;
  notes: TerminalNote[];
}

/** One step's events, for the animations (a new object per step). */
export interface StepCue {
  id: number;
  events: readonly WorldEvent[];
  /** Undo, redo, reset, load: draw the new picture without motion. */
  jump: boolean;
}

const POP3_VERBS = /^(USER|PASS|APOP|STAT|RETR|DELE|RSET|UIDL|TOP|QUIT|CAPA|AUTH|STLS)\b/i;
const TAGGED_IMAP =
  /^[A-Za-z0-9.]+ (LOGIN|SELECT|EXAMINE|FETCH|STORE|UID|LOGOUT|CAPABILITY|NOOP|IDLE|LIST|CREATE)\b/i;

let noteCounter = 0;
let firstStepMarked = false;

const SANDBOX = validateScenario(sandbox);

/** A scenario's body: the sandbox is in the first load, the others arrive when first opened. */
async function scenarioOf(origin: Origin): Promise<Scenario> {
  if ('inline' in origin) return origin.inline;
  if (origin.scenario === 'sandbox') return SANDBOX;
  const { getScenario } = await import('../../world/scenarios/index');
  const s = getScenario(origin.scenario);
  if (!s) throw new WorldError(`there is no scenario "${origin.scenario}"`);
  return s;
}

function titleOf(origin: Origin): string {
  if ('inline' in origin) return origin.inline.title;
  return SCENARIO_CATALOG.find((s) => s.id === origin.scenario)?.title ?? origin.scenario;
}

export class WorldSession implements WorldSource {
  devices = $state.raw<readonly DeviceView[]>([]);
  server = $state.raw<ServerView | null>(null);
  clock = $state.raw(0);
  activity = $state.raw<readonly ActivityEntry[]>([]);
  canUndo = $state.raw(false);
  canRedo = $state.raw(false);
  /** A message for the learner (a refused step, a corrupt save); null when all is well. */
  notice = $state.raw<{ text: string; tone: 'info' | 'warn' | 'error' } | null>(null);
  /** True while IMAP's code loads for a step that needs it. */
  busy = $state.raw(false);
  /** The last step's events (the scene animates them). */
  cue = $state.raw<StepCue>({ id: 0, events: [], jump: true });
  origin = $state.raw<Origin>({ scenario: 'sandbox' });
  /** Bumps on every change: derived reads (transcripts, trails) re-run on it. */
  version = $state.raw(0);
  title = $state.raw('');

  #world!: WorldCore;
  #scenario: Scenario | null = null;
  /** The narrator arrives in its own chunk when the world first has something to tell. */
  #narrator: Narrator | null = null;
  #narratorLoad: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;
  #pending: WorldEvent[] = [];
  #cueId = 0;
  // Plain maps on purpose: `version` is what the screen watches; these are read through methods.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #terminals = new Map<string, TerminalState>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #checks = new Map<string, LastCheck>();
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #autosave: boolean;
  /** Serializes steps: a step waiting for IMAP's code holds the ones typed after it. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly engine: PageEngine,
    options: { autosave?: boolean } = {},
  ) {
    this.#autosave = options.autosave ?? true;
  }

  // ---- starting a world -------------------------------------------------------------

  /** Opens a fresh world from an origin (and replays steps, e.g. from a share link). */
  async start(origin: Origin, steps: readonly WorldAction[] = []): Promise<void> {
    const scenario = await scenarioOf(origin);
    if (needsImap(scenario) || steps.some(stepNeedsImap)) await this.#loadImap();
    if (steps.length) await this.#loadNarrator();
    const world = this.engine.fromScenario(scenario);
    for (const step of steps) world.dispatch(step);
    this.#scenario = scenario;
    this.#adopt(world, origin);
    await this.#tellStory();
    this.#save();
  }

  /** Opens the autosaved world, if there is one; false (with a notice when it was unreadable) otherwise. */
  async restore(
    storage: Storage | null = safeStorage(),
    wanted: (origin: Origin) => boolean = () => true,
  ): Promise<boolean> {
    const text = storage?.getItem(STORAGE_KEY);
    if (!text) return false;
    try {
      const saved = parseSaved(text);
      if (!wanted(saved.origin)) return false;
      if (saved.data) {
        if (needsImap(null, saved.data)) await this.#loadImap();
        this.#adopt(this.engine.load(saved.data), saved.origin);
        this.#scenario = await scenarioOf(saved.origin).catch(() => null);
        this.version++;
      } else await this.start(saved.origin, saved.steps);
      await this.#tellStory();
      return true;
    } catch (err) {
      storage?.removeItem(STORAGE_KEY);
      this.notice = {
        text: `Your saved lab could not be opened (${messageOf(err)}), so a fresh sandbox started.`,
        tone: 'warn',
      };
      return false;
    }
  }

  /**
   * Shows a world made elsewhere (a lesson's, from LessonRun) through this bridge. It is not
   * autosaved (lessons keep their own progress); `scenario` is its story, for the story bar.
   */
  async host(world: WorldCore, origin: Origin, scenario: Scenario | null = null): Promise<void> {
    this.#autosave = false;
    this.#adopt(world, origin);
    this.#scenario = scenario;
    await this.#tellStory();
  }

  /** The world changed outside this bridge (a lesson's "Reset step" rewound it): redraw everything. */
  resync(): void {
    this.#pending = [];
    this.#terminals.clear();
    this.#renarrate();
    this.#refresh(true);
  }

  #adopt(world: WorldCore, origin: Origin): void {
    if (this.#world) {
      this.#unsubscribe?.();
      this.#world.dispose();
      this.engine.forget(this.#world);
    }
    this.#world = world;
    this.origin = origin;
    this.title = titleOf(origin);
    this.#terminals.clear();
    this.#renarrate();
    this.#unsubscribe = world.subscribe((e) => {
      this.#pending.push(e);
      this.#narrator?.push(e);
      this.#noteCheck(e);
    });
    this.#refresh(true);
  }

  /** A world that already has a story (restored, imported, shared) tells it at once. */
  async #tellStory(): Promise<void> {
    if (!this.#world.log.length) return;
    await this.#loadNarrator();
    this.#refreshActivity();
  }

  /** Resolves once the activity log tells every step so far (the narrator's chunk has arrived). */
  async narrated(): Promise<void> {
    await this.#loadNarrator();
    this.#refreshActivity();
  }

  /** Fetches the narrator ahead of the first step, once the page is idle (it is small and always needed). */
  prefetch(): void {
    const idle = (globalThis as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback;
    if (idle) idle(() => void this.#loadNarrator());
    else setTimeout(() => void this.#loadNarrator(), 200);
  }

  #loadNarrator(): Promise<void> {
    this.#narratorLoad ??= import('../../world/narrate').then((m) => {
      const Narrator = m.Narrator;
      this.#makeNarrator = () => new Narrator(this.#world);
      if (this.#world) this.#renarrate();
    });
    return this.#narratorLoad;
  }

  #makeNarrator: (() => Narrator) | null = null;

  #refreshActivity(): void {
    this.activity = this.#narrator?.entries.slice() ?? [];
  }

  /** The narration from the world's log (after undo, load or reset the old entries point at old lines). */
  #renarrate(): void {
    this.#narrator = this.#makeNarrator?.() ?? null;
    this.#checks.clear();
    for (const e of this.#world.log) {
      this.#narrator?.push(e);
      this.#noteCheck(e);
    }
  }

  /** Remembers each device's last check, with who held the lock when it was refused. */
  #noteCheck(e: WorldEvent): void {
    if (e.type !== 'device.check') return;
    this.#checks.set(e.device, {
      at: e.at,
      result: e.result,
      downloaded: e.downloaded,
      deletedOnServer: e.deletedOnServer,
      ...(e.detail ? { detail: e.detail } : {}),
      ...(e.result === 'locked' ? { holder: this.#world.lockHolder() } : {}),
    });
  }

  /**
   * Where the learner is in the scenario's own story: how many of its timeline steps have been
   * played in order, the next one, and whether the learner's own steps left the story.
   */
  get story(): { at: number; total: number; next: WorldAction | null; left: boolean } | null {
    void this.version;
    const timeline = this.#scenario?.timeline ?? [];
    if (!timeline.length) return null;
    const steps = this.#world.steps;
    let at = 0;
    while (
      at < steps.length &&
      at < timeline.length &&
      JSON.stringify(steps[at]) === JSON.stringify(timeline[at])
    )
      at++;
    const left = steps.length > at;
    return { at, total: timeline.length, next: !left && at < timeline.length ? timeline[at] : null, left };
  }

  serverList(folder: string, copies: Map<string, string[]>, shown: number): MessageListViewModel {
    return serverList(this.#world, folder, this.server!, copies, shown);
  }

  /** The world (undefined only before the first start). */
  get world(): WorldCore {
    return this.#world;
  }

  // ---- steps ---------------------------------------------------------------------------

  /**
   * Runs one step, loading IMAP's code first when the step needs it. A refused step (bad
   * numbers, an unknown device) changes nothing and shows why.
   */
  dispatch(action: WorldAction): Promise<boolean> {
    const run = async () => {
      if (stepNeedsImap(action) || this.#touchesImapDevice(action)) await this.#loadImap();
      // The narrator is not waited for: a step before it arrives is told from the log after.
      if (!this.#narrator) void this.#loadNarrator().then(() => this.#refreshActivity());
      try {
        this.#world.dispatch(action);
      } catch (err) {
        if (!(err instanceof WorldError || err instanceof ScenarioError)) throw err;
        this.#pending = [];
        this.notice = { text: messageOf(err), tone: 'error' };
        return false;
      }
      this.#refresh(false);
      this.#save();
      if (!firstStepMarked && typeof performance !== 'undefined') {
        firstStepMarked = true;
        // For bench/bundle.bench.ts: the first step a learner asked for is done and drawn.
        performance.mark('lab:first-step');
      }
      return true;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #touchesImapDevice(action: WorldAction): boolean {
    if (this.engine.imap || !('device' in action) || typeof action.device !== 'string') return false;
    const ids = action.device === '*' ? this.#world.deviceIds : [action.device];
    return ids.some((id) => this.#world.deviceIds.includes(id) && this.#world.device(id).protocol === 'imap');
  }

  async #loadImap(): Promise<void> {
    if (this.engine.imap) return;
    this.busy = true;
    try {
      await this.engine.loadImap();
    } finally {
      this.busy = false;
    }
  }

  undo(): boolean {
    if (!this.#world.undo()) return false;
    this.#afterJump();
    return true;
  }

  redo(): boolean {
    if (!this.#world.redo()) return false;
    this.#refresh(false);
    this.#save();
    return true;
  }

  /** Back to the start of the current scenario (or sandbox). */
  reset(): void {
    this.#world.reset();
    this.#terminals.clear();
    this.#afterJump();
  }

  #afterJump(): void {
    this.#pending = [];
    this.#terminals.clear();
    this.#renarrate();
    this.#refresh(true);
    this.#save();
  }

  dismissNotice(): void {
    this.notice = null;
  }

  #refresh(jump: boolean): void {
    const w = this.#world;
    this.devices = w.deviceIds.map((id) => deviceView(w, id, this.#checks.get(id) ?? null));
    this.server = serverView(w);
    this.clock = w.now;
    this.canUndo = w.canUndo;
    this.canRedo = w.canRedo;
    this.activity = this.#narrator?.entries.slice() ?? [];
    this.cue = { id: ++this.#cueId, events: this.#pending, jump };
    this.#pending = [];
    this.version++;
  }

  // ---- terminals -------------------------------------------------------------------------

  #terminal(id: string): TerminalState {
    let t = this.#terminals.get(id);
    if (!t) this.#terminals.set(id, (t = { lastTag: 0, tagNoted: false, literal: null, notes: [] }));
    return t;
  }

  #note(id: string, text: string): void {
    const t = this.#terminal(id);
    t.notes = [...t.notes.slice(-50), { id: ++noteCounter, before: this.#world.nextSeq, text }];
  }

  notes(id: string): readonly TerminalNote[] {
    void this.version;
    return this.#terminals.get(id)?.notes ?? [];
  }

  /** The literal the terminal is sending, if any ("38 of 120 octets"). */
  literal(id: string): { total: number; sent: number } | null {
    void this.version;
    const l = this.#terminals.get(id)?.literal;
    return l ? { total: l.total, sent: l.total - l.left } : null;
  }

  /** The protocol info (commands, legal ones, diagram) of a device's terminal, when loaded. */
  info(protocol: Protocol): ProtocolInfo | null {
    return this.engine.info(protocol);
  }

  /**
   * One line typed on a device's terminal, sent as the device would send it: UTF-8 octets plus
   * CRLF, through the device's own session (the world's `manual` step). Under IMAP a line that
   * starts with a command gets the next tag; DONE, continuation data and literal octets go as
   * typed. Blank lines mean nothing outside a literal and are not sent.
   */
  async type(id: string, line: string): Promise<void> {
    const d = this.devices.find((x) => x.id === id);
    if (!d) return;
    if (d.lost)
      return void this.#noteAndRefresh(id, 'This device is lost: there is nothing left to type on.');
    if (!d.online)
      return void this.#noteAndRefresh(id, 'This device is offline: bring it online to reach the server.');
    if (d.protocol === 'imap') await this.#loadImap();
    const t = this.#terminal(id);
    let wire = line;
    if (d.protocol === 'imap') {
      const imap = this.engine.imap!;
      const manual = d.sessions.manual;
      if (t.literal) {
        const octets = utf8ToByteString(line).length;
        if (octets > t.literal.left)
          this.#note(
            id,
            `The literal needed only ${t.literal.left} more octets; the rest of this line is read as the continuation of the command (RFC 9051 §4.3).`,
          );
        t.literal.left -= octets + 2;
        if (t.literal.left <= 0) t.literal = null;
      } else if (manual?.view?.idling || this.#continuationPending(id)) {
        // DONE, or data after a "+" continuation (AUTHENTICATE): sent as typed.
      } else {
        if (line.trim() === '') return;
        if (POP3_VERBS.test(line.trim()))
          this.#note(
            id,
            `This device speaks IMAP, and ${line.trim().split(/\s+/)[0].toUpperCase()} is a POP3 command, so the server will not know it. Switch the device to POP3 with its Protocol switch, or use the IMAP way (for example FETCH to read a message).`,
          );
        const tagged = imap.addTag(line, `a${t.lastTag + 1}`);
        if (tagged.added && !t.tagNoted) {
          t.tagNoted = true;
          this.#note(
            id,
            `The lab added the tag ${tagged.added} (and will keep adding a2, a3…): every IMAP command starts with a tag the client chooses, and the server's final reply carries the same tag (RFC 9051 §2.2.1).`,
          );
        }
        wire = tagged.line;
        const n = /^a(\d+)\s/i.exec(wire);
        if (n) t.lastTag = Math.max(t.lastTag, Number(n[1]));
        const announced = /\{(\d+)\+?\}$/.exec(wire);
        if (announced) t.literal = { total: Number(announced[1]), left: Number(announced[1]) };
      }
    } else {
      if (line.trim() === '') return;
      if (TAGGED_IMAP.test(line.trim()))
        this.#note(
          id,
          'This device speaks POP3: its commands have no tags (USER, PASS, STAT, RETR…). Switch the device to IMAP with its Protocol switch to use IMAP commands.',
        );
    }
    await this.dispatch({ do: 'manual', device: id, line: utf8ToByteString(wire) });
  }

  #noteAndRefresh(id: string, text: string): void {
    this.#note(id, text);
    this.version++;
  }

  /** The server's last line to this device was a "+" continuation request (not for a literal). */
  #continuationPending(id: string): boolean {
    const t = this.#world.device(id).transcript;
    const last = t[t.length - 1];
    return !!last && last.dir === 'S' && /^\+( |$)/.test(last.text.split('\r\n').at(-1) ?? '');
  }

  /**
   * The states a device's terminal session went through, oldest first (from the world's log):
   * the diagram walks them, so UPDATE is seen although QUIT passes through it in one reply.
   */
  trail(id: string): { seq: number; state: string }[] {
    void this.version;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- local to this call
    const mine = new Set<string>();
    const out: { seq: number; state: string }[] = [];
    let manualStep = false;
    for (const e of this.#world.log) {
      if (e.type === 'world.step')
        manualStep = (e.action.do === 'manual' || e.action.do === 'connect') && e.action.device === id;
      else if (e.type === 'device.connected' && e.device === id && manualStep) {
        mine.add(e.connection);
        out.push({ seq: e.seq, state: e.protocol === 'imap' ? 'Not Authenticated' : 'AUTHORIZATION' });
      } else if (
        e.type === 'server.event' &&
        e.event.type === 'session.state' &&
        mine.has(e.event.connection)
      )
        out.push({ seq: e.seq, state: e.event.to });
    }
    return out.slice(-20);
  }

  /** How the device's last terminal session ended, when the server closed it; null while open. */
  hangup(id: string): { reason: string; lastLine: string; protocol: Protocol } | null {
    void this.version;
    const d = this.devices.find((x) => x.id === id);
    if (!d || d.sessions.manual) return null;
    let manualStep = false;
    let connection: string | null = null;
    let closed: { reason: string; protocol: Protocol } | null = null;
    for (const e of this.#world.log) {
      if (e.type === 'world.step')
        manualStep = (e.action.do === 'manual' || e.action.do === 'connect') && e.action.device === id;
      else if (e.type === 'device.connected' && e.device === id && manualStep) {
        connection = e.connection;
        closed = null;
      } else if (
        e.type === 'server.event' &&
        e.event.type === 'connection.closed' &&
        e.event.connection === connection
      )
        closed = { reason: e.event.reason, protocol: e.event.protocol };
    }
    if (!closed || closed.reason === 'dropped') return null;
    const t = this.#world.device(id).transcript;
    const lastS = [...t].reverse().find((c) => c.dir === 'S');
    return { ...closed, lastLine: lastS?.text.split('\r\n').at(-1) ?? '' };
  }

  /** A device's transcript as text (C:/S: lines), for "Export transcript". */
  transcriptText(id: string): string {
    const lines = transcriptLines(this.#world.device(id).transcript);
    return lines.map((l) => `${l.dir === '*' ? '#' : l.dir}: ${l.text}`).join('\n') + '\n';
  }

  // ---- saving and sharing ----------------------------------------------------------------

  #save(): void {
    if (!this.#autosave) return;
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    // Saving a big world takes a while: do it when the page is idle, not in an animation frame.
    this.#saveTimer = setTimeout(() => {
      const idle = (globalThis as { requestIdleCallback?: (f: () => void, o?: object) => void })
        .requestIdleCallback;
      if (idle) idle(() => this.saveNow(), { timeout: 2000 });
      else this.saveNow();
    }, 400);
  }

  /** Writes the autosave now (a page about to close, tests). */
  saveNow(storage: Storage | null = safeStorage()): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (!storage) return;
    const steps = [...this.#world.steps];
    const recipe = JSON.stringify({ version: SAVE_VERSION, origin: this.origin, data: null, steps });
    // A big world (thousands of copies) is saved as its recipe, which replays to the same world:
    // writing megabytes on every step would stutter the animations.
    const small = this.#world.weight < FULL_SAVE_LIMIT;
    const text = small
      ? `{"version":${SAVE_VERSION},"origin":${JSON.stringify(this.origin)},"steps":${JSON.stringify(steps)},"data":${this.#world.serialize()}}`
      : recipe;
    try {
      storage.setItem(STORAGE_KEY, text);
    } catch {
      // Too large for localStorage: keep the recipe.
      try {
        storage.setItem(STORAGE_KEY, recipe);
      } catch {
        this.notice = {
          text: 'This lab is too large to save in the browser; export it as a file instead.',
          tone: 'warn',
        };
      }
    }
  }

  /** A link that opens this world: the scenario plus every step, compressed into the fragment. */
  async shareLink(base: string): Promise<string> {
    const data: ShareData = { v: 1, origin: this.origin, steps: [...this.#world.steps] };
    const { encodeShare } = await import('./share');
    return `${base.replace(/#.*$/, '')}#/share/${await encodeShare(data)}`;
  }

  /** Opens a share link's payload (the part after #/share/). */
  async openShare(payload: string): Promise<void> {
    let data: ShareData;
    try {
      const { decodeShare } = await import('./share');
      data = await decodeShare(payload);
      if ('inline' in data.origin) data.origin = { inline: validateScenario(data.origin.inline) };
    } catch (err) {
      throw new WorldError(`the share link is damaged (${messageOf(err)})`);
    }
    await this.start(data.origin, data.steps);
  }

  /** The world as a JSON file's text (origin, steps and the whole world). */
  exportJson(): string {
    const saved: SavedLab = {
      version: SAVE_VERSION,
      origin: this.origin,
      data: this.#world.save(),
      steps: [...this.#world.steps],
    };
    return JSON.stringify(saved, null, 1);
  }

  /** Opens an exported world file; a bad file changes nothing and says why. */
  async importJson(text: string): Promise<void> {
    const saved = parseSaved(text);
    if (saved.data) {
      if (needsImap(null, saved.data)) await this.#loadImap();
      this.#adopt(this.engine.load(saved.data), saved.origin);
      this.#scenario = await scenarioOf(saved.origin).catch(() => null);
      await this.#tellStory();
      this.#save();
    } else await this.start(saved.origin, saved.steps);
  }

  dispose(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#unsubscribe?.();
    this.#world?.dispose();
  }
}

function stepNeedsImap(a: WorldAction): boolean {
  return (
    (a.do === 'protocol' && a.protocol === 'imap') || (a.do === 'addDevice' && a.device.protocol === 'imap')
  );
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^invalid scenario:\s*/i, '').replace(/\s*\n\s*-\s*/g, '; ');
}

/** localStorage, or null where it is blocked (private modes, sandboxed frames). */
export function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Reads an autosave or an exported file; throws WorldError with a readable reason. */
export function parseSaved(text: string): SavedLab {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WorldError('it is not JSON');
  }
  const v = value as Partial<SavedLab> | null;
  if (!v || typeof v !== 'object') throw new WorldError('it is not a saved lab');
  if (v.version !== SAVE_VERSION)
    throw new WorldError(`it was saved by another version of the lab (${JSON.stringify(v.version ?? null)})`);
  const origin = v.origin as Origin | undefined;
  if (!origin || typeof origin !== 'object') throw new WorldError('it does not say where it started');
  if ('scenario' in origin) {
    if (typeof origin.scenario !== 'string' || !hasScenario(origin.scenario))
      throw new WorldError(`it starts from an unknown scenario ${JSON.stringify(origin.scenario)}`);
  } else if ('inline' in origin) {
    origin.inline = validateScenario(origin.inline);
  } else throw new WorldError('it does not say where it started');
  if (!Array.isArray(v.steps)) throw new WorldError('its steps are missing');
  if (v.data !== null && (typeof v.data !== 'object' || v.data === undefined))
    throw new WorldError('its world is damaged');
  return { version: SAVE_VERSION, origin, data: (v.data ?? null) as WorldData | null, steps: v.steps };
}
