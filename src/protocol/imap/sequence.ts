/**
 * Sequence sets (RFC 9051 §9: sequence-set, seq-range, seq-number; §6.4.8 for UIDs).
 *
 *   sequence-set = (seq-number / seq-range) ["," sequence-set]
 *   seq-range    = seq-number ":" seq-number   ; either order: 4:2 is 2:4
 *   seq-number   = nz-number / "*"             ; "*" is the largest number in use
 */
import { ImapParseError } from './parser';

/** `Infinity` stands for "*". */
export type SeqRange = readonly [number, number];

export interface SequenceSet {
  ranges: SeqRange[];
  text: string;
}

const NUMBER_RE = /^[1-9]\d{0,9}$/;

/** Dovecot's words for a set it cannot read: "Invalid messageset", or "Invalid uidset" in UID commands. */
export const INVALID_MESSAGESET = 'Invalid messageset';
export const INVALID_UIDSET = 'Invalid uidset';

function seqNumber(s: string, pos: number, error: string): number {
  if (s === '*') return Infinity;
  if (!NUMBER_RE.test(s) || Number(s) > 0xffffffff) throw new ImapParseError(error, pos);
  return Number(s);
}

export function isSequenceSet(s: string): boolean {
  return /^(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*$/.test(s);
}

/** `error` is the BAD text for a set that is not one (INVALID_UIDSET when `s` is a UID set). */
export function parseSequenceSet(s: string, pos = 0, error = INVALID_MESSAGESET): SequenceSet {
  if (s === '' || s.length > 100000) throw new ImapParseError(error, pos);
  const ranges: SeqRange[] = [];
  for (const part of s.split(',')) {
    const bits = part.split(':');
    if (bits.length > 2) throw new ImapParseError(error, pos);
    const a = seqNumber(bits[0], pos, error);
    const b = bits.length === 2 ? seqNumber(bits[1], pos, error) : a;
    ranges.push(a <= b ? [a, b] : [b, a]);
  }
  return { ranges, text: s };
}

/**
 * Message sequence numbers of a set, ascending, without duplicates, for a mailbox of `exists`
 * messages. Returns null when a number lies outside 1..exists (Dovecot answers FETCH/STORE
 * such sets with BAD "Invalid messageset"; SEARCH simply matches nothing there).
 */
export function resolveSequence(set: SequenceSet, exists: number, strict: boolean): number[] | null {
  const marks = new Uint8Array(exists + 1);
  for (const [a0, b0] of set.ranges) {
    const a = a0 === Infinity ? exists : a0;
    const b = b0 === Infinity ? exists : b0;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (strict && (lo < 1 || hi > exists)) return null;
    for (let i = Math.max(1, lo); i <= Math.min(hi, exists); i++) marks[i] = 1;
  }
  const out: number[] = [];
  for (let i = 1; i <= exists; i++) if (marks[i]) out.push(i);
  return out;
}

/**
 * Indexes (0-based) into a UID-ascending list of the UIDs a UID set names. "*" is the highest
 * UID in the list, so `n:*` always includes the last message (RFC 9051 §6.4.8).
 */
export function resolveUidSet(set: SequenceSet, uids: ArrayLike<number>): number[] {
  const n = uids.length;
  if (n === 0) return [];
  const max = uids[n - 1];
  // Each range is a run of indices [from, to) of the ascending list, found by binary search:
  // a mail app's "UID FETCH 5016:*" on a 5,000-message mailbox looks at no other message.
  const runs: Array<[number, number]> = [];
  for (const [a0, b0] of set.ranges) {
    const a = a0 === Infinity ? max : a0;
    const b = b0 === Infinity ? max : b0;
    const from = lowerBound(uids, Math.min(a, b));
    const to = lowerBound(uids, Math.max(a, b) + 1);
    if (from < to) runs.push([from, to]);
  }
  if (runs.length > 1) runs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  let next = 0;
  for (const [from, to] of runs) for (let i = Math.max(from, next); i < to; i++, next = i) out.push(i);
  return out;
}

/** First index whose value is >= x in an ascending list. */
export function lowerBound(list: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Compact form of an ascending number list: 1:3,5,7:9 (for COPYUID, ESEARCH ALL). */
export function compactSet(nums: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < nums.length;) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    parts.push(j > i ? `${nums[i]}:${nums[j]}` : `${nums[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}
