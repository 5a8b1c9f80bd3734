/**
 * Scenarios are data: accounts, initial messages, devices with settings and a
 * timeline of actions. Teachers write them as JSON; `validateScenario` reads
 * untrusted input and reports every problem with its path.
 */
import type { SettingsPatch } from '../client/device';
import { DEVICE_KINDS, type DeviceKind } from '../client/types';
import type { Protocol } from '../server/types';
import {
  advanceMs,
  MAX_CHECK_MINUTES,
  MAX_DAYS,
  MAX_EVENTS_PER_ADVANCE,
  MAX_MESSAGE_SIZE,
  MAX_PER_DAY,
  MAX_TOTAL_BYTES,
  MAX_TRAFFIC_MESSAGES,
  shapeProblem,
} from './limits';
import type { MessageSpec } from './messages';

export interface ScenarioMessage extends MessageSpec {
  /** Arrived this many days before the scenario starts (its internal date). */
  daysAgo?: number;
  /** Mailbox on the server; default INBOX. */
  mailbox?: string;
}

export interface ScenarioDevice {
  id: string;
  name?: string;
  kind: DeviceKind;
  /** Used by `runScenario` without an override; `compare` sets every device to POP3, then to IMAP. */
  protocol?: Protocol;
  settings?: SettingsPatch;
  manual?: boolean;
  online?: boolean;
}

/** One step of a timeline; the same values are what a learner's buttons dispatch to a world. */
export type WorldAction =
  | { do: 'deliver'; message: ScenarioMessage }
  /** Starts seeded random mail for the next `days` (it arrives while the clock advances). */
  | { do: 'traffic'; perDay: number; days: number; seed?: number; size?: { min: number; max: number } }
  | { do: 'advance'; days?: number; hours?: number; minutes?: number }
  /** "*" = every device that is not lost, in order. */
  | { do: 'check'; device: string; full?: boolean }
  | { do: 'read' | 'unread' | 'flag' | 'unflag' | 'delete'; device: string; message: string }
  | { do: 'move'; device: string; message: string; to: string }
  | { do: 'createFolder'; device: string; name: string }
  /** offline/online: the network; lose: the device and its local mail are gone; drop: its open connections break (no QUIT/LOGOUT). */
  | { do: 'offline' | 'online' | 'lose' | 'drop'; device: string }
  /** Opens the device's terminal session (the greeting arrives) without typing anything. */
  | { do: 'connect'; device: string }
  | { do: 'addDevice'; device: ScenarioDevice }
  /** The device leaves the story: its connections drop (no QUIT/LOGOUT) and its data is gone from the world. */
  | { do: 'removeDevice'; device: string }
  | { do: 'protocol'; device: string; protocol: Protocol }
  | { do: 'settings'; device: string; settings: SettingsPatch }
  | { do: 'manual'; device: string; line: string }
  | { do: 'note'; text: string }
  | FaultAction;

/**
 * Faults a learner (or a scenario, or a lesson) injects at a step. Each is one step and works
 * under both protocols; what each does, and what it shows, is in FAULTS and docs/world.md.
 */
export type FaultAction =
  | { do: 'fault'; fault: 'drop-before-quit' | 'lockout'; device: string }
  | {
      do: 'fault';
      fault: 'delete-same' | 'expunge-selected' | 'offline-changes';
      device: string;
      /** The second device of the story. */
      other: string;
      message: string;
    };

export type FaultName = FaultAction['fault'];

/** The faults, in the order a menu lists them, with what each needs and says. */
export const FAULTS: Readonly<
  Record<FaultName, { title: string; summary: string; needs: readonly ('other' | 'message')[] }>
