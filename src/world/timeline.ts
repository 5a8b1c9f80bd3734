/**
 * The Compare view's data: a scenario run under POP3 and under IMAP in lockstep, with a
 * compact, serializable picture of both worlds after every step ("frames"), the table of
 * `npm run compare` at each of them, and what-if forks of a scenario. DOM-free: it runs in Node
 * (tests, bench) and in the page's Web Worker (src/ui/compare.worker.ts).
 *
 *   const t = compareTimeline(getScenario('three-devices-pop3')!, { onProgress: (p) => … });
 *   t.frames[0]            // the start, before any step
 *   t.frames[k]            // after timeline steps 0..k-1 (k = 1..n): { label, pop3, imap }
 *   tableRows(t.frames[k].pop3.table, t.frames[k].imap.table)   // the CLI's rows at step k
 *   compareTimeline(fork(scenario, 1, { kind: 'settings', device: 'laptop', settings: … }))
 */
import { summarizeHeader } from '../client/summary';
import type { DeviceData, DeviceSettings } from '../client/types';
import type { StoredMessage } from '../mail/types';
import type { Protocol } from '../server/types';
import { OutcomeTracker, type TimelineEntry } from './compare';
import type { WorldEvent } from './events';
import { advanceMs } from './limits';
import { Narrator } from './narrate';
import { validateScenario, type Scenario, type WorldAction } from './scenario';
import { describeStep } from './steps';
import type { OutcomeTable } from './table';
import { DAY, World, type StorageSample, type WorldCore, type WorldOptions } from './world';

export { describeStep, fork, type ForkChange } from './steps';

// ---- snapshots ---------------------------------------------------------------------------

/** One message on the server, keyed by mailbox and UID. */
export interface ServerMessage {
  mailbox: string;
  uid: number;
  /** Message-ID (without brackets), to match the copies on devices. */
  messageId: string;
  subject: string;
  from: string;
  size: number;
  flags: string[];
}

export interface ServerFolder {
  name: string;
  /** Every message in the folder (the message list holds at most `cap` of them). */
  messages: number;
  bytes: number;
  unseen: number;
}

export interface ServerSnapshot {
  /** The account's user name. */
  user: string;
  folders: ServerFolder[];
  /** The newest `cap` messages (highest UIDs) of each folder, in UID order. */
  messages: ServerMessage[];
  totalMessages: number;
  totalBytes: number;
}

/** One copy on a device. */
export interface DeviceMessage {
  /** Message-ID (without brackets): the same message on other devices and the server has the same. */
  messageId: string;
  subject: string;
  from: string;
  /** Octets as downloaded. */
  size: number;
  folder: string;
  flags: string[];
  /** Only on the device: a POP3 app's local folders, or an IMAP copy filed offline (no UID yet). */
  localOnly?: true;
}

export interface DeviceFolder {
  name: string;
  messages: number;
  unread: number;
  localOnly?: true;
}

export interface DeviceSnapshot {
  id: string;
  name: string;
  kind: string;
  protocol: Protocol;
  online: boolean;
  lost: boolean;
  folders: DeviceFolder[];
  /** The newest `cap` copies of each folder (in the device's order). */
  messages: DeviceMessage[];
  totalMessages: number;
  /** IMAP changes made offline, waiting to be sent. */
  queued: number;
  /** Virtual time of its last check, or null. */
  lastCheckAt: number | null;
  settings: DeviceSettings;
}

export interface WorldSnapshot {
  at: number;
  server: ServerSnapshot;
  devices: DeviceSnapshot[];
  /** Server storage now (the storage chart's point at this step). */
  storage: StorageSample;
}

export interface SnapshotOptions {
  /** Messages listed per folder (server and devices); the folder counts hold the totals. Default 200. */
  cap?: number;
}

const DEFAULT_CAP = 200;

