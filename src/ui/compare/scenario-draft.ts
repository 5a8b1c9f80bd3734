/**
 * The scenario editor's model, without a DOM: a scenario as editable text and back (with every
 * problem's path and line), pure form edits that return new scenarios, drafts kept in the
 * browser, and the file a teacher downloads (what `npm run compare -- FILE` reads).
 *
 * Text and storage are untrusted: nothing here throws on bad input, and nothing runs a scenario
 * that `validateScenario` has not accepted.
 */
import { DEFAULT_SETTINGS, type DeviceKind, type DeviceSettings } from '../../client/types';
import type { SettingsPatch } from '../../client/device';
import {
  FAULTS,
  ScenarioError,
  validateScenario,
  type FaultName,
  type Scenario,
  type ScenarioDevice,
  type ScenarioMessage,
  type WorldAction,
} from '../../world/scenario';
import { lineColumn, scanJson } from './scenario-json';

// ---- text ------------------------------------------------------------------------------------

/** Longest text the editor reads: far above any real scenario, far below what freezes a page. */
export const MAX_SCENARIO_TEXT = 2 * 1024 * 1024;

export interface DraftProblem {
  /** Where, as validateScenario names it: `scenario.title`, `timeline[3].device`. */
  path: string;
  message: string;
  /** The line of the text the path (or its nearest written parent) is on. */
  line?: number;
  /** The column of that key, or of a syntax error: where "go to the problem" selects. */
  column?: number;
}

export type ParsedScenario = { scenario: Scenario } | { problems: DraftProblem[] };

/** The editable text of a scenario: JSON, two spaces, a final newline. */
export function scenarioToText(s: Scenario): string {
  return JSON.stringify(s, null, 2) + '\n';
}

/** Scanner paths ("", "title", "timeline[3].device") as validateScenario writes them. */
function shownPath(p: string): string {
  if (p === '') return 'scenario';
  return /^(messages|devices|timeline)\[/.test(p) ? p : `scenario.${p}`;
}

/** validateScenario's paths as scanner paths. */
function scanPath(p: string): string {
  return p === 'scenario' ? '' : p.replace(/^scenario\./, '');
}

/** Drops the last `.key` or `[n]` of a path ("" has no parent). */
function parentPath(p: string): string | null {
  if (p === '') return null;
  const m = /^(.*?)(\[\d+\]|\.[^.[\]]*)$/.exec(p);
  return m ? m[1] : '';
}

/** The line a problem's path is on: its own key, else that of the nearest parent that is written. */
export function lineOfPath(offsets: Map<string, number>, text: string, path: string): number | undefined {
  return placeOfPath(offsets, text, path)?.line;
}

/** Line and column of a path's key (or of its nearest written parent's), as lineOfPath finds it. */
export function placeOfPath(
  offsets: Map<string, number>,
  text: string,
  path: string,
): { line: number; column: number } | undefined {
  for (let p: string | null = scanPath(path); p !== null; p = parentPath(p)) {
    const at = offsets.get(p);
    if (at !== undefined) return lineColumn(text, at);
  }
  return undefined;
}

/** "timeline[3].device: unknown device ..." as a path and a message. */
export function splitProblem(problem: string): { path: string; message: string } {
  const cut = problem.indexOf(': ');
  return cut === -1
    ? { path: 'scenario', message: problem }
    : { path: problem.slice(0, cut), message: problem.slice(cut + 2) };
}

/** Reads JSON text (bounded in size); the value, or the syntax problem with its line and column. */
export function readJsonText(text: string): { value: unknown } | { problems: DraftProblem[] } {
  if (text.length > MAX_SCENARIO_TEXT)
    return {
      problems: [
        {
          path: 'scenario',
          message: `the text is ${(text.length / 1024 / 1024).toFixed(1)} MB; at most 2 MB is read`,
        },
      ],
    };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    const e = scanJson(text, false).error;
    if (!e) return { problems: [{ path: 'scenario', message: `not JSON: ${(err as Error).message}` }] };
    return {
      problems: [
        {
          path: shownPath(e.path),
          message: `JSON syntax: ${e.message} (line ${e.line}, column ${e.column})`,
          line: e.line,
          column: e.column,
        },
      ],
    };
  }
}