> = {
  'drop-before-quit': {
    title: 'Connection dropped before QUIT',
    summary:
      'The device checks mail, and the connection breaks where QUIT (POP3) or LOGOUT (IMAP) would be sent. ' +
      'POP3 never enters UPDATE, so nothing the session marked with DELE is removed; the UIDLs the app ' +
      'noted stop it downloading the same mail again. IMAP had stored every change already.',
    needs: [],
  },
  'delete-same': {
    title: 'Two devices delete the same message',
    summary:
      'The device deletes the message, then the other device deletes its own copy before it has heard of ' +
      'the first delete. IMAP: the message ends in Trash once, not twice. POP3: each deletes its own copy.',
    needs: ['other', 'message'],
  },
  'expunge-selected': {
    title: 'Expunge while another device has the folder open',
    summary:
      'The device deletes the message with \\Deleted and UID EXPUNGE while the other device has INBOX ' +
      'selected. The other device hears "* n EXPUNGE" only when the server may say it (RFC 9051 §7.5.1): at ' +
      'once in IDLE, else after its next command.',
    needs: ['other', 'message'],
  },
  'offline-changes': {
    title: 'A device offline while another changes flags',
    summary:
      'The device goes offline and flags the message; meanwhile the other device marks it read; then the ' +
      'device comes back. IMAP: the queue replays as +FLAGS/-FLAGS changes, so both changes survive. POP3: ' +
      'nothing is shared, each device keeps its own flags.',
    needs: ['other', 'message'],
  },
  lockout: {
    title: 'Locked out by another POP3 session',
    summary:
      'Another POP3 app logs in and holds the maildrop lock while the device checks mail: a POP3 device is ' +
      "refused with -ERR [IN-USE] (RFC 2449 §8.1.1), an IMAP device is not (the lock is POP3's).",
    needs: [],
  },
};

export interface Scenario {
  id: string;
  title: string;
  /** What the story shows, in a sentence or two. */
  summary: string;
  /** Curriculum claims it makes visible (C1..C10). */
  claims: string[];
  /** ISO date-time the virtual clock starts at; default 2025-01-06T09:00:00Z. */
  start?: string;
  account?: { user: string; password: string };
  /** "lab": start from the lab's own mailbox (a dozen real-world messages in INBOX, plus Sent and Archive) before `messages`. */
  mailbox?: 'lab';
  messages?: ScenarioMessage[];
  devices: ScenarioDevice[];
  timeline: WorldAction[];
  /** Storage pricing for the storage story: included quota and the price per GB-month above it. */
  storage?: { quotaBytes: number; pricePerGBMonth: number };
}

