/**
 * The world: one mail server (POP3 and IMAP over one store), the devices,
 * a virtual clock and the event log. Its state is one plain value
 * (`WorldData`): save it, load it back, undo and redo steps, reset.
 *
 * `WorldCore` takes its engine (the server and the IMAP client) from its options, so the page
 * can start with POP3 alone and load IMAP's code when a device first needs it. `World`
 * (./world.ts) is the same class with the full engine built in, for Node and tests.
 */
import {
  createDevice,
  newDeviceData,
  type DeviceActor,
  type DeviceCommand,
  type DeviceRuntime,
} from '../client/device';
import type { DeviceEvent } from '../client/events';
import type { DeviceEnv } from '../client/link';
import { DEVICE_KINDS, type DeviceData, type DeviceKind } from '../client/types';
import { createLabStore } from '../mail/fixtures';
import { MailStore } from '../mail/store';
import type { StoreData } from '../mail/types';
import type { Connection, ConnectOptions, Protocol, ServerListener, SessionView } from '../server/types';
import type { WorldEvent, WorldEventBody, WorldListener } from './events';
import {
  advanceMs,
  MAX_CHECK_MINUTES,
  MAX_DAYS,
  MAX_EVENTS_PER_ADVANCE,
  MAX_MESSAGE_SIZE,
  MAX_PER_DAY,
  shapeProblem,
} from './limits';
import { buildMessage, nextRandom, randomMessageSpec } from './messages';
import {
  ScenarioError,
  validateScenario,
  DEFAULT_ACCOUNT,
  DEFAULT_START,
  type Scenario,
  type ScenarioDevice,
  type FaultAction,
  type ScenarioMessage,
  type WorldAction,
  FAULTS,
} from './scenario';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** What the world needs of a mail server (src/server/server.ts provides it). */
export interface MailServerLike {
  connect(protocol: Protocol, options?: ConnectOptions): Connection;
  /** `{ wire: false }`: the world keeps its own transcripts and never wants `command`/`reply` events. */
  subscribe(listener: ServerListener, options?: { wire?: boolean }): () => void;
  /** Open connections (for the server's "who is connected" view). */
  connections?(): { id: string; protocol: Protocol; state: string; client?: string; user?: string }[];
  /** The maildrop locks held now (RFC 1939 §8). */
  readonly locks?: { held(): { user: string; holder: string }[] };
}
export type ServerFactory = (options: { store: MailStore; now: () => number }) => MailServerLike;
export type ImapClientFactory = NonNullable<DeviceEnv['imapClient']>;

/** One live session as the lab shows it: which connection, which protocol, which state, and what it sees. */
export interface LiveSession {
  connection: string;
  protocol: Protocol;
  state: string;
  /** What the session knows (selected mailbox, its numbering, DELE marks, IDLE), when the server can tell. */
  view: SessionView | null;
}

/** A device's open sessions: its mail app's own (IMAP keeps one open) and its terminal's. */
export interface DeviceSessions {
  sync: LiveSession | null;
  manual: LiveSession | null;
}

/** One open connection on the server, with the device it belongs to. */
export interface ServerSession extends LiveSession {
  /** Device id (or another client name), if known. */
  device: string | null;
  user: string | null;
  /** True when this session holds the user's POP3 maildrop lock. */
  holdsLock: boolean;
}

/** Seeded random mail arriving while the clock advances. */
export interface TrafficState {
  perDay: number;
  until: number;
  nextAt: number;
  rng: number;
  size: { min: number; max: number };
}

export interface StorageSample {
  at: number;
  bytes: number;
  messages: number;
}

export interface WorldData {
  version: 1;
  /** Scenario id this world came from, if any. */
  scenario: string | null;
  /** Protocol every device uses, including devices added later (set by compare runs); null = as each device says. */
  protocol: Protocol | null;
  account: { user: string; password: string };
  start: number;
  clock: number;
  store: StoreData;
  devices: DeviceData[];
  traffic: TrafficState | null;
  /** Counter for generated message ids (t1, t2, ...). */
  generated: number;
  /** Next event sequence number. */
  seq: number;
  /** The most recent events (at most `logLimit`). */
  log: WorldEvent[];
  /** Server storage over time (one sample per virtual day at most, plus after each step). */
  storage: StorageSample[];
  /**
   * The steps dispatched since this world was created, as undo and redo leave them: replaying
   * them on the starting world gives this world (share links carry them). Absent in older saves.
   */
  steps?: WorldAction[];
}

export interface WorldOptions {
  createServer?: ServerFactory;
  /** The IMAP half of the devices' mail apps (`World` passes the real one; see DeviceEnv.imapClient). */
  imapClient?: ImapClientFactory;
  /** Events kept in `WorldData.log` (listeners still see every event). Default 5000. */
  logLimit?: number;
  /** How many steps can be undone. Default: every step since the world was made; 0 turns undo off (large simulations). */
  undoDepth?: number;
  /** Transcript lines each device keeps. Default 2000. */
  transcriptLimit?: number;
  /** Octets of each downloaded copy a device keeps, to read it (the page); default 0 = none. */
  keepMessageBytes?: number;
}

export class WorldError extends Error {}

/**
 * What the world gives each device (see DeviceEnv). A class: an object literal with the
 * `imapClient` getter was a slow (dictionary) object, and devices read it on every line they
 * send or receive (the clock, the transcript bound, the event sequence).
 */