/** Problems of a scenario thrown by validateScenario, each with its line in `text` when known. */
export function problemsOf(err: ScenarioError, text?: string): DraftProblem[] {
  const offsets = text === undefined ? null : scanJson(text).offsets;
  return err.problems.map((p) => {
    const { path, message } = splitProblem(p);
    const place = offsets && text !== undefined ? placeOfPath(offsets, text, path) : undefined;
    return place === undefined ? { path, message } : { path, message, ...place };
  });
}

/** Validates a value as a scenario; problems have no lines (there is no text). */
export function checkScenario(value: unknown): ParsedScenario {
  try {
    return { scenario: validateScenario(value) };
  } catch (err) {
    if (err instanceof ScenarioError) return { problems: problemsOf(err) };
    return { problems: [{ path: 'scenario', message: String((err as Error)?.message ?? err) }] };
  }
}

/** Reads the editor's text: the validated scenario, or every problem with its path and line. */
export function parseScenarioText(text: string): ParsedScenario {
  const read = readJsonText(text);
  if ('problems' in read) return read;
  try {
    return { scenario: validateScenario(read.value) };
  } catch (err) {
    if (err instanceof ScenarioError) return { problems: problemsOf(err, text) };
    return { problems: [{ path: 'scenario', message: String((err as Error)?.message ?? err) }] };
  }
}

/** "timeline[3].device: unknown device (line 12)": how the editor lists a problem. */
export function problemLabel(p: DraftProblem): string {
  return `${p.path}: ${p.message}${p.line !== undefined ? ` (line ${p.line})` : ''}`;
}

// ---- problems at their fields, and going to them --------------------------------------------

/** The messages of the problems about exactly `path`. */
export function problemsAt(problems: readonly DraftProblem[], path: string): string[] {
  return problems.filter((p) => p.path === path).map((p) => p.message);
}

/** The problems about `path` or anything inside it (`timeline[3]` has `timeline[3].device.kind`). */
export function problemsUnder(problems: readonly DraftProblem[], path: string): DraftProblem[] {
  return problems.filter(
    (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`),
  );
}

/**
 * Where in the form a problem is shown: the field that edits its path, or that of its nearest
 * parent (a step edited as JSON holds all of its own paths); a group (a device, a step) only for
 * a problem about the whole group. Null when the form has nothing for it (the Text tab has).
 * `field` and `group` say whether the form has an element for a path.
 */
export function formTarget(
  path: string,
  field: (path: string) => boolean,
  group: (path: string) => boolean,
): { kind: 'field' | 'group'; path: string } | null {
  if (group(path) && !field(path)) return { kind: 'group', path };
  // The whole scenario ("" as a scanner path) is not a place in the form.
  for (let p: string | null = scanPath(path); p !== null && p !== ''; p = parentPath(p)) {
    const shown = shownPath(p);
    if (field(shown)) return { kind: 'field', path: shown };
  }
  return null;
}

/**
 * The part of the text a problem is about, as offsets to select: a syntax error's character
 * (nothing at the end of the text), or the rest of the line from the problem's key (without a
 * trailing comma). Null when the problem has no line.
 */
export function problemRange(text: string, p: DraftProblem): { start: number; end: number } | null {
  if (p.line === undefined) return null;
  let lineStart = 0;
  for (let n = 1; n < p.line; n++) {
    const next = text.indexOf('\n', lineStart);
    if (next === -1) break;
    lineStart = next + 1;
  }
  const lineEnd = text.indexOf('\n', lineStart) === -1 ? text.length : text.indexOf('\n', lineStart);
  const start = Math.min(lineStart + Math.max(0, (p.column ?? 1) - 1), lineEnd);
  if (p.message.startsWith('JSON syntax:')) return { start, end: Math.min(start + 1, lineEnd) };
  let end = lineEnd;
  while (end > start && /[\s,]/.test(text[end - 1])) end--;
  return { start, end };
}

// ---- the form --------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Most devices, messages or steps the form draws (each is a fieldset); more is for the Text tab. */
export const MAX_FORM_ITEMS = 500;

/**
 * Why the form cannot show a value (the text tab still can), or null. The form needs an object
 * whose lists are lists; every other problem it shows and lets the learner fix.
 */
export function formProblem(value: unknown): string | null {
  if (!isObj(value)) return 'The form needs a scenario object { "id": ..., "devices": [...] }.';
  for (const key of ['devices', 'timeline', 'messages'])
    if (value[key] !== undefined && !Array.isArray(value[key]))
      return `The form needs "${key}" to be a list.`;
  for (const key of ['devices', 'timeline', 'messages'] as const)
    if (Array.isArray(value[key]) && (value[key] as unknown[]).length > MAX_FORM_ITEMS)
      return `The form shows at most ${MAX_FORM_ITEMS} ${key === 'timeline' ? 'steps' : key}; edit this scenario in the Text tab.`;
  for (const key of ['devices', 'timeline', 'messages'] as const)
    if (Array.isArray(value[key]) && !(value[key] as unknown[]).every(isObj))
      return `The form needs every entry of "${key}" to be an object.`;
  return null;
}

/** A form-ready draft (call formProblem first): the lists present, the rest as written. */
export function asDraft(value: unknown): Scenario {
  const v = value as Obj;
  return {
    ...v,
    devices: (v.devices ?? []) as ScenarioDevice[],
    timeline: (v.timeline ?? []) as WorldAction[],
  } as Scenario;
}

/** An object without the keys whose value is undefined (an emptied field leaves the JSON). */
function tidy<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const replaceAt = <T>(list: readonly T[], i: number, item: T): T[] =>
  list.map((x, j) => (j === i ? item : x));

/** Every device id a step at `at` may name: the scenario's devices and those added by earlier steps. */
export function deviceIdsAt(s: Scenario, at = s.timeline.length): string[] {
  const ids = s.devices.map((d) => d.id);
  for (const a of s.timeline.slice(0, at))
    if (a.do === 'addDevice' && isObj(a.device) && typeof a.device.id === 'string') ids.push(a.device.id);
  return [...new Set(ids)];
}

/** Message ids a step at `at` may name: the initial messages and those delivered by earlier steps. */
export function messageIdsAt(s: Scenario, at = s.timeline.length): string[] {
  const ids = (s.messages ?? []).map((m) => m.id);
  for (const a of s.timeline.slice(0, at))
    if (a.do === 'deliver' && isObj(a.message) && typeof a.message.id === 'string') ids.push(a.message.id);
  return [...new Set(ids)];
}

function freshId(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}${n}`)) return `${base}${n}`;
}

