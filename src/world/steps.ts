/**
 * A scenario's steps in plain words and its what-if forks: the part of the Compare view's data
 * that needs no running world, so the page can label steps and fork scenarios without loading
 * the engine (src/world/timeline.ts re-exports both).
 */
import type { SettingsPatch } from '../client/device';
import type { Protocol } from '../server/types';
import { advanceMs } from './limits';
import { FAULTS, validateScenario, type Scenario, type ScenarioDevice, type WorldAction } from './scenario';
import { formatDuration, theDevice } from './words';

// ---- step labels ---------------------------------------------------------------------------

/** The step in plain words, the same under both protocols ("The laptop checks mail", "30 days pass"). */
export function describeStep(
  action: WorldAction,
  names: ReadonlyMap<string, string> = new Map(),
  subjects: ReadonlyMap<string, string> = new Map(),
): string {
  const who = (id: string, capital = true) =>
    id === '*' ? (capital ? 'Every device' : 'every device') : theDevice(names.get(id) ?? id, capital);
  const msg = (ref: string) =>
    ref === '*' ? 'every message in INBOX' : subjects.has(ref) ? `'${subjects.get(ref)}'` : ref;
  switch (action.do) {
    case 'note':
      return action.text;
    case 'deliver':
      return `A message arrives: '${action.message.subject}'.`;
    case 'traffic':
      return `Mail starts arriving: about ${Math.round(action.perDay * 10) / 10} a day for ${action.days} days.`;
    case 'advance': {
      const d = formatDuration(advanceMs(action));
      return `${d.charAt(0).toUpperCase()}${d.slice(1)} ${/^1 \w+$/.test(d) ? 'passes' : 'pass'}.`;
    }
    case 'check':
      return `${who(action.device)} checks mail${action.full ? ' (full sync)' : ''}.`;
    case 'read':
    case 'unread':
    case 'flag':
    case 'unflag':
    case 'delete': {
      const verb = { read: 'marks', unread: 'marks', flag: 'flags', unflag: 'unflags', delete: 'deletes' }[
        action.do
      ];
      const what = msg(action.message);
      const tail = action.do === 'read' ? ' read' : action.do === 'unread' ? ' unread' : '';
      return `${who(action.device)} ${verb} ${what}${tail}.`;
    }
    case 'move':
      return `${who(action.device)} moves ${msg(action.message)} to ${action.to}.`;
    case 'createFolder':
      return `${who(action.device)} creates the folder '${action.name}'.`;
    case 'offline':
      return `${who(action.device)} goes offline.`;
    case 'online':
      return `${who(action.device)} comes back online.`;
    case 'lose':
      return `${who(action.device)} is lost.`;
    case 'drop':
      return `${who(action.device)}'s connections break.`;
    case 'connect':
      return `${who(action.device)}'s terminal connects.`;
    case 'removeDevice':
      return `${who(action.device)} is removed from the lab.`;
    case 'addDevice':
      return `${theDevice(action.device.name ?? action.device.id)} is set up.`;
    case 'protocol':
      return `${who(action.device)} switches to ${action.protocol === 'imap' ? 'IMAP' : 'POP3'}.`;
    case 'settings':
      return `${who(action.device)}'s settings change.`;
    case 'manual':
      return `On ${who(action.device, false)}'s terminal: ${action.line}`;
    case 'fault':
      return `Fault: ${FAULTS[action.fault].title.toLowerCase()} (${who(action.device, false)}${'other' in action ? ` and ${who(action.other, false)}` : ''}).`;
  }
}

// ---- what-if ------------------------------------------------------------------------------

/** A change at a step of a scenario (the Compare view's what-if). */
export type ForkChange =
  /** From this step on, the device uses the other protocol (its local copies go with the old account). */
  | { kind: 'protocol'; device: string; protocol: Protocol }
  /** Leave on server, remove after N days, check interval, IDLE, ... from this step on. */
  | { kind: 'settings'; device: string; settings: SettingsPatch }
  /** Who checks first: the step `step` moves here (before what was step `atStep`). */
  | { kind: 'move'; step: number }
  | { kind: 'addDevice'; device: ScenarioDevice }
  | { kind: 'lose'; device: string }
  /** A fault (FAULTS) or any other step, inserted here. */
  | { kind: 'insert'; action: WorldAction }
  /** The step `atStep` is left out. */
  | { kind: 'remove' };

/**
 * The scenario with `change` made at step `atStep` (0..timeline.length): inserted changes
 * become step `atStep` and every later step moves one on; `move` and `remove` reorder or drop
 * steps. Steps before `atStep` are untouched, so the fork's frames 0..atStep are the original's.
 * The result is validated (ScenarioError names the path of any problem, e.g. an unknown device).
 */
export function fork(input: Scenario | unknown, atStep: number, change: ForkChange): Scenario {
  const scenario = validateScenario(input);
  const timeline = [...scenario.timeline];
  if (!Number.isInteger(atStep) || atStep < 0 || atStep > timeline.length)
    throw new RangeError(`fork: atStep must be a step from 0 to ${timeline.length}`);
  const insert = (a: WorldAction) => timeline.splice(atStep, 0, structuredClone(a));
  switch (change.kind) {
    case 'protocol':
      insert({ do: 'protocol', device: change.device, protocol: change.protocol });
      break;
    case 'settings':
      insert({ do: 'settings', device: change.device, settings: change.settings });
      break;
    case 'addDevice':
      insert({ do: 'addDevice', device: change.device });
      break;
    case 'lose':
      insert({ do: 'lose', device: change.device });
      break;
    case 'insert':
      insert(change.action);
      break;
    case 'remove':
      if (atStep >= timeline.length) throw new RangeError('fork: there is no step to remove there');
      timeline.splice(atStep, 1);
      break;
    case 'move': {
      const from = change.step;
      if (!Number.isInteger(from) || from < 0 || from >= timeline.length)
        throw new RangeError(`fork: step must be a step from 0 to ${timeline.length - 1}`);
      const [moved] = timeline.splice(from, 1);
      timeline.splice(from < atStep ? atStep - 1 : atStep, 0, moved);
      break;
    }
  }
  return validateScenario({ ...structuredClone(scenario), id: `${scenario.id}-what-if`, timeline });
}