class WorldDeviceEnv implements DeviceEnv {
  constructor(
    readonly connect: DeviceEnv['connect'],
    readonly now: () => number,
    readonly emit: (e: DeviceEvent) => void,
    readonly attention: (device: string) => void,
    readonly transcriptLimit: number,
    readonly keepBytes: number,
    readonly nextSeq: () => number,
    private readonly imapClientNow: () => ImapClientFactory | undefined,
  ) {}

  get imapClient(): ImapClientFactory | undefined {
    return this.imapClientNow();
  }
}

interface LiveDevice {
  actor: DeviceActor;
  runtime: DeviceRuntime;
}

/** Where a storage chart's points come from: server bytes and messages of the world's account. */
function sampleOf(store: MailStore, at: number, user: string): StorageSample {
  let messages = 0;
  for (const mb of store.listMailboxes(user)) messages += mb.messages.length;
  return { at, bytes: store.storageBytes(user), messages };
}

/** What a world is made with: `new this(data, options)` in the static constructors below. */
export type WorldClass<W extends WorldCore> = new (data: WorldData, options?: WorldOptions) => W;

export class WorldCore {
  private data!: WorldData;
  private store!: MailStore;
  private server!: MailServerLike;
  private live = new Map<string, LiveDevice>();
  private listeners = new Set<WorldListener>();
  /** `listeners` as an array, rebuilt only when it changes: an event sees the listeners there were when it was recorded. */
  private listenerList: WorldListener[] = [];
  private unsubscribeServer: Array<() => void> = [];
  private attention: string[] = [];
  /** Steps undone, the most recently undone last: redo dispatches them again. */
  private redoStack: WorldAction[] = [];
  /** How many of `steps` the world already had when it was made or loaded: undo stops there. */
  private base = 0;
  /** True while undo replays steps: listeners hear only the final `world.undo`. */
  private replaying = false;
  private readonly initial: string;
  private quiet = false;
  private readonly createServer: ServerFactory;
  private imapClient: ImapClientFactory | undefined;
  private readonly logLimit: number;
  private readonly undoDepth: number;
  private readonly transcriptLimit: number;
  private readonly keepBytes: number;

  constructor(data: WorldData, options: WorldOptions = {}) {
    if (!options.createServer) throw new WorldError('a world needs a mail server (options.createServer)');
    this.createServer = options.createServer;
    this.imapClient = options.imapClient;
    this.logLimit = options.logLimit ?? 5000;
    this.undoDepth = options.undoDepth ?? Infinity;
    this.transcriptLimit = options.transcriptLimit ?? 2000;
    this.keepBytes = options.keepMessageBytes ?? 0;
    // Validated before the copy: structuredClone of a 100,000-deep value overflows the stack (F9).
    const copy = structuredClone(validateWorldData(data));
    copy.steps ??= [];
    this.initial = JSON.stringify(copy);
    this.base = copy.steps.length;
    this.restore(copy);
  }

  // ---- creation ---------------------------------------------------------------------

  /** An empty world: one account with the default mailboxes, no devices, clock at `start`. */
  static empty<W extends WorldCore>(
    this: WorldClass<W>,
    options: WorldOptions & { account?: { user: string; password: string }; start?: number } = {},
  ): W {
    const start = options.start ?? Date.parse(DEFAULT_START);
    const account = options.account ?? DEFAULT_ACCOUNT;
    const store = new MailStore({ now: () => start });
    store.addAccount(account.user, account.password);
    const data: WorldData = {
      version: 1,
      scenario: null,
      protocol: null,
      account,
      start,
      clock: start,
      store: store.toJSON(),
      devices: [],
      traffic: null,
      generated: 0,
      seq: 1,
      log: [],
      storage: [sampleOf(store, start, account.user)],
    };
    return new this(data, options);
  }

  /**
   * The world at the start of a scenario (initial messages delivered, devices
   * set up); the timeline is not run. `protocol` overrides every device's.
   */
  static fromScenario<W extends WorldCore>(
    this: WorldClass<W>,
    scenario: Scenario,
    options: WorldOptions & { protocol?: Protocol } = {},
  ): W {
    const start = Date.parse(scenario.start ?? DEFAULT_START);
    const account = scenario.account ?? DEFAULT_ACCOUNT;
    // "lab": the lab's own mailbox (INBOX, Sent, Archive of alice), as the TCP server serves it.
    const store =
      scenario.mailbox === 'lab'
        ? createLabStore({ user: account.user, password: account.password, now: () => start })
        : new MailStore({ now: () => start });
    if (scenario.mailbox !== 'lab') store.addAccount(account.user, account.password);
    for (const m of scenario.messages ?? []) {
      const date = start - (m.daysAgo ?? 0) * DAY;
      const raw = buildMessage(m, date, `${account.user}@lab.example`);
      if (!store.getMailbox(account.user, m.mailbox ?? 'INBOX'))
        store.createMailbox(account.user, m.mailbox!);
      store.deliver(account.user, m.mailbox ?? 'INBOX', raw, { internalDate: date, origin: 'delivery' });
    }
    const devices = scenario.devices.map((d) => scenarioDevice(d, account, options.protocol, start));
    const data: WorldData = {
      version: 1,
      scenario: scenario.id,
      protocol: options.protocol ?? null,
      account,
      start,
      clock: start,
      store: store.toJSON(),
      devices,
      traffic: null,
      generated: 0,
      seq: 1,
      log: [],
      storage: [sampleOf(store, start, account.user)],
    };
    return new this(data, options);
  }

