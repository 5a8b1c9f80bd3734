/**
 * The comparison engine: run one story with every device on POP3, and again
 * on IMAP, and measure where the mail ended up.
 */
import { summarizeHeader } from '../client/summary';
import type { DeviceData } from '../client/types';
import type { StoredMessage } from '../mail/types';
import type { Protocol } from '../server/types';
import type { WorldEvent } from './events';
import type { Scenario, WorldAction } from './scenario';
import { DAY, World, type StorageSample, type WorldCore, type WorldOptions } from './world';

const TRASH = 'Trash';
const GB = 1024 ** 3;
const MONTH = 30 * DAY;

export interface DeviceOutcome {
  id: string;
  name: string;
  kind: string;
  protocol: Protocol;
  lost: boolean;
  /** Messages held outside Trash. */
  messages: number;
  inbox: number;
  trash: number;
  unread: number;
  flagged: number;
  folders: string[];
  /** Messages (of all that reached the server) this device never downloaded. */
  neverReceived: number;
  /** Extra copies of the same message outside Trash. */
  duplicates: number;
}

export interface StorageCost {
  quotaBytes: number;
  pricePerGBMonth: number;
  /** Months (of 30 days) spent above the quota. */
  monthsOverQuota: number;
  /** Price of the storage above the quota, over the whole run. */
  extraCost: number;
  /** First virtual time the quota was exceeded, or null. */
  overQuotaAt: number | null;
}

export interface TimelineEntry {
  step: number;
  action: WorldAction;
  at: number;
  serverMessages: number;
  serverBytes: number;
  /** Messages outside Trash on each device after the step. */
  devices: Record<string, number>;
}

export interface Outcome {
  protocol: Protocol;
  server: { messages: number; inbox: number; bytes: number; byMailbox: Record<string, number> };
  devices: DeviceOutcome[];
  /** Distinct messages that reached the server during the story (initial ones included). */
  delivered: number;
  /** Distinct messages that at least one device (not lost) never received. */
  neverReceived: number;
  /** Extra copies of a message on one device (outside Trash), summed over devices. */
  duplicates: number;
  /** Messages held by two or more devices whose read/flagged state differs between them. */
  disagreeingMessages: number;
  /** Devices holding at least one message whose read/flagged state differs from another device's. */
  disagreeingDevices: string[];
  /** Messages that were only on a device when it was lost and are nowhere at the end. */
  lostAfterDeviceLoss: number;
  /** POP3 logins refused because another session held the maildrop lock ([IN-USE]). */
  lockRefusals: number;
  storage: StorageSample[];
  peakBytes: number;
  cost: StorageCost | null;
  timeline: TimelineEntry[];
}

export interface Comparison {
  scenario: { id: string; title: string; summary: string; claims: string[] };
  pop3: Outcome;
  imap: Outcome;
}

export interface RunOptions extends WorldOptions {
  /** Keep every world event of the run in `events` (large for long stories). */
  keepEvents?: boolean;
  /** Sees every event of the run as it happens. */
  onEvent?: (event: WorldEvent) => void;
}

export interface RunResult {
  world: World;
  outcome: Outcome;
  events: WorldEvent[];
}

/**
 * What a story's numbers need beyond the world's state at the end: which device received which
 * message, every message that reached the server, what only a lost device held, and the
 * [IN-USE] refusals. It listens to a world from its start; `measure` can be asked at any step
 * (the Compare view's table follows the timeline with the very code `npm run compare` uses).
 */
export class OutcomeTracker {
  readonly events: WorldEvent[] = [];
  private readonly received = new Map<string, Set<string>>();
  private readonly delivered = new Set<string>();
  private readonly lostCandidates = new Set<string>();
  private lockRefusals = 0;
  private readonly off: () => void;

