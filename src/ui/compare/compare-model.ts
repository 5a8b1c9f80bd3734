/**
 * The Compare view's plain data (DOM-free, tested in Node): what a comparison is (a scenario and
 * the what-ifs made to it), how it is written into a link, where the two worlds differ at a
 * frame, and the storage chart's view model.
 *
 *   const state: CompareState = { v: 1, origin: { scenario: 'three-devices-pop3' }, forks: [], step: 'end' };
 *   const scenario = applyForks(base, state.forks);     // what the workers run
 *   frameBadges(timeline.frames[k], 'pop3')             // Map { 'phone' => '0 messages (IMAP: 5)' }
 */
import type { SettingsPatch } from '../../client/device';
import { DEFAULT_SETTINGS, type DeviceSettings } from '../../client/types';
import type { Protocol } from '../../server/types';
import { FAULTS, type Scenario, type WorldAction } from '../../world/scenario';
import type { OutcomeTable } from '../../world/table';
import type { CompareTimeline, Frame } from '../../world/timeline';
import { describeStep, fork, type ForkChange } from '../../world/steps';
import type { StorageChartViewModel } from '../../viz/types';
import { formatBytes } from '../../viz/storage-data';

/** One what-if: a change made at a step (see `fork` in src/world/timeline.ts). */
export interface ForkStep {
  atStep: number;
  change: ForkChange;
}

export type CompareOrigin = { scenario: string } | { inline: Scenario };

/** What a Compare link holds: the story, its what-ifs (applied in order) and the position shown. */
export interface CompareState {
  v: 1;
  origin: CompareOrigin;
  forks: readonly ForkStep[];
  /** The frame shown (0 = the start), or the end. */
  step: number | 'end';
}

/** The default story of `#/compare`: the year of mail and its storage bill. */
export const DEFAULT_COMPARE = 'storage-year';

