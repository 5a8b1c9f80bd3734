/**
 * The decision guide (claim C10): a few questions about the learner's situation, a
 * recommendation, and each reason tied to the moment of a comparison that shows it happening.
 * Pure data and logic; the component asks and links.
 */
import type { Scenario, WorldAction } from '../../world/scenario';

export type Devices = 'one' | 'few' | 'many';
export type YesNo = 'yes' | 'no';

export interface Answers {
  /** How many devices read this mailbox. */
  devices: Devices;
  /** Must read / flagged / folders agree on every device? */
  agree: YesNo;
  /** Do you mind mail piling up on the server (and paying for the space)? */
  mindStorage: YesNo;
  /** Do you keep backups of your own computer? */
  backups: YesNo;
  /** Do you need your mail when you have no network? */
  offline: YesNo;
}

export interface Question<K extends keyof Answers = keyof Answers> {
  key: K;
  text: string;
  options: { value: Answers[K]; label: string }[];
}

export const QUESTIONS: Question[] = [
  {
    key: 'devices',
    text: 'How many devices read this mailbox?',
    options: [
      { value: 'one', label: 'One computer' },
      { value: 'few', label: 'Two or three (say a phone and a laptop)' },
      { value: 'many', label: 'Four or more' },
    ],
  },
  {
    key: 'agree',
    text: 'Should a message you read, flag or file on one device look the same on the others?',
    options: [
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No, each device on its own is fine' },
    ],
  },
  {
    key: 'mindStorage',
    text: 'Do you mind mail piling up on the server, perhaps paying for more space?',
    options: [
      { value: 'yes', label: 'Yes, keep the server small' },
      { value: 'no', label: 'No, space is cheap or included' },
    ],
  },
  {
    key: 'backups',
    text: 'Do you back up your computer yourself?',
    options: [
      { value: 'yes', label: 'Yes, regularly' },
      { value: 'no', label: 'No, or rarely' },
    ],
  },
  {
    key: 'offline',
    text: 'Do you need to read your mail without a network?',
    options: [
      { value: 'yes', label: 'Yes, often' },
      { value: 'no', label: 'Rarely' },
    ],
  },
] as Question[];

/** Where a reason can be seen: a scenario and the timeline step (1-based) that shows it. */
export interface Moment {
  scenario: string;
  /** Picks the step: the first timeline action for which this is true (the step after it is shown). */
  at: (action: WorldAction, index: number) => boolean;
  /** What to show when `at` finds nothing: the end of the story. */
  fallback?: 'end';
}

export interface Reason {
  /** Which way it points. */
  favours: 'pop3' | 'imap';
  /** How much it weighs (the recommendation is the heavier side). */
  weight: number;
  text: string;
  claims: string[];
  moment: Moment;
  /** What to look at when the comparison opens. */
  look: string;
}

export interface Recommendation {
  protocol: 'pop3' | 'imap';
  /** Both sides weigh about the same. */
  close: boolean;
  headline: string;
  reasons: Reason[];
}

const checksOn = (device: string) => (a: WorldAction) =>
  a.do === 'check' && (a.device === device || a.device === '*');

export function recommend(a: Answers): Recommendation {
  const reasons: Reason[] = [];
  if (a.devices !== 'one')
    reasons.push({
      favours: 'imap',
      weight: a.devices === 'many' ? 4 : 3,
      text: 'With POP3 the first device to check takes the mail off the server; the others find an empty mailbox. IMAP leaves it there for every device.',
      claims: ['C2', 'C6'],
      moment: { scenario: 'three-devices-pop3', at: checksOn('phone') },
      look: 'the Phone: 0 messages under POP3, 5 under IMAP',
    });
  if (a.agree === 'yes')
    reasons.push({
      favours: 'imap',
      weight: a.devices === 'one' ? 1 : 3,
      text: 'Only IMAP carries read, flagged, moved and deleted to the server, so every device shows the same state.',
      claims: ['C5'],
      moment: { scenario: 'imap-three-devices', at: (x) => x.do === 'advance' },
      look: 'the flags and folders on the Work PC and the Laptop',
    });
  if (a.backups === 'no')
    reasons.push({
      favours: 'imap',
      weight: 2,
      text: 'With IMAP the server keeps a copy of everything: a lost or broken laptop loses nothing. With POP3 the mail was only on that laptop.',
      claims: ['C8'],
      moment: { scenario: 'laptop-lost', at: (x) => x.do === 'lose' },
      look: 'the messages lost with the laptop under POP3, and the new laptop under IMAP',
    });
  else
    reasons.push({
      favours: 'pop3',
      weight: 1,
      text: 'Your own backups cover what POP3 keeps only on your computer.',
      claims: ['C10'],
      moment: { scenario: 'laptop-lost', at: (x) => x.do === 'lose' },
      look: 'what is lost with the laptop: your backup is what would bring it back',
    });
  if (a.mindStorage === 'yes')
    reasons.push({
      favours: 'pop3',
      weight: 2,
      text: 'Under IMAP the server keeps every message, so its storage grows month after month and may pass a paid quota; POP3 keeps it small.',
      claims: ['C7', 'C10'],
      moment: { scenario: 'storage-year', at: () => false, fallback: 'end' },
      look: 'the storage chart: the IMAP line climbing past the quota',
    });
  if (a.devices === 'one')
    reasons.push({
      favours: 'pop3',
      weight: a.agree === 'yes' ? 1 : 2,
      text: 'On one computer POP3 is enough and simplest: everything is downloaded, nothing needs syncing.',
      claims: ['C9'],
      moment: { scenario: 'one-computer', at: () => false, fallback: 'end' },
      look: 'the desktop holding everything under both protocols',
    });
  if (a.offline === 'yes')
    reasons.push({
      favours: 'pop3',
      weight: 0.5,
      text: 'POP3 keeps every message on the device, so everything is there offline (IMAP apps keep copies too, usually of what you opened).',
      claims: ['C2'],
      moment: { scenario: 'three-devices-pop3', at: checksOn('laptop') },
      look: 'the Laptop holding every message once it checked',
    });
  const side = (p: 'pop3' | 'imap') =>
    reasons.filter((r) => r.favours === p).reduce((n, r) => n + r.weight, 0);
  const imap = side('imap');
  const pop3 = side('pop3');
  const protocol = imap >= pop3 ? 'imap' : 'pop3';
  const close = Math.abs(imap - pop3) < 1;
  const headline =
    protocol === 'imap'
      ? close
        ? 'IMAP, by a small margin'
        : 'IMAP: keep the mail on the server and in sync'
      : close
        ? 'POP3, by a small margin'
        : 'POP3: download it and keep it yourself';
  reasons.sort(
    (x, y) => Number(y.favours === protocol) - Number(x.favours === protocol) || y.weight - x.weight,
  );
  return { protocol, close, headline, reasons };
}

/** The position a moment shows: after that many timeline steps (1-based), or the end. */
export function momentStep(m: Moment, scenario: Scenario): number | 'end' {
  const i = scenario.timeline.findIndex((a, k) => m.at(a, k));
  return i < 0 ? 'end' : i + 1;
}

/** The Compare view's link for a moment: `#/compare/<scenario>/<step>` or `/end`. */
export function momentHref(m: Moment, scenario: Scenario | null): string {
  const step = scenario ? momentStep(m, scenario) : 'end';
  return `#/compare/${m.scenario}/${step}`;
}