const KIND_NAMES: Record<DeviceKind, string> = {
  phone: 'Phone',
  laptop: 'Laptop',
  workpc: 'Work PC',
  tablet: 'Tablet',
};

/** A new device of that kind, with an id and name no other device has. */
export function newDevice(s: Scenario, kind: DeviceKind = 'laptop'): ScenarioDevice {
  const id = freshId(kind, deviceIdsAt(s));
  return { id, name: id === kind ? KIND_NAMES[kind] : `${KIND_NAMES[kind]} ${id.slice(kind.length)}`, kind };
}

export function addDevice(s: Scenario, kind: DeviceKind = 'laptop'): Scenario {
  return { ...s, devices: [...s.devices, newDevice(s, kind)] };
}

/** Steps (indices) that name a device: as the device acting, or as the fault's other device. */
export function stepsNaming(s: Scenario, id: string): number[] {
  const out: number[] = [];
  s.timeline.forEach((a, i) => {
    const o = a as Obj;
    if (o.device === id || o.other === id) out.push(i);
  });
  return out;
}

/**
 * Removes a device. Steps that still name it are left for the learner to change or remove; their
 * indices come back (and validateScenario names them too).
 */
export function removeDevice(s: Scenario, index: number): { scenario: Scenario; steps: number[] } {
  const gone = s.devices[index];
  if (!gone) return { scenario: s, steps: [] };
  const scenario = { ...s, devices: s.devices.filter((_, i) => i !== index) };
  // Still known when a step adds a device of the same id.
  const steps = deviceIdsAt(scenario).includes(gone.id) ? [] : stepsNaming(scenario, gone.id);
  return { scenario, steps };
}

/** Changes fields of a device; an undefined value removes the field. Use renameDevice for the id. */
export function updateDevice(
  s: Scenario,
  index: number,
  patch: Partial<Omit<ScenarioDevice, 'id'>>,
): Scenario {
  const d = s.devices[index];
  if (!d) return s;
  return { ...s, devices: replaceAt(s.devices, index, tidy({ ...d, ...patch })) };
}

/**
 * Gives a device a new id, and the steps that named the old one follow. When another device has
 * that id already, only the device changes (validation then reports the duplicate).
 */