  constructor(
    private readonly world: WorldCore,
    options: { keepEvents?: boolean; onEvent?: (event: WorldEvent) => void } = {},
  ) {
    const user = world.account.user;
    for (const mb of world.mailStore.listMailboxes(user))
      for (const m of mb.messages) this.delivered.add(messageIdOf(m));
    this.off = world.subscribe((e) => {
      if (options.keepEvents) this.events.push(e);
      options.onEvent?.(e);
      if (e.type === 'device.downloaded') {
        let set = this.received.get(e.device);
        if (!set) this.received.set(e.device, (set = new Set()));
        set.add(e.messageId);
      } else if (e.type === 'server.store' && e.event.type === 'message.delivered') {
        const m = world.mailStore.getMessage(e.event.user, e.event.mailbox, e.event.uid);
        if (m) this.delivered.add(messageIdOf(m));
      } else if (e.type === 'server.event' && e.event.type === 'lock.refused') {
        this.lockRefusals++;
      } else if (e.type === 'world.step' && e.action.do === 'lose') {
        // Before the loss: what did only this device hold?
        const gone = world.device(e.action.device);
        const elsewhere = heldAnywhere(world, gone.id);
        for (const m of gone.messages) if (!elsewhere.has(m.messageId)) this.lostCandidates.add(m.messageId);
      }
    });
  }

  /** The timeline entry of the step just dispatched (step `step`, action `action`). */
  entry(step: number, action: WorldAction): TimelineEntry {
    const world = this.world;
    const counts: Record<string, number> = {};
    for (const d of world.devices()) counts[d.id] = countOutside(d, TRASH);
    return {
      step,
      action,
      at: world.now,
      serverMessages: serverCount(world),
      serverBytes: world.mailStore.storageBytes(world.account.user),
      devices: counts,
    };
  }

  /** The story's numbers now (after the steps dispatched so far). */
  measure(protocol: Protocol, pricing: Scenario['storage'], timeline: TimelineEntry[]): Outcome {
    const world = this.world;
    const user = world.account.user;
    const received = this.received;
    const delivered = this.delivered;
    const devices = world.devices();
    const present = devices.filter((d) => !d.lost);
    const outcomes: DeviceOutcome[] = devices.map((d) => {
      const live = d.messages.filter((m) => m.folder !== TRASH);
      const got = received.get(d.id) ?? new Set();
      return {
        id: d.id,
        name: d.name,
        kind: d.kind,
        protocol: d.protocol,
        lost: d.lost,
        messages: live.length,
        inbox: d.messages.filter((m) => m.folder === 'INBOX').length,
        trash: d.messages.length - live.length,
        unread: live.filter((m) => !m.flags.includes('\\Seen')).length,
        flagged: live.filter((m) => m.flags.includes('\\Flagged')).length,
        folders: d.folders.map((f) => f.name),
        neverReceived: d.lost ? 0 : countMissing(delivered, got),
        duplicates: duplicatesOf(d),
      };
    });
    const missedBySome = new Set<string>();
    for (const d of present) {
      const got = received.get(d.id) ?? new Set();
      for (const id of delivered) if (!got.has(id)) missedBySome.add(id);
    }
    const { messages: disagreeingMessages, devices: disagreeingDevices } = disagreements(present);
    const everywhere = heldAnywhere(world, null);
    const byMailbox: Record<string, number> = {};
    for (const mb of world.mailStore.listMailboxes(user)) byMailbox[mb.name] = mb.messages.length;
    const storage = [...world.storage];
    return {
      protocol,
      server: {
        messages: serverCount(world),
        inbox: byMailbox.INBOX ?? 0,
        bytes: world.mailStore.storageBytes(user),
        byMailbox,
      },
      devices: outcomes,
      delivered: delivered.size,
      neverReceived: missedBySome.size,
      duplicates: outcomes.reduce((n, d) => n + d.duplicates, 0),
      disagreeingMessages,
      disagreeingDevices,
      lostAfterDeviceLoss: [...this.lostCandidates].filter((id) => !everywhere.has(id)).length,
      lockRefusals: this.lockRefusals,
      storage,
      peakBytes: Math.max(0, ...storage.map((s) => s.bytes)),
      cost: pricing ? storageCost(storage, pricing) : null,
      timeline,
    };
  }

  dispose(): void {
    this.off();
  }
}

/** Runs a scenario with every device on `protocol` and measures the end state. */
export function runScenario(scenario: Scenario, protocol: Protocol, options: RunOptions = {}): RunResult {
  const world = World.fromScenario(scenario, {
    undoDepth: 0,
    logLimit: 1000,
    transcriptLimit: 500,
    ...options,
    protocol,
  });
  const tracker = new OutcomeTracker(world, options);
  const timeline: TimelineEntry[] = [];
  scenario.timeline.forEach((action, step) => {
    world.dispatch(action);
    timeline.push(tracker.entry(step, action));
  });
  tracker.dispose();
  const outcome = tracker.measure(protocol, scenario.storage, timeline);
  return { world, outcome, events: tracker.events };
}