/** Subject and sender of stored messages, read once per message (a stored message never changes its bytes). */
const headers = new WeakMap<StoredMessage, { subject: string; from: string; messageId: string }>();
function headerOf(m: StoredMessage): { subject: string; from: string; messageId: string } {
  let h = headers.get(m);
  if (!h) {
    const s = summarizeHeader(m.raw);
    headers.set(m, (h = { subject: s.subject, from: s.from, messageId: s.messageId }));
  }
  return h;
}

/** The world as the Compare view draws it: server folders and messages, each device and its copies. */
export function snapshotWorld(world: WorldCore, options: SnapshotOptions = {}): WorldSnapshot {
  const cap = options.cap ?? DEFAULT_CAP;
  const folders: ServerFolder[] = [];
  const messages: ServerMessage[] = [];
  let totalMessages = 0;
  let totalBytes = 0;
  for (const mb of world.mailStore.listMailboxes(world.account.user)) {
    let bytes = 0;
    let unseen = 0;
    for (const m of mb.messages) {
      bytes += m.raw.length;
      if (!m.flags.includes('\\Seen')) unseen++;
    }
    folders.push({ name: mb.name, messages: mb.messages.length, bytes, unseen });
    totalMessages += mb.messages.length;
    totalBytes += bytes;
    for (const m of mb.messages.slice(Math.max(0, mb.messages.length - cap))) {
      const h = headerOf(m);
      messages.push({
        mailbox: mb.name,
        uid: m.uid,
        messageId: h.messageId,
        subject: h.subject,
        from: h.from,
        size: m.raw.length,
        flags: [...m.flags],
      });
    }
  }
  const storage = world.storage[world.storage.length - 1] ?? {
    at: world.now,
    bytes: totalBytes,
    messages: totalMessages,
  };
  return {
    at: world.now,
    server: { user: world.account.user, folders, messages, totalMessages, totalBytes },
    devices: world.devices().map((d) => snapshotDevice(d, cap)),
    storage: { ...storage },
  };
}

function snapshotDevice(d: DeviceData, cap: number): DeviceSnapshot {
  const localFolders = new Set(d.folders.filter((f) => f.localOnly).map((f) => f.name));
  const counts = new Map<string, { messages: number; unread: number }>();
  for (const f of d.folders) counts.set(f.name, { messages: 0, unread: 0 });
  for (const m of d.messages) {
    let c = counts.get(m.folder);
    if (!c) counts.set(m.folder, (c = { messages: 0, unread: 0 }));
    c.messages++;
    if (!m.flags.includes('\\Seen')) c.unread++;
  }
  const folders: DeviceFolder[] = [...counts].map(([name, c]) =>
    localFolders.has(name) ? { name, ...c, localOnly: true } : { name, ...c },
  );
  // The newest `cap` of each folder: walk from the end, keep the device's order.
  const taken = new Map<string, number>();
  const picked: DeviceMessage[] = [];
  for (let i = d.messages.length - 1; i >= 0; i--) {
    const m = d.messages[i];
    const n = taken.get(m.folder) ?? 0;
    if (n >= cap) continue;
    taken.set(m.folder, n + 1);
    const local = localFolders.has(m.folder) || (d.protocol === 'imap' && m.uid === undefined);
    const item: DeviceMessage = {
      messageId: m.messageId,
      subject: m.subject,
      from: m.from,
      size: m.size,
      folder: m.folder,
      flags: [...m.flags],
    };
    if (local) item.localOnly = true;
    picked.push(item);
  }
  picked.reverse();
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    protocol: d.protocol,
    online: d.online,
    lost: d.lost,
    folders,
    messages: picked,
    totalMessages: d.messages.length,
    queued: d.queue.length,
    lastCheckAt: d.lastCheckAt,
    settings: structuredClone(d.settings),
  };
}

// ---- the timeline ---------------------------------------------------------------------------