export function renameDevice(s: Scenario, index: number, id: string): Scenario {
  const d = s.devices[index];
  if (!d || d.id === id) return s;
  const clash = deviceIdsAt(s).includes(id);
  const devices = replaceAt(s.devices, index, { ...d, id });
  const timeline = clash
    ? s.timeline
    : s.timeline.map((a) => {
        const o = a as Obj;
        if (o.device !== d.id && o.other !== d.id) return a;
        return {
          ...o,
          ...(o.device === d.id ? { device: id } : {}),
          ...(o.other === d.id ? { other: id } : {}),
        } as WorldAction;
      });
  return { ...s, devices, timeline };
}

/** A device's settings with the defaults filled in: what the form shows. */
export function deviceSettings(d: { settings?: SettingsPatch }): DeviceSettings {
  const p: SettingsPatch = isObj(d.settings) ? d.settings : {};
  const every = p.checkEveryMinutes;
  return {
    checkEveryMinutes: typeof every === 'number' ? every : DEFAULT_SETTINGS.checkEveryMinutes,
    pop3: { ...DEFAULT_SETTINGS.pop3, ...(isObj(p.pop3) ? p.pop3 : {}) },
    imap: { ...DEFAULT_SETTINGS.imap, ...(isObj(p.imap) ? p.imap : {}) },
  };
}

export type SettingKey =
  | 'checkEveryMinutes'
  | 'pop3.leaveOnServer'
  | 'pop3.removeAfterDays'
  | 'pop3.removeWhenDeletedHere'
  | 'imap.mode'
  | 'imap.deleteAction';

/**
 * Sets one setting of a device. The default value (or undefined) removes it from the scenario,
 * so the JSON says only what differs from a fresh mail app.
 */
export function setDeviceSetting(s: Scenario, index: number, key: SettingKey, value: unknown): Scenario {
  const d = s.devices[index];
  if (!d) return s;
  const settings: Obj = { ...(isObj(d.settings) ? d.settings : {}) };
  const [group, name] = key.includes('.') ? key.split('.') : [null, key];
  const fallback = group
    ? (DEFAULT_SETTINGS as unknown as Record<string, Obj>)[group][name]
    : DEFAULT_SETTINGS.checkEveryMinutes;
  const drop = value === undefined || value === fallback;
  if (group) {
    const inner: Obj = { ...(isObj(settings[group]) ? settings[group] : {}) };
    if (drop) delete inner[name];
    else inner[name] = value;
    if (Object.keys(inner).length) settings[group] = inner;
    else delete settings[group];
  } else if (drop) delete settings[name];
  else settings[name] = value;
  const next: ScenarioDevice = { ...d, settings: settings as SettingsPatch };
  if (!Object.keys(settings).length) delete next.settings;
  return { ...s, devices: replaceAt(s.devices, index, next) };
}

/** A new message with an id no other message has. */
export function newMessage(s: Scenario): ScenarioMessage {
  const taken = messageIdsAt(s);
  let n = taken.length + 1;
  while (taken.includes(`m${n}`)) n++;
  return { id: `m${n}`, from: 'Bob <bob@example.org>', subject: 'A new message', body: 'Hello!' };
}

export function addMessage(s: Scenario): Scenario {
  return { ...s, messages: [...(s.messages ?? []), newMessage(s)] };
}

/** Removes an initial message; the steps that still name it come back. */
export function removeMessage(s: Scenario, index: number): { scenario: Scenario; steps: number[] } {
  const gone = (s.messages ?? [])[index];
  if (!gone) return { scenario: s, steps: [] };
  const messages = (s.messages ?? []).filter((_, i) => i !== index);
  const scenario: Scenario = { ...s, messages };
  if (!messages.length) delete scenario.messages;
  const steps = messageIdsAt(scenario).includes(gone.id)
    ? []
    : scenario.timeline.flatMap((a, i) => ((a as Obj).message === gone.id ? [i] : []));
  return { scenario, steps };
}

/** Changes fields of an initial message; undefined removes a field. */
export function updateMessage(s: Scenario, index: number, patch: Partial<ScenarioMessage>): Scenario {
  const list = s.messages ?? [];
  if (!list[index]) return s;
  return { ...s, messages: replaceAt(list, index, tidy({ ...list[index], ...patch })) };
}

/**
 * Sets the account's user or password; an empty value removes it, and an account with neither
 * leaves the scenario (which then logs in as DEFAULT_ACCOUNT). A half account is left for
 * validation to name the missing half.
 */
