/**
 * SEARCH keys (RFC 9051 §6.4.4, §9 search-key) parsed into a tree, and its evaluation against
 * a session's view. Several keys side by side mean AND; OR takes two keys; NOT one;
 * parentheses group.
 */
import { decodeEncodedWords, decodeText, getMime, headerValues, walkParts } from '../../mail/mime';
import { byteStringToUtf8, messageHasFlag } from '../../mail/store';
import type { StoredMessage } from '../../mail/types';
import { checkFlag, parseSearchDate } from './commands/flags';
import { ImapParseError, type Args, type Token } from './parser';
import {
  isSequenceSet,
  parseSequenceSet,
  resolveSequence,
  resolveUidSet,
  type SequenceSet,
} from './sequence';

export type SearchKey =
  | { k: 'all' }
  | { k: 'flag'; flag: string; set: boolean }
  | { k: 'recent'; set: boolean }
  | { k: 'new' }
  | { k: 'header'; field: string; value: string }
  | { k: 'body'; value: string }
  | { k: 'text'; value: string }
  | { k: 'date'; which: 'internal' | 'sent'; op: 'before' | 'on' | 'since'; day: number }
  | { k: 'size'; op: 'larger' | 'smaller'; n: number }
  /** RFC 7162 §3.1.5: MODSEQ [entry-name entry-type] n matches a MODSEQ of n or more. */
  | { k: 'modseq'; n: number }
  | { k: 'seq'; set: SequenceSet }
  | { k: 'uid'; set: SequenceSet }
  | { k: 'not'; key: SearchKey }
  | { k: 'or'; a: SearchKey; b: SearchKey }
  | { k: 'and'; keys: SearchKey[] };

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

const ADDRESS_KEYS = new Set(['FROM', 'TO', 'CC', 'BCC', 'SUBJECT']);

/** A cursor over tokens, so keys can also be read from inside parentheses. */
class KeyReader {
  i = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly endPos: number,
  ) {}
  get done() {
    return this.i >= this.tokens.length;
  }
  next(what: string): Token {
    const t = this.tokens[this.i];
    if (!t) throw new ImapParseError(`Missing ${what}`, this.endPos);
    this.i++;
    return t;
  }
  string(what: string): string {
    const t = this.next(what);
    if (t.t === 'list') throw new ImapParseError(`Expected ${what}`, t.pos);
    return t.v;
  }
  number(what: string): number {
    const t = this.next(what);
    if (t.t !== 'atom' || !/^\d{1,20}$/.test(t.v))
      throw new ImapParseError(`Expected ${what} as a number`, t.pos);
    return Number(t.v);
  }
  date(what: string): number {
    const t = this.next(what);
    if (t.t === 'list') throw new ImapParseError(`Expected ${what}`, t.pos);
    const d = parseSearchDate(t.v);
    if (d === null) throw new ImapParseError(`Invalid search date parameter: ${t.v}`, t.pos);
    return d;
  }
}