/** What one world did in one step, as the activity log says it. */
export interface FrameWorld extends WorldSnapshot {
  /** The narrator's sentences for this step (at most 12), and how many more there were. */
  activity: { lines: string[]; more: number };
  /** The numbers of `npm run compare`, measured after this step (the same code). */
  table: OutcomeTable;
}

export interface Frame {
  /** 0 = the start; k = after the first k steps. */
  index: number;
  /** The step that led here (timeline[index - 1]), null for the start. */
  action: WorldAction | null;
  label: string;
  at: number;
  pop3: FrameWorld;
  imap: FrameWorld;
}

export interface CompareTimeline {
  version: 1;
  scenario: {
    id: string;
    title: string;
    summary: string;
    claims: string[];
    devices: { id: string; name: string; kind: string }[];
    storage: Scenario['storage'] | null;
  };
  /** frames[0] is the start, frames[k] the worlds after k steps: timeline.length + 1 frames. */
  frames: Frame[];
  /** Every storage sample of each run, for the storage chart. */
  storage: { pop3: StorageSample[]; imap: StorageSample[] };
  /** How long the run took (ms of the clock it was given) and how many world events each world recorded. */
  stats: { ms: number; events: { pop3: number; imap: number } };
}

export interface CompareProgress {
  /** 0 to 1 over both runs, weighted by the virtual time each step covers. */
  fraction: number;
  /** The step running now (0-based), and how many there are. */
  step: number;
  steps: number;
  protocol: Protocol;
}

export interface TimelineOptions extends SnapshotOptions {
  onProgress?: (p: CompareProgress) => void;
  /** Least time (ms of `now`) between progress calls; default 50. */
  progressEveryMs?: number;
  /** The clock progress and stats use (default performance.now). */
  now?: () => number;
  /** Passed to both worlds (transcript and log bounds; undo is always off). */
  world?: Omit<WorldOptions, 'undoDepth'>;
}

const ACTIVITY_LINES = 12;

/**
 * The worlds behind the frames keep short transcripts and logs: frames hold no transcript, and
 * the narrator hears every event as it happens. (A year of 25 kB messages kept in 500-line
 * transcripts was a third of the storage-year comparison's time, in garbage collection.)
 */
const FRAME_WORLD = { logLimit: 100, transcriptLimit: 40 } as const;

interface Run {
  protocol: Protocol;
  world: World;
  tracker: OutcomeTracker;
  narrator: Narrator;
  entries: TimelineEntry[];
  events: number;
}

function startRun(
  scenario: Scenario,
  protocol: Protocol,
  options: TimelineOptions,
  onEvent: (e: WorldEvent) => void,
): Run {
  const world = World.fromScenario(scenario, {
    ...FRAME_WORLD,
    ...options.world,
    undoDepth: 0,
    protocol,
  });
  const narrator = new Narrator(world, { limit: 4000 });
  const run: Run = { protocol, world, tracker: null!, narrator, entries: [], events: 0 };
  run.tracker = new OutcomeTracker(world, {
    onEvent: (e) => {
      run.events++;
      narrator.push(e);
      onEvent(e);
    },
  });
  return run;
}

function frameWorld(run: Run, scenario: Scenario, cap: number, fromSeq: number): FrameWorld {
  const outcome = run.tracker.measure(run.protocol, scenario.storage, run.entries);
  const { storage: _storage, timeline: _timeline, ...table } = outcome;
  const lines = run.narrator.entries.filter((e) => e.seq >= fromSeq).map((e) => e.text);
  return {
    ...snapshotWorld(run.world, { cap }),
    activity: { lines: lines.slice(0, ACTIVITY_LINES), more: Math.max(0, lines.length - ACTIVITY_LINES) },
    table,
  };
}

/** How much of the run a step is, for the progress bar: 1, plus a unit per virtual day it advances. */
function weightOf(a: WorldAction): number {
  return 1 + (a.do === 'advance' ? advanceMs(a) / DAY : 0);
}