export function setAccount(s: Scenario, key: 'user' | 'password', value: string | undefined): Scenario {
  const account = tidy({ ...(isObj(s.account) ? s.account : {}), [key]: value || undefined });
  const next: Scenario = { ...s, account: account as Scenario['account'] };
  if (!Object.keys(account).length) delete next.account;
  return next;
}

/** Sets the storage quota or price (undefined removes it); neither left removes the pricing. */
export function setStorage(
  s: Scenario,
  key: 'quotaBytes' | 'pricePerGBMonth',
  value: number | undefined,
): Scenario {
  const storage = tidy({ ...(isObj(s.storage) ? s.storage : {}), [key]: value });
  const next: Scenario = { ...s, storage: storage as Scenario['storage'] };
  if (!Object.keys(storage).length) delete next.storage;
  return next;
}

export type StepKind = WorldAction['do'];
/** How the form edits a kind of step; "json" = as the JSON of that step. */
export type StepEditor =
  'check' | 'advance' | 'deliver' | 'message' | 'move' | 'device' | 'note' | 'fault' | 'json';

/** Every kind of step, in the order the menu lists them, with its label and editor. */
export const STEP_KINDS: Readonly<Record<StepKind, { label: string; editor: StepEditor }>> = {
  check: { label: 'Check mail', editor: 'check' },
  advance: { label: 'Let time pass', editor: 'advance' },
  deliver: { label: 'Deliver a message', editor: 'deliver' },
  read: { label: 'Mark read', editor: 'message' },
  unread: { label: 'Mark unread', editor: 'message' },
  flag: { label: 'Flag', editor: 'message' },
  unflag: { label: 'Remove the flag', editor: 'message' },
  delete: { label: 'Delete', editor: 'message' },
  move: { label: 'Move to a folder', editor: 'move' },
  offline: { label: 'Go offline', editor: 'device' },
  online: { label: 'Come back online', editor: 'device' },
  lose: { label: 'Lose the device', editor: 'device' },
  drop: { label: 'Drop its connections', editor: 'device' },
  connect: { label: 'Open its terminal', editor: 'device' },
  removeDevice: { label: 'Remove the device', editor: 'device' },
  note: { label: 'Note', editor: 'note' },
  fault: { label: 'Fault', editor: 'fault' },
  traffic: { label: 'Random mail', editor: 'json' },
  createFolder: { label: 'Create a folder', editor: 'json' },
  addDevice: { label: 'Add a device', editor: 'json' },
  protocol: { label: 'Switch protocol', editor: 'json' },
  settings: { label: 'Change settings', editor: 'json' },
  manual: { label: 'Type a command', editor: 'json' },
};

export const isStepKind = (v: unknown): v is StepKind =>
  typeof v === 'string' && Object.hasOwn(STEP_KINDS, v);

/** The fields a fault step needs, others dropped: `other` and `message` only where FAULTS says. */
export function faultStep(s: Scenario, at: number, fault: FaultName, from: Obj = {}): WorldAction {
  const devices = deviceIdsAt(s, at);
  const device = typeof from.device === 'string' ? from.device : (devices[0] ?? '');
  const needs = FAULTS[fault].needs;
  const step: Obj = { do: 'fault', fault, device };
  if (needs.includes('other'))
    step.other =
      typeof from.other === 'string' && from.other !== device
        ? from.other
        : (devices.find((d) => d !== device) ?? '');
  if (needs.includes('message'))
    step.message = typeof from.message === 'string' ? from.message : (messageIdsAt(s, at)[0] ?? '*');
  return step as WorldAction;
}

/**
 * A new step of that kind for position `at`, filled with what the story has there (its first
 * device, its first message), keeping the device and message of `from` when it has them.
 */