  /** Loads a saved world (a value from `save()` or its JSON text). Throws WorldError on bad data. */
  static load<W extends WorldCore>(
    this: WorldClass<W>,
    saved: string | unknown,
    options: WorldOptions = {},
  ): W {
    let value: unknown = saved;
    if (typeof saved === 'string') {
      try {
        value = JSON.parse(saved);
      } catch (err) {
        throw new WorldError(`saved world is not JSON: ${(err as Error).message}`);
      }
    }
    return new this(value as WorldData, options);
  }

  // ---- reading ------------------------------------------------------------------------

  /** The whole world as one plain value (deep copy). */
  save(): WorldData {
    this.sync();
    return structuredClone(this.data);
  }

  toJSON(): WorldData {
    return this.save();
  }

  /** The world as JSON text, without the deep copy `save` makes (for autosave and files). */
  serialize(): string {
    this.sync();
    return JSON.stringify(this.data);
  }

  /** A rough size of the world's data: octets on the server plus copies on devices (to decide how to save it). */
  get weight(): number {
    let copies = 0;
    for (const id of this.deviceIds)
      for (const m of this.device(id).messages) copies += 300 + (m.raw?.length ?? 0);
    return this.store.storageBytes() + copies;
  }

  get now(): number {
    return this.data.clock;
  }

  get account(): { user: string; password: string } {
    return this.data.account;
  }

  /** The server's mail store (read it; change it only through delivery and devices). */
  get mailStore(): MailStore {
    return this.store;
  }

  get mailServer(): MailServerLike {
    return this.server;
  }

  get deviceIds(): string[] {
    return this.data.devices.map((d) => d.id);
  }

  device(id: string): DeviceData {
    const live = this.live.get(id);
    if (!live) throw new WorldError(`no device "${id}"`);
    return live.actor.getSnapshot().context.data;
  }

  devices(): DeviceData[] {
    return this.deviceIds.map((id) => this.device(id));
  }

  /** The actor of a device, for observers that want its state ("online", "offline", "lost"). */
  deviceActor(id: string): DeviceActor {
    const live = this.live.get(id);
    if (!live) throw new WorldError(`no device "${id}"`);
    return live.actor;
  }

  get log(): readonly WorldEvent[] {
    return this.data.log;
  }

  /** The steps since this world was created (after undo and redo): replayed on the start, they give this world. */
  get steps(): readonly WorldAction[] {
    return this.data.steps ?? [];
  }

  /** The scenario this world came from, if any. */
  get scenarioId(): string | null {
    return this.data.scenario;
  }

  /** The sequence number the next event will get. */
  get nextSeq(): number {
    return this.data.seq;
  }

  /** The device's live sessions now (none for a lost or offline device). */
  sessions(id: string): DeviceSessions {
    const live = this.live.get(id);
    if (!live) throw new WorldError(`no device "${id}"`);
    const { sync, manual } = live.runtime.connections();
    return { sync: liveSession(sync), manual: liveSession(manual) };
  }

  /** Every open connection on the server, with its device, state and lock. */
  serverSessions(): ServerSession[] {
    const held = new Map((this.server.locks?.held() ?? []).map((l) => [l.holder, l.user]));
    const byConnection = new Map<string, DeviceSessions['sync']>();
    for (const [, l] of this.live) {
      const { sync, manual } = l.runtime.connections();
      for (const c of [sync, manual]) if (c) byConnection.set(c.id, liveSession(c));
    }
    return (this.server.connections?.() ?? []).map((c) => {
      const known = byConnection.get(c.id);
      return {
        connection: c.id,
        protocol: c.protocol,
        state: c.state,
        view: known?.view ?? null,
        device: c.client ?? null,
        user: c.user ?? null,
        holdsLock: held.has(c.id),
      };
    });
  }

  /** Who holds the user's POP3 maildrop lock: a device id (or other client name), or null. */
  lockHolder(): string | null {
    const held = (this.server.locks?.held() ?? []).find((l) => l.user === this.data.account.user);
    if (!held) return null;
    return this.server.connections?.().find((c) => c.id === held.holder)?.client ?? held.holder;
  }

  /** Installs the IMAP half of the mail apps once its code has loaded (devices use it from their next step). */
  setImapClient(factory: ImapClientFactory): void {
    this.imapClient = factory;
  }

  get imapAvailable(): boolean {
    return this.imapClient !== undefined;
  }

  get storage(): readonly StorageSample[] {
    return this.data.storage;
  }

  subscribe(listener: WorldListener): () => void {
    this.listeners.add(listener);
    this.listenerList = [...this.listeners];
    return () => {
      const had = this.listeners.delete(listener);
      if (had) this.listenerList = [...this.listeners];
      return had;
    };
  }