/** One protocol's half of a comparison (what one worker computes when the page runs both at once). */
export interface WorldTimeline {
  version: 1;
  protocol: Protocol;
  scenario: CompareTimeline['scenario'];
  /** Per frame (timeline.length + 1 of each): the step that led there, its label, the virtual time. */
  actions: (WorldAction | null)[];
  labels: string[];
  at: number[];
  frames: FrameWorld[];
  storage: StorageSample[];
  stats: { ms: number; events: number };
}

interface Lockstep {
  scenario: CompareTimeline['scenario'];
  actions: (WorldAction | null)[];
  labels: string[];
  at: number[];
  worlds: { protocol: Protocol; frames: FrameWorld[]; storage: StorageSample[]; events: number }[];
  ms: number;
}

/** Runs the scenario's worlds (one per protocol) step by step together. */
function lockstep(scenario: Scenario, protocols: readonly Protocol[], options: TimelineOptions): Lockstep {
  const cap = options.cap ?? DEFAULT_CAP;
  const clock = options.now ?? (() => performance.now());
  const t0 = clock();
  const steps = scenario.timeline.length;
  const weights = scenario.timeline.map(weightOf);
  const total = protocols.length * weights.reduce((a, b) => a + b, 0) || 1;
  let done = 0;
  let lastReport = -Infinity;
  let current: { step: number; protocol: Protocol; from: number; to: number; weight: number } | null = null;
  const report = (fraction: number, force = false) => {
    if (!options.onProgress || !current) return;
    const now = clock();
    if (!force && now - lastReport < (options.progressEveryMs ?? 50)) return;
    lastReport = now;
    options.onProgress({
      fraction: Math.min(1, fraction),
      step: current.step,
      steps,
      protocol: current.protocol,
    });
  };
  const onEvent = (e: WorldEvent) => {
    // Inside a long advance, the virtual clock says how far the step has come.
    if (!current || !options.onProgress || current.to <= current.from) return;
    const within = Math.max(0, Math.min(1, (e.at - current.from) / (current.to - current.from)));
    report((done + within * current.weight) / total);
  };
  const runs = protocols.map((p) => startRun(scenario, p, options, onEvent));
  const names = new Map(runs[0].world.devices().map((d) => [d.id, d.name]));
  const subjects = new Map((scenario.messages ?? []).map((m) => [m.id, m.subject]));
  for (const a of scenario.timeline) if (a.do === 'deliver') subjects.set(a.message.id, a.message.subject);
  const out: Lockstep = {
    scenario: {
      id: scenario.id,
      title: scenario.title,
      summary: scenario.summary,
      claims: scenario.claims,
      devices: runs[0].world.devices().map((d) => ({ id: d.id, name: d.name, kind: d.kind })),
      storage: scenario.storage ?? null,
    },
    actions: [],
    labels: [],
    at: [],
    worlds: runs.map((r) => ({ protocol: r.protocol, frames: [], storage: [], events: 0 })),
    ms: 0,
  };
  const frame = (action: WorldAction | null, fromSeq: number[]) => {
    out.actions.push(action);
    out.labels.push(action ? describeStep(action, names, subjects) : 'The start: nothing has happened yet.');
    out.at.push(runs[0].world.now);
    runs.forEach((run, i) => out.worlds[i].frames.push(frameWorld(run, scenario, cap, fromSeq[i])));
  };
  frame(
    null,
    runs.map(() => 0),
  );
  scenario.timeline.forEach((action, step) => {
    if (action.do === 'addDevice') names.set(action.device.id, action.device.name ?? action.device.id);
    const from = runs.map((r) => r.world.nextSeq);
    for (const run of runs) {
      const start = run.world.now;
      const ms = action.do === 'advance' ? Math.max(0, Math.round(advanceMs(action))) : 0;
      current = { step, protocol: run.protocol, from: start, to: start + ms, weight: weights[step] };
      report(done / total, step === 0 && run === runs[0]);
      run.world.dispatch(action);
      run.entries.push(run.tracker.entry(step, action));
      done += weights[step];
    }
    frame(action, from);
  });
  if (current) report(1, true);
  runs.forEach((run, i) => {
    run.tracker.dispose();
    run.world.dispose();
    out.worlds[i].storage = [...run.world.storage];
    out.worlds[i].events = run.events;
  });
  out.ms = clock() - t0;
  return out;
}