export function newStep(s: Scenario, kind: StepKind, at = s.timeline.length, from: Obj = {}): WorldAction {
  const device = typeof from.device === 'string' ? from.device : (deviceIdsAt(s, at)[0] ?? '');
  const message = typeof from.message === 'string' ? from.message : (messageIdsAt(s, at)[0] ?? '*');
  switch (kind) {
    case 'check':
      return { do: 'check', device: typeof from.device === 'string' ? from.device : '*' };
    case 'advance':
      return { do: 'advance', hours: 1 };
    case 'deliver':
      return { do: 'deliver', message: newMessage(s) };
    case 'read':
    case 'unread':
    case 'flag':
    case 'unflag':
    case 'delete':
      return { do: kind, device, message };
    case 'move':
      return { do: 'move', device, message, to: typeof from.to === 'string' ? from.to : 'Archive' };
    case 'offline':
    case 'online':
    case 'lose':
    case 'drop':
    case 'connect':
    case 'removeDevice':
      return { do: kind, device };
    case 'note':
      return {
        do: 'note',
        text: typeof from.text === 'string' ? from.text : 'What the learner should notice here.',
      };
    case 'fault':
      return faultStep(s, at, 'drop-before-quit', { device });
    case 'traffic':
      return { do: 'traffic', perDay: 10, days: 7, seed: 1 };
    case 'createFolder':
      return { do: 'createFolder', device, name: 'Projects' };
    case 'addDevice':
      return { do: 'addDevice', device: newDevice(s, 'tablet') };
    case 'protocol':
      return { do: 'protocol', device, protocol: 'imap' };
    case 'settings':
      return { do: 'settings', device, settings: { checkEveryMinutes: 15 } };
    case 'manual':
      return { do: 'manual', device, line: 'NOOP' };
  }
}

export function addStep(s: Scenario, kind: StepKind): Scenario {
  return { ...s, timeline: [...s.timeline, newStep(s, kind)] };
}

export function removeStep(s: Scenario, index: number): Scenario {
  if (!s.timeline[index]) return s;
  return { ...s, timeline: s.timeline.filter((_, i) => i !== index) };
}

/** Moves a step up (-1) or down (+1); at either end it stays. */
export function moveStep(s: Scenario, index: number, by: -1 | 1): Scenario {
  const to = index + by;
  if (!s.timeline[index] || to < 0 || to >= s.timeline.length) return s;
  const timeline = [...s.timeline];
  [timeline[index], timeline[to]] = [timeline[to], timeline[index]];
  return { ...s, timeline };
}

/** Replaces a step with another one. */
export function updateStep(s: Scenario, index: number, step: WorldAction): Scenario {
  if (!s.timeline[index]) return s;
  return { ...s, timeline: replaceAt(s.timeline, index, step) };
}

/** Changes fields of a step; undefined removes a field. */
export function patchStep(s: Scenario, index: number, patch: Obj): Scenario {
  const a = s.timeline[index];
  if (!a) return s;
  return updateStep(s, index, tidy({ ...a, ...patch }) as WorldAction);
}

/** Changes fields of the message a deliver step delivers; undefined removes a field. */
export function patchDeliveredMessage(s: Scenario, index: number, patch: Partial<ScenarioMessage>): Scenario {
  const a = s.timeline[index];
  if (a?.do !== 'deliver') return s;
  return updateStep(s, index, {
    ...a,
    message: tidy({ ...(isObj(a.message) ? a.message : {}), ...patch }) as ScenarioMessage,
  });
}

/** "Step 3 still names" / "Steps 3 and 5 still name": for a notice after a removal. */
export function stillNamed(steps: readonly number[], what: string): string | null {
  if (!steps.length) return null;
  const ns = steps.map((i) => i + 1);
  const list = ns.length === 1 ? `Step ${ns[0]}` : `Steps ${ns.slice(0, -1).join(', ')} and ${ns.at(-1)}`;
  return `${list} still name${ns.length === 1 ? 's' : ''} ${what}: change or remove ${ns.length === 1 ? 'it' : 'them'}.`;
}

/** Makes a step another kind, keeping its device, message and folder where the new kind has them. */
export function changeStepKind(s: Scenario, index: number, kind: StepKind): Scenario {
  const a = s.timeline[index];
  if (!a || a.do === kind) return s;
  return updateStep(s, index, newStep(s, kind, index, a as Obj));
}

/** A step's legend in the form: "Step 3: Check mail (laptop)". */
export function stepTitle(a: WorldAction, index: number): string {
  const kind = isStepKind(a.do) ? STEP_KINDS[a.do].label : 'Unknown step';
  const o = a as Obj;
  const who = o.device === '*' ? 'every device' : typeof o.device === 'string' ? o.device : '';
  return `Step ${index + 1}: ${kind}${who && a.do !== 'addDevice' ? ` (${who})` : ''}`;
}

// ---- drafts in this browser ------------------------------------------------------------------

/** The part of the Web Storage API the drafts use (tests pass a Map-backed one). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const DRAFTS_KEY = 'pop-vs-imap-lab/scenarios';
export const DRAFTS_VERSION = 1;
/** Most scenarios kept; saving another drops the oldest. */
export const MAX_DRAFTS = 50;