  get canUndo(): boolean {
    return this.data.steps!.length > this.base && this.redoStack.length < this.undoDepth;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  // ---- changing ---------------------------------------------------------------------------

  /** One step: what a learner's button or a scenario's timeline entry does. Undoable. */
  dispatch(action: WorldAction): void {
    // Refused before anything changes, so a refused step leaves no trace (not even an undo entry).
    const refused = this.refusal(action);
    if (refused) throw new WorldError(refused);
    this.redoStack = [];
    this.step(action);
  }

  private step(action: WorldAction): void {
    // A copy: the caller's object may change later, the history must not.
    this.data.steps!.push(structuredClone(action));
    this.record({ type: 'world.step', action });
    this.apply(action);
    this.drainAttention();
    this.sample(true);
  }

  /** Runs a whole timeline, step by step. */
  run(actions: readonly WorldAction[]): void {
    for (const a of actions) this.dispatch(a);
  }

  /** Advances the virtual clock (shorthand for dispatch({do: 'advance'})). */
  advance(ms: number): void {
    this.dispatch({ do: 'advance', minutes: ms / MINUTE });
  }

  /**
   * Goes back one step: the world is rebuilt from its start by replaying every step but the
   * last (the world is deterministic), so live sessions come back too: a device in IDLE is
   * still idling, a terminal's POP3 session still holds its marks and the lock.
   */
  undo(): boolean {
    if (!this.canUndo) return false;
    const steps = this.data.steps!;
    const last = steps[steps.length - 1];
    const keep = steps.slice(this.base, -1);
    const seq = this.data.seq;
    const initial = JSON.parse(this.initial) as WorldData;
    // Sequence numbers never go back: events and transcript entries of the replay get new ones.
    initial.seq = Math.max(initial.seq, seq);
    this.restore(initial);
    this.replaying = true;
    try {
      for (const a of keep) this.step(a);
    } finally {
      this.replaying = false;
    }
    this.redoStack.push(last);
    this.record({ type: 'world.undo' });
    return true;
  }

  /**
   * Goes back to when the world had `count` steps: like that many undos, with one replay (a
   * lesson's "Reset step" after a year of simulated mail). Listeners hear one `world.undo`; redo
   * brings the steps back in order. False (nothing changes) when undo cannot reach that far.
   */
  rewind(count: number): boolean {
    const steps = this.data.steps!;
    if (!Number.isInteger(count) || count < this.base || count >= steps.length) return false;
    if (steps.length - count + this.redoStack.length > this.undoDepth) return false;
    const undone = steps.slice(count);
    const keep = steps.slice(this.base, count);
    const initial = JSON.parse(this.initial) as WorldData;
    initial.seq = Math.max(initial.seq, this.data.seq);
    this.restore(initial);
    this.replaying = true;
    try {
      for (const a of keep) this.step(a);
    } finally {
      this.replaying = false;
    }
    for (let i = undone.length - 1; i >= 0; i--) this.redoStack.push(undone[i]);
    this.record({ type: 'world.undo' });
    return true;
  }

  /** Does the step last undone again (listeners see it happen, as the first time). */
  redo(): boolean {
    const next = this.redoStack.pop();
    if (!next) return false;
    this.step(next);
    this.record({ type: 'world.redo' });
    return true;
  }

  /** Back to how this world was created (or loaded). */
  reset(): void {
    this.redoStack = [];
    this.restore(JSON.parse(this.initial) as WorldData);
    this.record({ type: 'world.reset' });
  }

  /** Ends every live session politely (LOGOUT) and stops listening; the world can still be saved. */
  dispose(): void {
    for (const [, l] of this.live) l.runtime.dropAll();
    for (const u of this.unsubscribeServer.splice(0)) u();
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * Why a step cannot run, or null. A page or a share link can dispatch any value, so the numbers
   * get the same bounds as in a scenario file (limits.ts), and an `advance` is refused when it
   * would run more than MAX_EVENTS_PER_ADVANCE scheduled checks and deliveries (F7, F8).
   */
  private refusal(action: WorldAction): string | null {
    if (typeof action !== 'object' || action === null) return 'a step must be an object {do: ...}';
    // A step about a device that is not there would fail half-way: refuse it whole.
    const about = (action as { device?: unknown }).device;
    if (action.do === 'addDevice') {
      const id = (about as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' && this.live.has(id)) return `step refused: device "${id}" already exists`;
    } else if (typeof about === 'string' && about !== '*' && !this.live.has(about))
      return `step refused: no device "${about}"`;
    if (action.do === 'fault') return faultRefusal(action, this.deviceIds);
    if (!['deliver', 'traffic', 'advance', 'settings', 'addDevice'].includes(action.do)) return null;
    try {
      validateScenario({
        id: 'step',
        title: 'step',
        summary: 'step',
        claims: [],
        devices: this.data.devices.map((d) => ({ id: d.id, kind: d.kind })),
        timeline: [action],
      });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      return `step refused: ${err.problems.map((p) => p.replace(/^timeline\[0\]/, 'action')).join('; ')}`;
    }
    if (action.do !== 'advance') return null;
    const ms = Math.max(0, Math.round(advanceMs(action)));
    const target = this.data.clock + ms;
    let work = 0;
    for (const id of this.deviceIds) {
      const d = this.device(id);
      if (d.lost || d.manual || !d.settings.checkEveryMinutes) continue;
      work += ms / (d.settings.checkEveryMinutes * MINUTE) + 1;
    }
    const t = this.data.traffic;
    if (t)
      work += (t.perDay * Math.max(0, Math.min(t.until, target) - Math.min(t.nextAt, this.data.clock))) / DAY;
    if (work > MAX_EVENTS_PER_ADVANCE)
      return (
        `step refused: action: advance would run about ${Math.round(work)} checks and deliveries; ` +
        `at most ${MAX_EVENTS_PER_ADVANCE} (advance in shorter steps or check less often)`
      );
    return null;
  }

  private restore(data: WorldData): void {
    this.quiet = true;
    for (const [, l] of this.live) {
      l.runtime.dropAll();
      l.actor.stop();
    }
    this.live.clear();
    for (const u of this.unsubscribeServer.splice(0)) u();
    this.quiet = false;
    data.steps ??= [];
    this.data = data;
    this.store = MailStore.fromJSON(data.store, { now: () => this.data.clock });
    this.server = this.createServer({ store: this.store, now: () => this.data.clock });
    this.unsubscribeServer.push(
      this.store.subscribe((event) => this.record({ type: 'server.store', event })),
      this.server.subscribe(
        (event) => {
          // Commands and replies are already in the device transcripts and events.
          if (event.type === 'command' || event.type === 'reply') return;
          this.record({ type: 'server.event', event });
        },
        { wire: false },
      ),
    );
    const devices = data.devices;
    data.devices = [];
    for (const d of devices) this.startDevice(d);
  }

  private env(): DeviceEnv {
    return new WorldDeviceEnv(
      (protocol, client) => this.server.connect(protocol, { client }),
      () => this.data.clock,
      (e: DeviceEvent) => this.record(e),
      (id) => {
        if (!this.attention.includes(id)) this.attention.push(id);
      },
      this.transcriptLimit,
      this.keepBytes,
      () => this.data.seq,
      // Asked each time: IMAP's code may arrive after the device was started (setImapClient).
      () => this.imapClient,
    );
  }

  private startDevice(d: DeviceData): void {
    const { actor, runtime } = createDevice(d, this.env());
    this.live.set(d.id, { actor, runtime });
    this.data.devices.push(d);
  }

  /** Copies the live parts (store, device data) into `data`. */
  private sync(): void {
    this.data.store = this.store.toJSON();
    this.data.devices = this.data.devices.map((d) => this.live.get(d.id)!.actor.getSnapshot().context.data);
  }

  private record(body: WorldEventBody): void {
    if (this.quiet) return;
    // The body is always a fresh object made for this call, so it becomes the event itself:
    // copying it ({ ...body }) for every one of a year's million events cost a second.
    const event = body as WorldEvent;
    event.seq = this.data.seq++;
    event.at = this.data.clock;
    const log = this.data.log;
    log.push(event);
    if (log.length > this.logLimit * 2) log.splice(0, log.length - this.logLimit);
    if (this.replaying) return;
    // Never changed in place (subscribe makes a new array), so a listener that unsubscribes
    // during this loop still sees this event, as with a copy per event.
    for (const l of this.listenerList) l(event);
  }

  private send(id: string, command: DeviceCommand): void {
    const live = this.live.get(id);
    if (!live) throw new WorldError(`no device "${id}"`);
    live.actor.send(command);
  }

  /** Devices that got IDLE pushes react now, after the step that caused them (RFC 2177 push). */
  private drainAttention(): void {
    for (let guard = 0; this.attention.length && guard < 10_000; guard++) {
      const id = this.attention.shift()!;
      if (this.live.get(id)?.runtime.idling) this.send(id, { type: 'device.pushed' });
    }
  }

  /** Records server storage now: always after a step (`force`), else at most once per virtual day. */
  private sample(force: boolean): void {
    const samples = this.data.storage;
    const last = samples[samples.length - 1];
    const at = this.data.clock;
    if (!force && last && at - last.at < DAY) return;
    const s = sampleOf(this.store, at, this.data.account.user);
    if (last && last.at === at && samples.length > 1) samples[samples.length - 1] = s;
    else samples.push(s);
  }

  private deliver(m: ScenarioMessage): void {
    const user = this.data.account.user;
    const date = this.data.clock - (m.daysAgo ?? 0) * DAY;
    const raw = buildMessage(m, date, `${user}@lab.example`);
    const mailbox = m.mailbox ?? 'INBOX';
    if (!this.store.getMailbox(user, mailbox))
      this.store.createMailbox(user, mailbox, { origin: 'delivery' });
    this.store.deliver(user, mailbox, raw, { internalDate: date, origin: 'delivery' });
  }

  private apply(a: WorldAction): void {
    const every = (id: string) => (id === '*' ? this.deviceIds.filter((d) => !this.device(d).lost) : [id]);
    switch (a.do) {
      case 'deliver':
        return this.deliver(a.message);
      case 'traffic': {
        const size = a.size ?? { min: 2_000, max: 80_000 };
        const first = nextRandom(a.seed ?? 1);
        this.data.traffic = {
          perDay: a.perDay,
          until: this.data.clock + a.days * DAY,
          nextAt: this.data.clock + (DAY / Math.max(a.perDay, 1e-9)) * first.value,
          rng: first.state,
          size,
        };
        return;
      }
      case 'advance':
        return this.advanceClock((a.days ?? 0) * DAY + (a.hours ?? 0) * HOUR + (a.minutes ?? 0) * MINUTE);
      case 'check':
        for (const id of every(a.device)) {
          this.send(id, { type: 'device.check', full: a.full });
          this.drainAttention();
        }
        return;
      case 'read':
      case 'unread':
      case 'flag':
      case 'unflag':
      case 'delete':
        return this.send(a.device, { type: `device.${a.do}`, message: a.message });
      case 'move':
        return this.send(a.device, { type: 'device.move', message: a.message, to: a.to });
      case 'createFolder':
        return this.send(a.device, { type: 'device.createFolder', name: a.name });
      case 'offline':
      case 'online':
      case 'lose':
      case 'drop':
      case 'connect':
        return this.send(a.device, { type: `device.${a.do}` });
      case 'addDevice': {
        if (this.live.has(a.device.id)) throw new WorldError(`device "${a.device.id}" already exists`);
        const d = scenarioDevice(
          a.device,
          this.data.account,
          this.data.protocol ?? undefined,
          this.data.clock,
        );
        this.startDevice(d);
        this.record({ type: 'world.device.added', device: d.id, protocol: d.protocol });
        return;
      }
      case 'removeDevice': {
        const live = this.live.get(a.device);
        if (!live) throw new WorldError(`no device "${a.device}"`);
        live.runtime.dropAll();
        live.actor.stop();
        this.live.delete(a.device);
        this.data.devices = this.data.devices.filter((d) => d.id !== a.device);
        this.attention = this.attention.filter((id) => id !== a.device);
        this.record({ type: 'world.device.removed', device: a.device });
        return;
      }
      case 'protocol':
        return this.send(a.device, { type: 'device.protocol', protocol: a.protocol });
      case 'settings':
        return this.send(a.device, { type: 'device.settings', settings: a.settings });
      case 'manual':
        return this.send(a.device, { type: 'device.manual', line: a.line });
      case 'note':
        this.record({ type: 'world.note', text: a.text });
        return;
      case 'fault':
        return this.fault(a);
    }
  }

  /** The faults of FAULTS (scenario.ts), each one step; docs/world.md says what each shows. */
  private fault(a: FaultAction): void {
    switch (a.fault) {
      case 'drop-before-quit':
        return this.send(a.device, { type: 'device.check', breakBeforeQuit: true });
      case 'delete-same':
        this.send(a.device, { type: 'device.delete', message: a.message });
        // A device in IDLE hears of the first delete at once, and then has nothing left to delete.
        this.drainAttention();
        return this.send(a.other, { type: 'device.delete', message: a.message });
      case 'expunge-selected': {
        // The other device must have the mailbox selected: an IMAP app keeps INBOX selected
        // between checks, so one that is not connected yet connects (and selects) first.
        const other = this.device(a.other);
        const live = this.live.get(a.other)!;
        if (other.protocol === 'imap' && other.online && !other.lost && !live.runtime.connected) {
          this.send(a.other, { type: 'device.check' });
          this.drainAttention();
        }
        return this.send(a.device, { type: 'device.delete', message: a.message, expunge: true });
      }
      case 'offline-changes':
        this.send(a.device, { type: 'device.offline' });
        this.send(a.device, { type: 'device.flag', message: a.message });
        this.send(a.other, { type: 'device.read', message: a.message });
        this.drainAttention();
        return this.send(a.device, { type: 'device.online' });
      case 'lockout': {
        // Another POP3 app (no device of the story) logs in and keeps the session open.
        const { user, password } = this.data.account;
        const holder = this.server.connect('pop3', { client: 'another POP3 app' });
        holder.onOutput(() => {});
        holder.send(`USER ${user}\r\nPASS ${password}\r\n`);
        this.send(a.device, { type: 'device.check' });
        this.drainAttention();
        // It leaves with QUIT: it marked nothing, so its UPDATE removes nothing.
        holder.send('QUIT\r\n');
        if (!holder.closed) holder.close();
        return;
      }
    }
  }

  /**
   * Moves the clock forward, running in time order whatever falls due: random
   * deliveries and each device's scheduled check.
   */
  private advanceClock(ms: number): void {
    const from = this.data.clock;
    const target = from + Math.max(0, Math.round(ms));
    // `refusal` keeps the work under the bound; this guard only makes an endless loop impossible.
    for (let events = 0; ; events++) {
      if (events > MAX_EVENTS_PER_ADVANCE + this.deviceIds.length + 1) {
        this.record({ type: 'world.note', text: `advance stopped after ${events} checks and deliveries` });
        this.record({ type: 'world.clock', from, to: this.data.clock });
        return;
      }
      let when = Infinity;
      let who: string | null = null;
      const t = this.data.traffic;
      if (t && t.nextAt <= t.until && t.nextAt <= target) when = t.nextAt;
      for (const id of this.deviceIds) {
        const d = this.device(id);
        if (d.lost || d.manual || !d.settings.checkEveryMinutes) continue;
        const next = d.nextCheckAt ?? (d.lastCheckAt ?? from) + d.settings.checkEveryMinutes * MINUTE;
        if (next <= target && next < when) {
          when = next;
          who = id;
        }
      }
      if (when === Infinity) break;
      if (when - this.data.clock >= DAY) this.sample(false);
      this.data.clock = Math.max(this.data.clock, when);
      this.sample(false);
      if (who === null) {
        const tr = this.data.traffic!;
        const { spec, rng } = randomMessageSpec(++this.data.generated, tr.rng, tr.size);
        const gap = nextRandom(rng);
        tr.rng = gap.state;
        // Gaps uniform in [0.5, 1.5) x the mean spacing: steady, but not clockwork.
        tr.nextAt = when + (DAY / Math.max(tr.perDay, 1e-9)) * (0.5 + gap.value);
        if (tr.nextAt > tr.until) this.data.traffic = null;
        this.deliver(spec);
      } else {
        const d = this.device(who);
        if (d.online) this.send(who, { type: 'device.check' });
        else {
          // Offline devices skip the check; they try again one interval later.
          const live = this.live.get(who)!;
          live.actor.getSnapshot().context.data.nextCheckAt = when + d.settings.checkEveryMinutes! * MINUTE;
        }
      }
      this.drainAttention();
    }
    this.data.clock = target;
    this.record({ type: 'world.clock', from, to: target });
  }
}

/** Why a fault step cannot run (unknown fault or device), or null. */
function faultRefusal(action: FaultAction, devices: readonly string[]): string | null {
  const f = (action as { fault?: unknown }).fault;
  if (typeof f !== 'string' || !Object.hasOwn(FAULTS, f))
    return `step refused: action.fault: unknown fault ${JSON.stringify(f)}; use one of ${Object.keys(FAULTS).join(', ')}`;
  const needs = FAULTS[f as FaultAction['fault']].needs;
  const a = action as { device?: unknown; other?: unknown; message?: unknown };
  if (typeof a.device !== 'string' || !devices.includes(a.device))
    return `step refused: action.device: no device ${JSON.stringify(a.device)}`;
  if (
    needs.includes('other') &&
    (typeof a.other !== 'string' || !devices.includes(a.other) || a.other === a.device)
  )
    return `step refused: action.other: must be another device of the world (got ${JSON.stringify(a.other)})`;
  if (needs.includes('message') && (typeof a.message !== 'string' || a.message === ''))
    return 'step refused: action.message: must be a message id';
  return null;
}

function liveSession(c: Connection | null): LiveSession | null {
  if (!c || c.closed) return null;
  return { connection: c.id, protocol: c.protocol, state: c.state, view: c.session?.inspect?.() ?? null };
}

function scenarioDevice(
  d: ScenarioDevice,
  account: { user: string; password: string },
  protocol: Protocol | undefined,
  now: number,
): DeviceData {
  const data = newDeviceData({
    id: d.id,
    name: d.name,
    kind: d.kind,
    user: account.user,
    password: account.password,
    protocol: protocol ?? d.protocol ?? 'pop3',
    settings: d.settings,
    manual: d.manual,
    online: d.online,
  });
  if (data.settings.checkEveryMinutes) data.nextCheckAt = now + data.settings.checkEveryMinutes * MINUTE;
  return data;
}

/**
 * Checks a saved world before use: corrupt or old data is reported, never a crash later
 * (ARCHITECTURE.md). Every list's elements are checked, since the device actors and the scheduler
 * trust this data; each problem names the path of the bad value, e.g. `devices[0].messages[3].flags`.
 */
export function validateWorldData(value: unknown): WorldData {
  const fail = (why: string): never => {
    throw new WorldError(`invalid saved world: ${why}`);
  };
  // First, without recursion: a 100,000-deep value would overflow the stack of anything below.
  const shape = shapeProblem(value);
  if (shape) fail(shape);
  type Obj = Record<string, unknown>;
  const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  const obj = (v: unknown, path: string): Obj => (isObj(v) ? v : fail(`${path} must be an object`));
  const list = (v: unknown, path: string): unknown[] =>
    Array.isArray(v) ? v : fail(`${path} must be a list`);
  const str = (v: unknown, path: string): string =>
    typeof v === 'string' ? v : fail(`${path} must be a string`);
  const bool = (v: unknown, path: string): boolean =>
    typeof v === 'boolean' ? v : fail(`${path} must be true or false`);
  const num = (v: unknown, path: string, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? v
      : fail(`${path} must be a number from ${min} to ${max}`);
  const time = (v: unknown, path: string) => num(v, path, -8.64e15, 8.64e15); // a valid Date
  const timeOrNull = (v: unknown, path: string) => (v === null ? null : time(v, path));
  const strings = (v: unknown, path: string) => list(v, path).forEach((x, i) => str(x, `${path}[${i}]`));

  const w = obj(value, 'saved world');
  if (w.version !== 1) fail(`unsupported version ${JSON.stringify(w.version)}`);
  if (w.scenario !== null) str(w.scenario, 'scenario');
  for (const k of ['start', 'clock']) time(w[k], k);
  for (const k of ['generated', 'seq']) num(w[k], k, 0);
  const acc = w.account as Obj | undefined;
  if (!isObj(acc) || typeof acc.user !== 'string' || typeof acc.password !== 'string')
    fail('account must be {user, password}');
  try {
    MailStore.fromJSON(w.store);
  } catch (err) {
    fail(`store: ${(err as Error).message}`);
  }
  const ids = new Set<string>();
  list(w.devices, 'devices').forEach((d, i) => {
    const p = `devices[${i}]`;
    const dev = obj(d, p);
    const id = str(dev.id, `${p}.id`);
    if (ids.has(id)) fail(`${p}.id: "${id}" is used twice`);
    ids.add(id);
    if (dev.protocol !== 'pop3' && dev.protocol !== 'imap')
      fail(`${p}.protocol: bad protocol ${JSON.stringify(dev.protocol)} (must be "pop3" or "imap")`);
    for (const k of ['name', 'user', 'password']) str(dev[k], `${p}.${k}`);
    if (!DEVICE_KINDS.includes(dev.kind as DeviceKind))
      fail(`${p}.kind must be one of ${DEVICE_KINDS.join(', ')}`);
    for (const k of ['online', 'lost', 'manual']) bool(dev[k], `${p}.${k}`);
    num(dev.nextKey, `${p}.nextKey`, 0);
    timeOrNull(dev.lastCheckAt, `${p}.lastCheckAt`);
    timeOrNull(dev.nextCheckAt, `${p}.nextCheckAt`);

    const set = obj(dev.settings, `${p}.settings`);
    // At least a minute between automatic checks: 1e-300 minutes would make `advance` loop forever (F8).
    if (set.checkEveryMinutes !== null)
      num(set.checkEveryMinutes, `${p}.settings.checkEveryMinutes`, 1, MAX_CHECK_MINUTES);
    const pop3 = obj(set.pop3, `${p}.settings.pop3`);
    bool(pop3.leaveOnServer, `${p}.settings.pop3.leaveOnServer`);
    bool(pop3.removeWhenDeletedHere, `${p}.settings.pop3.removeWhenDeletedHere`);
    if (pop3.removeAfterDays !== null)
      num(pop3.removeAfterDays, `${p}.settings.pop3.removeAfterDays`, 0, MAX_DAYS);
    const imap = obj(set.imap, `${p}.settings.imap`);
    if (imap.mode !== 'poll' && imap.mode !== 'idle')
      fail(`${p}.settings.imap.mode must be "poll" or "idle"`);
    if (imap.deleteAction !== 'trash' && imap.deleteAction !== 'expunge')
      fail(`${p}.settings.imap.deleteAction must be "trash" or "expunge"`);

    list(dev.folders, `${p}.folders`).forEach((f, j) => {
      const fp = `${p}.folders[${j}]`;
      const folder = obj(f, fp);
      str(folder.name, `${fp}.name`);
      for (const k of ['uidValidity', 'uidNext'])
        if (folder[k] !== undefined) num(folder[k], `${fp}.${k}`, 0, 0xffffffff);
      if (folder.localOnly !== undefined) bool(folder.localOnly, `${fp}.localOnly`);
    });
    list(dev.messages, `${p}.messages`).forEach((m, j) => {
      const mp = `${p}.messages[${j}]`;
      const msg = obj(m, mp);
      for (const k of ['key', 'folder', 'messageId', 'subject', 'from']) str(msg[k], `${mp}.${k}`);
      num(msg.size, `${mp}.size`, 0);
      strings(msg.flags, `${mp}.flags`);
      time(msg.fetchedAt, `${mp}.fetchedAt`);
      if (msg.uid !== undefined) num(msg.uid, `${mp}.uid`, 1, 0xffffffff);
      if (msg.uidl !== undefined) str(msg.uidl, `${mp}.uidl`);
      if (msg.raw !== undefined) str(msg.raw, `${mp}.raw`);
    });
    const seen = obj(dev.uidlSeen, `${p}.uidlSeen`);
    for (const k of Object.keys(seen)) time(seen[k], `${p}.uidlSeen[${JSON.stringify(k)}]`);
    strings(dev.pendingServerDeletes, `${p}.pendingServerDeletes`);
    list(dev.queue, `${p}.queue`).forEach((q, j) => {
      const qp = `${p}.queue[${j}]`;
      const a = obj(q, qp);
      if (a.type === 'create') return void str(a.name, `${qp}.name`);
      if (a.type !== 'flags' && a.type !== 'delete' && a.type !== 'move')
        fail(`${qp}.type must be "flags", "delete", "move" or "create"`);
      str(a.folder, `${qp}.folder`);
      num(a.uid, `${qp}.uid`, 1, 0xffffffff);
      if (a.type === 'flags') {
        strings(a.add, `${qp}.add`);
        strings(a.remove, `${qp}.remove`);
      }
      if (a.type === 'move') str(a.to, `${qp}.to`);
    });
    list(dev.transcript, `${p}.transcript`).forEach((t, j) => {
      const tp = `${p}.transcript[${j}]`;
      const line = obj(t, tp);
      if (line.dir !== 'C' && line.dir !== 'S' && line.dir !== '*') fail(`${tp}.dir must be "C", "S" or "*"`);
      str(line.text, `${tp}.text`);
      time(line.at, `${tp}.at`);
      if (line.seq !== undefined) num(line.seq, `${tp}.seq`, 0);
    });
  });
  list(w.log, 'log').forEach((e, i) => {
    const ev = obj(e, `log[${i}]`);
    str(ev.type, `log[${i}].type`);
  });
  list(w.storage, 'storage').forEach((x, i) => {
    const sample = obj(x, `storage[${i}]`);
    time(sample.at, `storage[${i}].at`);
    num(sample.bytes, `storage[${i}].bytes`, 0);
    num(sample.messages, `storage[${i}].messages`, 0);
  });
  if (w.steps !== undefined)
    list(w.steps, 'steps').forEach((x, i) => {
      const step = obj(x, `steps[${i}]`);
      str(step.do, `steps[${i}].do`);
    });
  if (w.protocol !== null && w.protocol !== 'pop3' && w.protocol !== 'imap')
    fail('protocol must be "pop3", "imap" or null');
  if (w.traffic !== null) {
    const t = obj(w.traffic, 'traffic');
    num(t.perDay, 'traffic.perDay', 0, MAX_PER_DAY);
    time(t.until, 'traffic.until');
    time(t.nextAt, 'traffic.nextAt');
    num(t.rng, 'traffic.rng', 0, 0xffffffff);
    const size = obj(t.size, 'traffic.size');
    num(size.min, 'traffic.size.min', 1, MAX_MESSAGE_SIZE);
    num(size.max, 'traffic.size.max', 1, MAX_MESSAGE_SIZE);
  }
  return value as WorldData;
}
