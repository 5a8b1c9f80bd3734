/**
 * Mail that arrives in the world: messages a scenario names, and seeded
 * random traffic. No SMTP: delivery is a store operation and an event.
 */
import type { ByteString } from '../mail/types';
import { utf8ToByteString } from '../mail/store';

export interface MessageSpec {
  /** Scenario id of the message; becomes the local part of its Message-ID (`<id@lab.example>`). */
  id: string;
  subject: string;
  from?: string;
  to?: string;
  body?: string;
  /** Pad the body so the whole message is about this many octets (storage stories). */
  size?: number;
}

export const MESSAGE_ID_DOMAIN = 'lab.example';

/** The Message-ID (without brackets) a scenario message id maps to. */
export function messageIdFor(id: string): string {
  return `${id}@${MESSAGE_ID_DOMAIN}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time in UTC, e.g. "Wed, 01 Jan 2025 09:00:00 +0000". */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}

/** Builds an RFC 5322 message with CRLF line ends; text is UTF-8 encoded into octets. */
export function buildMessage(spec: MessageSpec, date: number, defaultTo: string): ByteString {
  const header = [
    `From: ${spec.from ?? 'Lab Sender <sender@lab.example>'}`,
    `To: ${spec.to ?? defaultTo}`,
    `Subject: ${spec.subject}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${messageIdFor(spec.id)}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  let body = (spec.body ?? `This is "${spec.subject}".`).replace(/\r?\n/g, '\r\n');
  let raw = utf8ToByteString(`${header}\r\n\r\n${body}\r\n`);
  if (spec.size !== undefined && spec.size > raw.length) {
    const line = FILLER_LINE;
    let pad = spec.size - raw.length;
    const lines = Math.floor(pad / line.length);
    pad -= lines * line.length;
    // The filler lines are a cut of one shared run of them (no copy), not a line at a time: a
    // year of traffic pads thousands of messages.
    let filler = fillerLines(line, lines);
    if (pad >= 2) filler += 'x'.repeat(pad - 2) + '\r\n';
    else if (pad === 1) {
      body += ' ';
      raw = utf8ToByteString(`${header}\r\n\r\n${body}\r\n`);
    }
    raw += filler;
    // Flat now, in one copy: the store keeps the message for as long as the story lasts.
    raw.indexOf('\0');
  }
  return raw;
}

/** Filler lines of 70 letters + CRLF; none starts with "." so nothing needs dot-stuffing. */
const FILLER_LINE =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod'.slice(0, 70) + '\r\n';
/** The longest run of filler lines made so far (up to a megabyte): shorter runs are cuts of it. */
let fillerRun = '';
function fillerLines(line: string, count: number): string {
  const length = count * line.length;
  if (length > 1 << 20) return line.repeat(count);
  if (fillerRun.length < length)
    fillerRun = line.repeat(
      Math.min(Math.max(count, (fillerRun.length / line.length) * 2), (1 << 20) / line.length),
    );
  return fillerRun.slice(0, length);
}

/** mulberry32: a small, fast, seedable PRNG; its whole state is one 32-bit number (serializable). */
export function nextRandom(state: number): { value: number; state: number } {
  const s = (state + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, state: s };
}

const SUBJECTS = [
  'Invoice',
  'Meeting notes',
  'Weekend plans',
  'Your order has shipped',
  'Photos from the trip',
  'Quarterly report',
  'Newsletter',
  'Lunch?',
  'Flight confirmation',
  'Re: project update',
];
const SENDERS = [
  'Bob <bob@example.org>',
  'Carol <carol@example.net>',
  'Shop <orders@shop.example>',
  'Dan <dan@example.com>',
];

/** A random message for traffic: subject and sender from small lists, size uniform in [min, max]. */
export function randomMessageSpec(
  n: number,
  rng: number,
  size: { min: number; max: number },
): { spec: MessageSpec; rng: number } {
  const a = nextRandom(rng);
  const b = nextRandom(a.state);
  const c = nextRandom(b.state);
  const spec: MessageSpec = {
    id: `t${n}`,
    subject: `${SUBJECTS[Math.floor(a.value * SUBJECTS.length)]} #${n}`,
    from: SENDERS[Math.floor(b.value * SENDERS.length)],
    size: Math.round(size.min + c.value * (size.max - size.min)),
  };
  return { spec, rng: c.state };
}