function readKey(r: KeyReader, depth: number): SearchKey {
  if (depth > 100) throw new ImapParseError('Search keys nested too deeply', r.endPos);
  const t = r.next('search key');
  if (t.t === 'list') {
    if (!t.v.length) throw new ImapParseError('Empty search key list', t.pos);
    const inner = new KeyReader(t.v, t.pos);
    const keys: SearchKey[] = [];
    while (!inner.done) keys.push(readKey(inner, depth + 1));
    return keys.length === 1 ? keys[0] : { k: 'and', keys };
  }
  if (t.t !== 'atom') throw new ImapParseError('Expected a search key', t.pos);
  const up = t.v.toUpperCase();
  if (FLAG_KEYS[up]) return { k: 'flag', flag: FLAG_KEYS[up][0], set: FLAG_KEYS[up][1] };
  if (ADDRESS_KEYS.has(up)) return { k: 'header', field: up, value: r.string(`${up} value`) };
  switch (up) {
    case 'ALL':
      return { k: 'all' };
    case 'NEW':
      return { k: 'new' };
    case 'OLD':
      return { k: 'recent', set: false };
    case 'RECENT':
      return { k: 'recent', set: true };
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const p = r.tokens[r.i]?.pos ?? r.endPos;
      return { k: 'flag', flag: checkFlag(r.string('keyword'), p), set: up === 'KEYWORD' };
    }
    case 'HEADER': {
      const field = r.string('header field name');
      return { k: 'header', field: field.toUpperCase(), value: r.string('header value') };
    }
    case 'BODY':
      return { k: 'body', value: r.string('BODY value') };
    case 'TEXT':
      return { k: 'text', value: r.string('TEXT value') };
    case 'BEFORE':
    case 'ON':
    case 'SINCE':
      return { k: 'date', which: 'internal', op: up.toLowerCase() as 'before', day: r.date(`${up} date`) };
    case 'SENTBEFORE':
    case 'SENTON':
    case 'SENTSINCE':
      return {
        k: 'date',
        which: 'sent',
        op: up.slice(4).toLowerCase() as 'before',
        day: r.date(`${up} date`),
      };
    case 'MODSEQ': {
      // The optional entry name ("/flags/\\Seen") and type (priv/shared/all) narrow nothing
      // here: a message has one MODSEQ.
      const t = r.tokens[r.i];
      if (t && t.t === 'quoted') {
        r.next('entry name');
        const type = r.string('entry type').toLowerCase();
        if (!['priv', 'shared', 'all'].includes(type)) throw new ImapParseError('Invalid entry type', t.pos);
      }
      return { k: 'modseq', n: r.number('mod-sequence') };
    }
    case 'LARGER':
    case 'SMALLER':
      return { k: 'size', op: up.toLowerCase() as 'larger', n: r.number(`${up} size`) };
    case 'UID': {
      const s = r.next('UID set');
      if (s.t !== 'atom') throw new ImapParseError('Expected a UID set', s.pos);
      return { k: 'uid', set: parseSequenceSet(s.v, s.pos, 'Invalid UID messageset') };
    }
    case 'NOT':
      return { k: 'not', key: readKey(r, depth + 1) };
    case 'OR': {
      const a = readKey(r, depth + 1);
      return { k: 'or', a, b: readKey(r, depth + 1) };
    }
  }
  if (isSequenceSet(t.v)) return { k: 'seq', set: parseSequenceSet(t.v, t.pos) };
  throw new ImapParseError(`Unknown argument ${t.v}`, t.pos);
}

export interface SearchProgram {
  /** ESEARCH RETURN options (RFC 4731), or null for a classic SEARCH. */
  returnOptions: string[] | null;
  charset: string | null;
  key: SearchKey;
}

/** search = "SEARCH" [search-return-opts] [SP "CHARSET" SP charset] 1*(SP search-key) */
export function parseSearch(args: Args): SearchProgram {
  const tokens = args.tokens;
  let i = 0;
  let returnOptions: string[] | null = null;
  let charset: string | null = null;
  const first = tokens[0];
  if (first?.t === 'atom' && first.v.toUpperCase() === 'RETURN') {
    const list = tokens[1];
    if (list?.t !== 'list') throw new ImapParseError('Expected RETURN options list', list?.pos ?? first.pos);
    returnOptions = [];
    for (const o of list.v) {
      const up = o.t === 'atom' ? o.v.toUpperCase() : '';
      if (!['MIN', 'MAX', 'ALL', 'COUNT'].includes(up))
        throw new ImapParseError(`Unknown RETURN option ${o.t === 'list' ? '(...)' : o.v}`, o.pos);
      if (!returnOptions.includes(up)) returnOptions.push(up);
    }
    if (!returnOptions.length) returnOptions = ['ALL'];
    i = 2;
  }
  const c = tokens[i];
  if (c?.t === 'atom' && c.v.toUpperCase() === 'CHARSET') {
    const name = tokens[i + 1];
    if (!name || name.t === 'list') throw new ImapParseError('Missing charset name', c.pos);
    charset = name.v.toUpperCase();
    i += 2;
  }
  const rest = tokens.slice(i);
  const r = new KeyReader(rest, args.pos);
  if (r.done) throw new ImapParseError('Missing search key', args.pos);
  const keys: SearchKey[] = [];
  while (!r.done) keys.push(readKey(r, 0));
  return { returnOptions, charset, key: keys.length === 1 ? keys[0] : { k: 'and', keys } };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface SearchTarget {
  messages: readonly StoredMessage[];
  uids: readonly number[];
  recent: ReadonlySet<number>;
}

/**
 * Substring match as Dovecot's i;unicode-casemap comparator does it (RFC 5051): case folded
 * and with diacritics removed, so "re" finds "Résumé".
 */
function fold(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase() : s.toLowerCase();
}

function contains(haystack: string, needle: string): boolean {
  return fold(haystack).includes(fold(needle));
}

function headerText(m: StoredMessage, field: string): string[] {
  const root = getMime(m.raw);
  return headerValues(root, field).map((v) => decodeEncodedWords(v));
}

function bodyText(m: StoredMessage): string {
  const root = getMime(m.raw);
  let out = '';
  for (const p of walkParts(root)) {
    if (p === root && root.children.length) continue;
    if (p.children.length || p.message) continue;
    if (p.contentType.type.toLowerCase() === 'text' || !p.contentType.explicit)
      out += decodeText(p, m.raw) + '\n';
  }
  return out;
}

/** Day number (days since epoch) of a Date header as written, ignoring time and zone (RFC 9051 §6.4.4). */
function sentDay(m: StoredMessage): number | null {
  const v = headerValues(getMime(m.raw), 'Date')[0];
  if (!v) return null;
  const d = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})/.exec(v);
  if (!d) return null;
  let year = Number(d[3]);
  if (d[3].length === 2) year += year < 50 ? 2000 : 1900;
  const ms = parseSearchDate(`${d[1]}-${d[2]}-${year}`);
  return ms === null ? null : Math.floor(ms / 86400000);
}