/** Runs the scenario under POP3 and IMAP in lockstep and returns every frame. Throws ScenarioError on a bad scenario. */
export function compareTimeline(input: Scenario | unknown, options: TimelineOptions = {}): CompareTimeline {
  const l = lockstep(validateScenario(input), ['pop3', 'imap'], options);
  const [pop3, imap] = l.worlds;
  return {
    version: 1,
    scenario: l.scenario,
    frames: l.actions.map((action, index) => ({
      index,
      action,
      label: l.labels[index],
      at: l.at[index],
      pop3: pop3.frames[index],
      imap: imap.frames[index],
    })),
    storage: { pop3: pop3.storage, imap: imap.storage },
    stats: { ms: l.ms, events: { pop3: pop3.events, imap: imap.events } },
  };
}

/** One protocol's frames (a page with two workers runs both at once, then `mergeTimelines`). */
export function worldTimeline(
  input: Scenario | unknown,
  protocol: Protocol,
  options: TimelineOptions = {},
): WorldTimeline {
  const l = lockstep(validateScenario(input), [protocol], options);
  const w = l.worlds[0];
  return {
    version: 1,
    protocol,
    scenario: l.scenario,
    actions: l.actions,
    labels: l.labels,
    at: l.at,
    frames: w.frames,
    storage: w.storage,
    stats: { ms: l.ms, events: w.events },
  };
}

/** The comparison of two halves run apart: the same value compareTimeline gives (but `stats.ms`, the longer half's). */
export function mergeTimelines(pop3: WorldTimeline, imap: WorldTimeline): CompareTimeline {
  if (pop3.protocol !== 'pop3' || imap.protocol !== 'imap' || pop3.frames.length !== imap.frames.length)
    throw new Error('mergeTimelines: needs the POP3 and the IMAP half of the same scenario');
  return {
    version: 1,
    scenario: pop3.scenario,
    frames: pop3.actions.map((action, index) => ({
      index,
      action,
      label: pop3.labels[index],
      at: pop3.at[index],
      pop3: pop3.frames[index],
      imap: imap.frames[index],
    })),
    storage: { pop3: pop3.storage, imap: imap.storage },
    stats: {
      ms: Math.max(pop3.stats.ms, imap.stats.ms),
      events: { pop3: pop3.stats.events, imap: imap.stats.events },
    },
  };
}

/**
 * One world after the first `steps` steps, replayed on its own: what the Compare view shows at
 * that frame (tests hold the timeline to it).
 */
export function replayTo(
  input: Scenario | unknown,
  protocol: Protocol,
  steps: number,
  options: SnapshotOptions & { world?: Omit<WorldOptions, 'undoDepth'> } = {},
): WorldSnapshot & { table: OutcomeTable } {
  const scenario = validateScenario(input);
  const world = World.fromScenario(scenario, {
    ...FRAME_WORLD,
    ...options.world,
    undoDepth: 0,
    protocol,
  });
  const tracker = new OutcomeTracker(world);
  const entries: TimelineEntry[] = [];
  scenario.timeline.slice(0, steps).forEach((action, step) => {
    world.dispatch(action);
    entries.push(tracker.entry(step, action));
  });
  tracker.dispose();
  const { storage: _s, timeline: _t, ...table } = tracker.measure(protocol, scenario.storage, entries);
  const snapshot = { ...snapshotWorld(world, options), table };
  world.dispose();
  return snapshot;
}