/** The scenario the workers run: the base with every what-if made in order. Throws ScenarioError/RangeError. */
export function applyForks(base: Scenario, forks: readonly ForkStep[]): Scenario {
  return forks.reduce<Scenario>((s, f) => fork(s, f.atStep, f.change), base);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a Compare link's value (untrusted): the shape is checked here, the scenario and the
 * what-ifs when they are applied (validateScenario names the path of any problem).
 */
export function readCompareState(value: unknown): CompareState {
  if (!isObject(value) || value.v !== 1) throw new Error('it is not a Compare link of this version');
  const origin = value.origin;
  let o: CompareOrigin;
  if (
    isObject(origin) &&
    typeof origin.scenario === 'string' &&
    /^[a-z0-9][a-z0-9-]{0,63}$/.test(origin.scenario)
  )
    o = { scenario: origin.scenario };
  else if (isObject(origin) && isObject(origin.inline)) o = { inline: origin.inline as unknown as Scenario };
  else throw new Error('its scenario is missing');
  const forks = value.forks;
  if (!Array.isArray(forks) || forks.length > 50) throw new Error('its what-ifs are damaged');
  const steps: ForkStep[] = forks.map((f) => {
    if (
      !isObject(f) ||
      !Number.isInteger(f.atStep) ||
      !isObject(f.change) ||
      typeof f.change.kind !== 'string'
    )
      throw new Error('its what-ifs are damaged');
    return { atStep: f.atStep as number, change: f.change as unknown as ForkChange };
  });
  const step = value.step;
  if (step !== 'end' && !(Number.isInteger(step) && (step as number) >= 0))
    throw new Error('its position is damaged');
  return { v: 1, origin: o, forks: steps, step: step as number | 'end' };
}

/** The frame a position names, inside the timeline. */
export function clampStep(step: number | 'end' | null, frames: number): number {
  if (frames <= 0) return 0;
  if (step === 'end') return frames - 1;
  if (step === null || !Number.isFinite(step)) return 0;
  return Math.max(0, Math.min(frames - 1, Math.floor(step)));
}

/** A plain link when the story is shipped and unchanged; otherwise the caller packs the state. */
export function plainHref(state: CompareState, frames: number): string | null {
  if (!('scenario' in state.origin) || state.forks.length) return null;
  const step = clampStep(state.step, frames);
  const pos = frames > 1 && step === frames - 1 ? '/end' : step === 0 ? '' : `/${step}`;
  return `#/compare/${state.origin.scenario}${pos}`;
}

// ---- differences -------------------------------------------------------------------------

const PROTOCOL_NAME: Record<Protocol, string> = { pop3: 'POP3', imap: 'IMAP' };

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

type TableDevice = OutcomeTable['devices'][number];

function deviceText(d: TableDevice | undefined): string {
  if (!d) return 'not set up';
  if (d.lost) return 'lost';
  return `${count(d.messages, 'message')}, ${d.unread} unread`;
}

/**
 * Where the two worlds differ at a frame, as badges for one column: per device id (and
 * "server"), this world's numbers with the other's in brackets ("0 messages, 0 unread (IMAP: 5
 * messages, 5 unread)"). The numbers are the table's (the CLI's).
 */
export function frameBadges(frame: Frame, side: Protocol): Map<string, string> {
  const mine = frame[side].table;
  const other = frame[side === 'pop3' ? 'imap' : 'pop3'].table;
  const otherName = PROTOCOL_NAME[side === 'pop3' ? 'imap' : 'pop3'];
  const out = new Map<string, string>();
  const ids = new Set([...mine.devices.map((d) => d.id), ...other.devices.map((d) => d.id)]);
  for (const id of ids) {
    const a = deviceText(mine.devices.find((d) => d.id === id));
    const b = deviceText(other.devices.find((d) => d.id === id));
    if (a !== b) out.set(id, `${a} (${otherName}: ${b})`);
  }
  const server = (t: OutcomeTable) =>
    `${count(t.server.messages, 'message')}, ${formatBytes(t.server.bytes)}`;
  if (server(mine) !== server(other)) out.set('server', `${server(mine)} (${otherName}: ${server(other)})`);
  return out;
}

// ---- labels --------------------------------------------------------------------------------

/** A what-if in plain words ("At step 2: the Laptop's settings change (leave on server).") */
export function describeFork(f: ForkStep, names: ReadonlyMap<string, string>): string {
  const name = (id: string) => names.get(id) ?? id;
  // A settings step from a device's own controls reads like the form's.
  const c: ForkChange =
    f.change.kind === 'insert' && f.change.action.do === 'settings'
      ? { kind: 'settings', device: f.change.action.device, settings: f.change.action.settings }
      : f.change;
  const where = f.atStep === 0 ? 'At the start' : `After step ${f.atStep}`;
  switch (c.kind) {
    case 'protocol':
      return `${where}: the ${name(c.device)} switches to ${PROTOCOL_NAME[c.protocol]}.`;
    case 'settings': {
      const parts: string[] = [];
      const p = c.settings.pop3;
      if (p?.leaveOnServer !== undefined)
        parts.push(p.leaveOnServer ? 'leave on server' : 'no leave on server');
      if (p?.removeAfterDays !== undefined)
        parts.push(p.removeAfterDays === null ? 'never remove' : `remove after ${p.removeAfterDays} days`);
      if (p?.removeWhenDeletedHere !== undefined)
        parts.push(p.removeWhenDeletedHere ? 'remove when deleted here' : 'keep when deleted here');
      if (c.settings.checkEveryMinutes !== undefined)
        parts.push(
          c.settings.checkEveryMinutes === null
            ? 'checks only when asked'
            : `checks every ${c.settings.checkEveryMinutes} min`,
        );
      if (c.settings.imap?.mode) parts.push(c.settings.imap.mode === 'idle' ? 'push with IDLE' : 'polls');
      if (c.settings.imap?.deleteAction)
        parts.push(c.settings.imap.deleteAction === 'trash' ? 'delete moves to Trash' : 'delete expunges');
      return `${where}: the ${name(c.device)}'s settings change (${parts.join(', ') || 'no change'}).`;
    }
    case 'move':
      return `${where}: step ${c.step + 1} happens here instead.`;
    case 'addDevice':
      return `${where}: a ${c.device.kind} (${c.device.name ?? c.device.id}) is set up.`;
    case 'lose':
      return `${where}: the ${name(c.device)} is lost.`;
    case 'insert':
      return `${where}: ${describeStep(c.action, names)}`;
    case 'remove':
      return `Step ${f.atStep + 1} is left out.`;
  }
}

/** The fault steps a learner can insert, with their needs, in the order the form lists them. */
export const FAULT_CHOICES = Object.entries(FAULTS).map(([id, f]) => ({
  id: id as keyof typeof FAULTS,
  title: f.title,
  summary: f.summary,
  needs: f.needs,
}));

/** A fault step from the form's fields. */
export function faultAction(
  fault: keyof typeof FAULTS,
  device: string,
  other: string,
  message: string,
): WorldAction {
  return FAULTS[fault].needs.length
    ? ({ do: 'fault', fault, device, other, message } as WorldAction)
    : ({ do: 'fault', fault, device } as WorldAction);
}

// ---- storage -------------------------------------------------------------------------------

/** The storage chart of a comparison: POP3 and IMAP over virtual time, the quota, the price, the position. */
export function storageViewModel(
  timeline: CompareTimeline,
  pricePerGBMonth: number,
  marker: number | null,
): StorageChartViewModel {
  return {
    series: [
      { id: 'pop3', label: 'POP3', points: timeline.storage.pop3.map((s) => ({ ...s })) },
      { id: 'imap', label: 'IMAP', points: timeline.storage.imap.map((s) => ({ ...s })) },
    ],
    quotaBytes: timeline.scenario.storage?.quotaBytes ?? null,
    pricePerGBMonth,
    marker,
  };
}

/** A typical small provider's price per GB per month: a story without pricing starts with it. */
export const DEFAULT_PRICE_PER_GB_MONTH = 0.1;

/** The price a comparison starts with: the scenario's, or a typical small provider's. */
export function defaultPrice(timeline: CompareTimeline): number {
  return timeline.scenario.storage?.pricePerGBMonth ?? DEFAULT_PRICE_PER_GB_MONTH;
}

// ---- what-if forms ---------------------------------------------------------------------------

/** A device's settings just before step `atStep` of a scenario: its own, then every settings step before. */
export function settingsAt(scenario: Scenario, device: string, atStep: number): DeviceSettings {
  let out = withPatch(DEFAULT_SETTINGS, scenario.devices.find((d) => d.id === device)?.settings);
  for (const a of scenario.timeline.slice(0, atStep)) {
    if (a.do === 'settings' && a.device === device) out = withPatch(out, a.settings);
    if (a.do === 'addDevice' && a.device.id === device) out = withPatch(DEFAULT_SETTINGS, a.device.settings);
  }
  return out;
}

/** Settings with a patch made (a new value; neither is changed). */
export function withPatch(s: DeviceSettings, p: SettingsPatch | undefined): DeviceSettings {
  return {
    checkEveryMinutes: p?.checkEveryMinutes !== undefined ? p.checkEveryMinutes : s.checkEveryMinutes,
    pop3: { ...s.pop3, ...p?.pop3 },
    imap: { ...s.imap, ...p?.imap },
  };
}

/** Only what the form changed, as a settings step takes it (null when nothing changed). */
export function settingsPatch(before: DeviceSettings, after: DeviceSettings): SettingsPatch | null {
  const patch: SettingsPatch = {};
  if (after.checkEveryMinutes !== before.checkEveryMinutes) patch.checkEveryMinutes = after.checkEveryMinutes;
  const pop3: Partial<DeviceSettings['pop3']> = {};
  for (const k of ['leaveOnServer', 'removeAfterDays', 'removeWhenDeletedHere'] as const)
    if (after.pop3[k] !== before.pop3[k]) (pop3 as Record<string, unknown>)[k] = after.pop3[k];
  if (Object.keys(pop3).length) patch.pop3 = pop3;
  const imap: Partial<DeviceSettings['imap']> = {};
  if (after.imap.mode !== before.imap.mode) imap.mode = after.imap.mode;
  if (after.imap.deleteAction !== before.imap.deleteAction) imap.deleteAction = after.imap.deleteAction;
  if (Object.keys(imap).length) patch.imap = imap;
  return Object.keys(patch).length ? patch : null;
}

/** The devices a what-if at `atStep` can name: set up by then and not lost or removed. */
export function devicesAt(scenario: Scenario, atStep: number): { id: string; name: string; kind: string }[] {
  const out = scenario.devices.map((d) => ({ id: d.id, name: d.name ?? d.id, kind: d.kind as string }));
  for (const a of scenario.timeline.slice(0, atStep)) {
    if (a.do === 'addDevice')
      out.push({ id: a.device.id, name: a.device.name ?? a.device.id, kind: a.device.kind });
    if (a.do === 'lose' || a.do === 'removeDevice') {
      const i = out.findIndex((d) => d.id === a.device);
      if (i >= 0) out.splice(i, 1);
    }
  }
  return out;
}