export interface SavedScenario {
  id: string;
  title: string;
  /** Wall-clock ms since the epoch. */
  savedAt: number;
  scenario: Scenario;
}

export interface DraftList {
  /** Newest first. */
  items: SavedScenario[];
  /** What went wrong reading or writing, in a sentence; null when all was well. */
  notice: string | null;
}

/** Reads the saved scenarios. Unreadable data is reported and ignored, never thrown, never run. */
export function listDrafts(store: KeyValueStore | null): DraftList {
  let text: string | null;
  try {
    text = store?.getItem(DRAFTS_KEY) ?? null;
  } catch {
    return { items: [], notice: 'This browser does not let the page read its storage.' };
  }
  if (text === null) return { items: [], notice: null };
  let data: unknown;
  try {
    data = text.length > MAX_SCENARIO_TEXT * 4 ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!isObj(data) || typeof data.v !== 'number' || !Array.isArray(data.items))
    return { items: [], notice: 'The saved scenarios in this browser are unreadable and were ignored.' };
  if (data.v !== DRAFTS_VERSION)
    return {
      items: [],
      notice: `The saved scenarios were written by another version of the lab (format ${data.v}) and were ignored.`,
    };
  const items: SavedScenario[] = [];
  let bad = 0;
  for (const it of data.items.slice(0, MAX_DRAFTS * 2)) {
    const checked =
      isObj(it) && typeof it.savedAt === 'number' && Number.isFinite(it.savedAt)
        ? checkScenario(it.scenario)
        : null;
    if (!checked || !('scenario' in checked) || items.some((x) => x.id === checked.scenario.id)) bad++;
    else
      items.push({
        id: checked.scenario.id,
        title: checked.scenario.title,
        savedAt: it.savedAt as number,
        scenario: checked.scenario,
      });
  }
  bad += Math.max(0, data.items.length - MAX_DRAFTS * 2);
  items.sort((a, b) => b.savedAt - a.savedAt);
  return {
    items: items.slice(0, MAX_DRAFTS),
    notice: bad ? `${bad} saved scenario${bad === 1 ? ' was' : 's were'} unreadable and ignored.` : null,
  };
}

function writeDrafts(store: KeyValueStore | null, items: SavedScenario[], notice: string | null): DraftList {
  if (!store)
    return { items, notice: 'This browser does not let the page keep data; export the file instead.' };
  try {
    if (items.length) store.setItem(DRAFTS_KEY, JSON.stringify({ v: DRAFTS_VERSION, items }));
    else store.removeItem(DRAFTS_KEY);
    return { items, notice };
  } catch {
    return {
      items: listDrafts(store).items,
      notice: 'Not saved: the browser refused (its storage may be full).',
    };
  }
}

/**
 * Saves a scenario under its id (a newer save replaces the older one). Only a valid scenario is
 * kept, so a saved draft can always be reopened and run.
 */
export function saveDraft(store: KeyValueStore | null, scenario: Scenario, now = Date.now()): DraftList {
  const before = listDrafts(store);
  const checked = checkScenario(scenario);
  if ('problems' in checked)
    return {
      items: before.items,
      notice: `Not saved: the scenario has ${checked.problems.length} problem(s).`,
    };
  const s = checked.scenario;
  const items = [
    { id: s.id, title: s.title, savedAt: now, scenario: s },
    ...before.items.filter((x) => x.id !== s.id),
  ];
  return writeDrafts(store, items.slice(0, MAX_DRAFTS), before.notice);
}

export function deleteDraft(store: KeyValueStore | null, id: string): DraftList {
  const before = listDrafts(store);
  return writeDrafts(
    store,
    before.items.filter((x) => x.id !== id),
    before.notice,
  );
}

// ---- the file --------------------------------------------------------------------------------

/** `<id>.json` for a valid id; "scenario.json" for anything else (no path tricks in a name). */
export function scenarioFileName(s: { id?: unknown }): string {
  return typeof s.id === 'string' && /^[a-z0-9][a-z0-9-]{0,79}$/.test(s.id)
    ? `${s.id}.json`
    : 'scenario.json';
}

/** The file's text: exactly what `npm run compare -- FILE` reads (JSON.parse, then validateScenario). */
export function scenarioFileText(s: Scenario): string {
  return scenarioToText(s);
}