export const DEFAULT_START = '2025-01-06T09:00:00Z';
export const DEFAULT_ACCOUNT = { user: 'alice', password: 'wonderland' };

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n  - ${problems.join('\n  - ')}`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const ACTIONS_WITH_MESSAGE = ['read', 'unread', 'flag', 'unflag', 'delete', 'move'];
const ALL_ACTIONS = [
  'deliver',
  'traffic',
  'advance',
  'check',
  ...ACTIONS_WITH_MESSAGE,
  'createFolder',
  'offline',
  'online',
  'lose',
  'drop',
  'connect',
  'addDevice',
  'removeDevice',
  'protocol',
  'settings',
  'manual',
  'note',
  'fault',
];

/** Checks untrusted data and returns it typed, or throws ScenarioError listing every problem. */
export function validateScenario(input: unknown): Scenario {
  const problems: string[] = [];
  const bad = (path: string, why: string) => problems.push(`${path}: ${why}`);
  const str = (o: Obj, key: string, path: string, optional = false): boolean => {
    if (o[key] === undefined && optional) return true;
    if (typeof o[key] !== 'string' || (o[key] as string).length === 0) {
      bad(`${path}.${key}`, 'must be a non-empty string');
      return false;
    }
    return true;
  };
  /** A finite number in [min, max]; true when it is one (absent optional values count as fine). */
  const num = (o: Obj, key: string, path: string, optional = false, min = 0, max = Infinity): boolean => {
    if (o[key] === undefined && optional) return true;
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      bad(
        `${path}.${key}`,
        max === Infinity ? `must be a number >= ${min}` : `must be a number from ${min} to ${max}`,
      );
      return false;
    }
    return true;
  };

  if (!isObj(input)) throw new ScenarioError(['scenario: must be an object']);
  // Before anything walks it: a 100,000-deep or huge value is one clear problem, not a stack overflow.
  const shape = shapeProblem(input);
  if (shape) throw new ScenarioError([`scenario: ${shape}`]);
  const s = input;
  str(s, 'id', 'scenario');
  if (typeof s.id === 'string' && !/^[a-z0-9][a-z0-9-]*$/.test(s.id))
    bad('scenario.id', 'use lower-case letters, digits and "-"');
  str(s, 'title', 'scenario');
  str(s, 'summary', 'scenario');
  if (!Array.isArray(s.claims) || !s.claims.every((c) => typeof c === 'string' && /^C\d+$/.test(c)))
    bad('scenario.claims', 'must be a list like ["C2", "C6"]');
  if (s.start !== undefined && (typeof s.start !== 'string' || Number.isNaN(Date.parse(s.start))))
    bad('scenario.start', 'must be an ISO date-time such as 2025-01-06T09:00:00Z');
  if (s.account !== undefined) {
    if (!isObj(s.account)) bad('scenario.account', 'must be {user, password}');
    else {
      str(s.account, 'user', 'scenario.account');
      str(s.account, 'password', 'scenario.account');
    }
  }
  if (s.mailbox !== undefined && s.mailbox !== 'lab')
    bad('scenario.mailbox', 'must be "lab" (the lab\'s own mailbox) or left out');
  if (s.storage !== undefined) {
    if (!isObj(s.storage)) bad('scenario.storage', 'must be {quotaBytes, pricePerGBMonth}');
    else {
      num(s.storage, 'quotaBytes', 'scenario.storage', false, 0, Number.MAX_SAFE_INTEGER);
      num(s.storage, 'pricePerGBMonth', 'scenario.storage', false, 0, 1e6);
    }
  }

  const messageIds = new Set<string>();
  let messageBytes = 0;
  const checkMessage = (m: unknown, path: string) => {
    if (!isObj(m)) return bad(path, 'must be a message {id, subject, ...}');
    if (str(m, 'id', path)) {
      if (!/^[A-Za-z0-9._-]+$/.test(m.id as string))
        bad(`${path}.id`, 'use letters, digits, ".", "_" or "-"');
      if (messageIds.has(m.id as string)) bad(`${path}.id`, `"${String(m.id)}" is used twice`);
      messageIds.add(m.id as string);
    }
    for (const key of ['subject', 'from', 'to'])
      if (str(m, key, path, key !== 'subject') && typeof m[key] === 'string') {
        // A header field is one line (RFC 5322 §2.2): a line break would start a header of its own.
        if (/[\r\n\0]/.test(m[key])) bad(`${path}.${key}`, 'must be one line (no line breaks)');
        else if (m[key].length > 998)
          bad(`${path}.${key}`, 'must be at most 998 characters (RFC 5322 §2.1.1)');
      }
    if (m.body !== undefined && typeof m.body !== 'string') bad(`${path}.body`, 'must be a string');
    if (num(m, 'size', path, true, 1, MAX_MESSAGE_SIZE)) messageBytes += (m.size as number | undefined) ?? 0;
    if (typeof m.body === 'string') messageBytes += m.body.length;
    num(m, 'daysAgo', path, true, 0, MAX_DAYS);
    str(m, 'mailbox', path, true);
  };
  if (s.messages !== undefined) {
    if (!Array.isArray(s.messages)) bad('scenario.messages', 'must be a list');
    else if (s.messages.length > MAX_TRAFFIC_MESSAGES)
      bad('scenario.messages', `at most ${MAX_TRAFFIC_MESSAGES} messages`);
    else s.messages.forEach((m, i) => checkMessage(m, `messages[${i}]`));
  }

  const deviceIds = new Set<string>();
  /** Each device's check interval as the timeline goes (for the work an advance would do). */
  const intervals = new Map<string, number | null>();
  /** Random messages a day while a traffic step lasts, and when it ends (ms from the start). */
  let traffic: { perDay: number; until: number } | null = null;
  let elapsed = 0;
  const checkSettings = (v: unknown, path: string) => {
    if (!isObj(v)) return bad(path, 'must be an object');
    for (const k of Object.keys(v))
      if (!['checkEveryMinutes', 'pop3', 'imap'].includes(k)) bad(`${path}.${k}`, 'unknown setting');
    if (v.checkEveryMinutes !== undefined && v.checkEveryMinutes !== null)
      num(v, 'checkEveryMinutes', path, false, 1, MAX_CHECK_MINUTES);
    if (v.pop3 !== undefined) {
      if (!isObj(v.pop3)) bad(`${path}.pop3`, 'must be an object');
      else
        for (const [k, x] of Object.entries(v.pop3)) {
          if (k === 'leaveOnServer' || k === 'removeWhenDeletedHere') {
            if (typeof x !== 'boolean') bad(`${path}.pop3.${k}`, 'must be true or false');
          } else if (k === 'removeAfterDays') {
            if (x !== null && (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > MAX_DAYS))
              bad(`${path}.pop3.${k}`, `must be a number of days (0 to ${MAX_DAYS}) or null`);
          } else bad(`${path}.pop3.${k}`, 'unknown POP3 setting');
        }
    }
    if (v.imap !== undefined) {
      if (!isObj(v.imap)) bad(`${path}.imap`, 'must be an object');
      else
        for (const [k, x] of Object.entries(v.imap)) {
          if (k === 'mode') {
            if (x !== 'poll' && x !== 'idle') bad(`${path}.imap.mode`, 'must be "poll" or "idle"');
          } else if (k === 'deleteAction') {
            if (x !== 'trash' && x !== 'expunge')
              bad(`${path}.imap.deleteAction`, 'must be "trash" or "expunge"');
          } else bad(`${path}.imap.${k}`, 'unknown IMAP setting');
        }
    }
  };
  const checkDevice = (d: unknown, path: string) => {
    if (!isObj(d)) return bad(path, 'must be a device {id, kind, ...}');
    if (str(d, 'id', path)) {
      if (deviceIds.has(d.id as string)) bad(`${path}.id`, `"${String(d.id)}" is used twice`);
      if (d.id === '*') bad(`${path}.id`, '"*" is reserved for "every device"');
      deviceIds.add(d.id as string);
      const every = isObj(d.settings) ? d.settings.checkEveryMinutes : undefined;
      intervals.set(d.id as string, typeof every === 'number' && every >= 1 ? every : null);
    }
    str(d, 'name', path, true);
    if (!DEVICE_KINDS.includes(d.kind as DeviceKind))
      bad(`${path}.kind`, `must be one of ${DEVICE_KINDS.join(', ')}`);
    if (d.protocol !== undefined && d.protocol !== 'pop3' && d.protocol !== 'imap')
      bad(`${path}.protocol`, 'must be "pop3" or "imap"');
    if (d.settings !== undefined) checkSettings(d.settings, `${path}.settings`);
    if (d.manual !== undefined && typeof d.manual !== 'boolean')
      bad(`${path}.manual`, 'must be true or false');
    if (d.online !== undefined && typeof d.online !== 'boolean')
      bad(`${path}.online`, 'must be true or false');
  };
  if (!Array.isArray(s.devices)) bad('scenario.devices', 'must be a list');
  else s.devices.forEach((d, i) => checkDevice(d, `devices[${i}]`));

  if (!Array.isArray(s.timeline)) bad('scenario.timeline', 'must be a list');
  else
    s.timeline.forEach((a, i) => {
      const path = `timeline[${i}]`;
      if (!isObj(a)) return bad(path, 'must be an action {do: ...}');
      if (typeof a.do !== 'string' || !ALL_ACTIONS.includes(a.do))
        return bad(
          `${path}.do`,
          `unknown action ${JSON.stringify(a.do)}; use one of ${ALL_ACTIONS.join(', ')}`,
        );
      const needsDevice = !['deliver', 'traffic', 'advance', 'addDevice', 'note'].includes(a.do);
      if (needsDevice && str(a, 'device', path)) {
        const id = a.device as string;
        if (!(id === '*' && a.do === 'check') && !deviceIds.has(id))
          bad(`${path}.device`, `unknown device "${id}" (known: ${[...deviceIds].join(', ') || 'none'})`);
      }
      switch (a.do) {
        case 'fault': {
          const f = a.fault;
          if (typeof f !== 'string' || !Object.hasOwn(FAULTS, f)) {
            bad(
              `${path}.fault`,
              `unknown fault ${JSON.stringify(f)}; use one of ${Object.keys(FAULTS).join(', ')}`,
            );
            break;
          }
          const needs = FAULTS[f as FaultName].needs;
          if (needs.includes('other') && str(a, 'other', path)) {
            const other = a.other as string;
            if (!deviceIds.has(other))
              bad(
                `${path}.other`,
                `unknown device "${other}" (known: ${[...deviceIds].join(', ') || 'none'})`,
              );
            else if (other === a.device) bad(`${path}.other`, 'must be another device than device');
          }
          if (needs.includes('message') && str(a, 'message', path)) {
            const ref = a.message as string;
            if (ref !== '*' && !messageIds.has(ref) && !ref.includes('@'))
              bad(`${path}.message`, `unknown message "${ref}" (declare it in messages or a deliver step)`);
          }
          break;
        }
        case 'deliver':
          checkMessage(a.message, `${path}.message`);
          break;
        case 'traffic': {
          const ok = [
            num(a, 'perDay', path, false, 0, MAX_PER_DAY),
            num(a, 'days', path, false, 0, MAX_DAYS),
            num(a, 'seed', path, true, 0, Number.MAX_SAFE_INTEGER),
          ].every(Boolean);
          let mean = 41_000; // the default sizes, 2,000 to 80,000 octets
          if (a.size !== undefined) {
            if (!isObj(a.size)) bad(`${path}.size`, 'must be {min, max}');
            else {
              const okMin = num(a.size, 'min', `${path}.size`, false, 1, MAX_MESSAGE_SIZE);
              const okMax = num(a.size, 'max', `${path}.size`, false, 1, MAX_MESSAGE_SIZE);
              if (okMin && okMax && (a.size.min as number) > (a.size.max as number))
                bad(`${path}.size`, 'min must not be above max');
              if (okMin && okMax) mean = ((a.size.min as number) + (a.size.max as number)) / 2;
            }
          }
          if (ok) {
            const count = (a.perDay as number) * (a.days as number);
            if (count > MAX_TRAFFIC_MESSAGES)
              bad(path, `traffic of ${Math.round(count)} messages; at most ${MAX_TRAFFIC_MESSAGES}`);
            else if (count * mean > MAX_TOTAL_BYTES)
              bad(path, `traffic of about ${Math.round(count * mean)} octets; at most ${MAX_TOTAL_BYTES}`);
            traffic = { perDay: a.perDay as number, until: elapsed + (a.days as number) * 86_400_000 };
          }
          break;
        }
        case 'advance': {
          const ok = [
            num(a, 'days', path, true, 0, MAX_DAYS),
            num(a, 'hours', path, true, 0, MAX_DAYS * 24),
            num(a, 'minutes', path, true, 0, MAX_DAYS * 24 * 60),
          ].every(Boolean);
          if (a.days === undefined && a.hours === undefined && a.minutes === undefined)
            bad(path, 'advance needs days, hours or minutes');
          else if (ok) {
            const ms = advanceMs(a);
            if (ms > MAX_DAYS * 86_400_000) bad(path, `advance of more than ${MAX_DAYS} days`);
            // The work this advance would do: every scheduled check and random delivery.
            let work = 0;
            for (const every of intervals.values()) if (every) work += ms / (every * 60_000);
            if (traffic)
              work += (traffic.perDay * Math.max(0, Math.min(ms, traffic.until - elapsed))) / 86_400_000;
            if (work > MAX_EVENTS_PER_ADVANCE)
              bad(
                path,
                `advance would run about ${Math.round(work)} checks and deliveries; at most ${MAX_EVENTS_PER_ADVANCE} (advance in shorter steps or check less often)`,
              );
            elapsed += ms;
          }
          break;
        }
        case 'createFolder':
          str(a, 'name', path);
          break;
        case 'addDevice':
          checkDevice(a.device, `${path}.device`);
          break;
        case 'protocol':
          if (a.protocol !== 'pop3' && a.protocol !== 'imap')
            bad(`${path}.protocol`, 'must be "pop3" or "imap"');
          break;
        case 'settings':
          checkSettings(a.settings, `${path}.settings`);
          if (
            isObj(a.settings) &&
            a.settings.checkEveryMinutes !== undefined &&
            typeof a.device === 'string'
          ) {
            const every = a.settings.checkEveryMinutes;
            intervals.set(a.device, typeof every === 'number' && every >= 1 ? every : null);
          }
          break;
        case 'manual':
          if (typeof a.line !== 'string') bad(`${path}.line`, 'must be a string');
          else if (a.line.length > 100_000) bad(`${path}.line`, 'at most 100000 characters');
          break;
        case 'note':
          str(a, 'text', path);
          break;
      }
      if (ACTIONS_WITH_MESSAGE.includes(a.do) && str(a, 'message', path)) {
        const ref = a.message as string;
        if (ref !== '*' && !messageIds.has(ref) && !ref.includes('@'))
          bad(`${path}.message`, `unknown message "${ref}" (declare it in messages or a deliver step)`);
      }
      if (a.do === 'move') str(a, 'to', path);
    });

  if (messageBytes > MAX_TOTAL_BYTES)
    bad('scenario.messages', `about ${messageBytes} octets of messages; at most ${MAX_TOTAL_BYTES}`);
  if (problems.length) throw new ScenarioError(problems);
  return s as unknown as Scenario;
}