/** Runs the story under POP3 and under IMAP. */
export function compare(scenario: Scenario, options: RunOptions = {}): Comparison {
  const pop3 = runScenario(scenario, 'pop3', options);
  pop3.world.dispose();
  const imap = runScenario(scenario, 'imap', options);
  imap.world.dispose();
  return {
    scenario: { id: scenario.id, title: scenario.title, summary: scenario.summary, claims: scenario.claims },
    pop3: pop3.outcome,
    imap: imap.outcome,
  };
}

/** How many of `ids` are not in `got`. */
function countMissing(ids: ReadonlySet<string>, got: ReadonlySet<string>): number {
  let n = 0;
  for (const id of ids) if (!got.has(id)) n++;
  return n;
}

function countOutside(d: DeviceData, folder: string): number {
  let n = 0;
  for (const m of d.messages) if (m.folder !== folder) n++;
  return n;
}

function serverCount(world: WorldCore): number {
  let n = 0;
  for (const mb of world.mailStore.listMailboxes(world.account.user)) n += mb.messages.length;
  return n;
}

/** The Message-ID of a stored message, read once (a stored message never changes its bytes). */
const messageIds = new WeakMap<StoredMessage, string>();
function messageIdOf(m: StoredMessage): string {
  let id = messageIds.get(m);
  if (id === undefined) messageIds.set(m, (id = summarizeHeader(m.raw).messageId));
  return id;
}

/** Message-IDs on the server (any mailbox) or on any device still present, except `except`. */
function heldAnywhere(world: WorldCore, except: string | null): Set<string> {
  const ids = new Set<string>();
  for (const mb of world.mailStore.listMailboxes(world.account.user))
    for (const m of mb.messages) ids.add(messageIdOf(m));
  for (const d of world.devices())
    if (d.id !== except && !d.lost) for (const m of d.messages) ids.add(m.messageId);
  return ids;
}

function duplicatesOf(d: DeviceData): number {
  const seen = new Map<string, number>();
  for (const m of d.messages) if (m.folder !== TRASH) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
  let extra = 0;
  for (const n of seen.values()) if (n > 1) extra += n - 1;
  return extra;
}

/** Compares \Seen and \Flagged of each message across the devices holding it (outside Trash). */
function disagreements(devices: DeviceData[]): { messages: number; devices: string[] } {
  const states = new Map<string, Map<string, string>>();
  for (const d of devices)
    for (const m of d.messages) {
      if (m.folder === TRASH) continue;
      let byDevice = states.get(m.messageId);
      if (!byDevice) states.set(m.messageId, (byDevice = new Map()));
      if (!byDevice.has(d.id))
        byDevice.set(d.id, `${m.flags.includes('\\Seen')}/${m.flags.includes('\\Flagged')}`);
    }
  let messages = 0;
  const involved = new Set<string>();
  for (const byDevice of states.values()) {
    if (byDevice.size < 2 || new Set(byDevice.values()).size < 2) continue;
    messages++;
    for (const id of byDevice.keys()) involved.add(id);
  }
  return { messages, devices: devices.map((d) => d.id).filter((id) => involved.has(id)) };
}

/** Integrates storage above the quota over time (samples are step-wise constant). */
export function storageCost(
  samples: readonly StorageSample[],
  pricing: { quotaBytes: number; pricePerGBMonth: number },
): StorageCost {
  let months = 0;
  let cost = 0;
  let overQuotaAt: number | null = null;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (s.bytes > pricing.quotaBytes && overQuotaAt === null) overQuotaAt = s.at;
    const next = samples[i + 1];
    if (!next) break;
    const over = Math.max(0, s.bytes - pricing.quotaBytes);
    const dt = (next.at - s.at) / MONTH;
    if (over > 0) months += dt;
    cost += (over / GB) * pricing.pricePerGBMonth * dt;
  }
  return {
    quotaBytes: pricing.quotaBytes,
    pricePerGBMonth: pricing.pricePerGBMonth,
    monthsOverQuota: Math.round(months * 100) / 100,
    extraCost: Math.round(cost * 100) / 100,
    overQuotaAt,
  };
}