function compareDay(day: number | null, op: 'before' | 'on' | 'since', target: number): boolean {
  if (day === null) return false;
  const t = Math.floor(target / 86400000);
  return op === 'before' ? day < t : op === 'on' ? day === t : day >= t;
}

/** Sequence numbers (1-based, ascending) of the messages matching the key. */
export function runSearch(target: SearchTarget, key: SearchKey, utf8: boolean): number[] {
  const n = target.messages.length;
  // Set-valued keys are resolved once, then each message is tested.
  const setCache = new Map<SearchKey, Uint8Array>();
  const setMarks = (k: SearchKey & { set: SequenceSet }): Uint8Array => {
    let marks = setCache.get(k);
    if (!marks) {
      marks = new Uint8Array(n);
      const idx =
        k.k === 'uid'
          ? resolveUidSet(k.set, target.uids)
          : (resolveSequence(k.set, n, false) ?? []).map((s) => s - 1);
      for (const i of idx) marks[i] = 1;
      setCache.set(k, marks);
    }
    return marks;
  };
  const text = (s: string) => (utf8 ? byteStringToUtf8(s) : s);
  const test = (k: SearchKey, i: number): boolean => {
    const m = target.messages[i];
    switch (k.k) {
      case 'all':
        return true;
      case 'flag':
        return messageHasFlag(m, k.flag) === k.set;
      case 'recent':
        return target.recent.has(m.uid) === k.set;
      case 'new':
        return target.recent.has(m.uid) && !messageHasFlag(m, '\\Seen');
      case 'header': {
        const values = headerText(m, k.field);
        if (k.value === '') return values.length > 0;
        return values.some((v) => contains(v, text(k.value)));
      }
      case 'body':
        return contains(bodyText(m), text(k.value));
      case 'text': {
        const header = byteStringToUtf8(m.raw.slice(0, getMime(m.raw).headerEnd));
        return contains(decodeEncodedWords(header), text(k.value)) || contains(bodyText(m), text(k.value));
      }
      case 'date': {
        const day = k.which === 'internal' ? Math.floor(m.internalDate / 86400000) : sentDay(m);
        return compareDay(day, k.op, k.day);
      }
      case 'size':
        return k.op === 'larger' ? m.raw.length > k.n : m.raw.length < k.n;
      case 'modseq':
        return m.modseq >= k.n;
      case 'seq':
      case 'uid':
        return setMarks(k)[i] === 1;
      case 'not':
        return !test(k.key, i);
      case 'or':
        return test(k.a, i) || test(k.b, i);
      case 'and':
        return k.keys.every((x) => test(x, i));
    }
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (test(key, i)) out.push(i + 1);
  return out;
}
