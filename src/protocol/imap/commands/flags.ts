/**
 * Flag lists and dates shared by APPEND, STORE and SEARCH (RFC 9051 §2.3.2, §9).
 *
 *   flag       = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension
 *   date-time  = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
 */
import { canonicalFlag } from '../../../mail/store';
import { isSystemFlag } from '../mailbox-view';
import { ImapParseError, type Token } from '../parser';

const KEYWORD_RE = /^[^\0-\x20\x7f-\xff(){%*"\\\]]+$/;

/** Reads a flag list; `\Recent` may not be set by clients, unknown system flags are refused. */
export function readFlagList(tokens: readonly Token[], pos: number, allowRecent: boolean): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.t !== 'atom') throw new ImapParseError('Flags must be atoms', t.pos);
    out.push(checkFlag(t.v, t.pos, allowRecent));
  }
  void pos;
  return out;
}

export function checkFlag(f: string, pos: number, allowRecent = false): string {
  if (f.startsWith('\\')) {
    if (isSystemFlag(f)) return canonicalFlag(f);
    if (allowRecent && f.toUpperCase() === '\\RECENT') return '\\Recent';
    throw new ImapParseError(`Invalid system flag ${f.toUpperCase()}`, pos);
  }
  if (!KEYWORD_RE.test(f)) throw new ImapParseError(`Invalid flag ${f}`, pos);
  return f;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** date-time as APPEND takes it ("03-Mar-2025 10:15:00 +0100", day may be space-padded). */
export function parseDateTime(s: string): number | null {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2].toLowerCase());
  if (month < 0) return null;
  const [day, year, h, min, sec] = [m[1], m[3], m[4], m[5], m[6]].map(Number);
  if (day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  return Date.UTC(year, month, day, h, min, sec) - offset * 60000;
}

/** date = date-text / DQUOTE date-text DQUOTE, date-text = date-day "-" date-month "-" date-year (SEARCH). */
export function parseSearchDate(s: string): number | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s);
  if (!m) return null;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2].toLowerCase());
  if (month < 0 || Number(m[1]) < 1 || Number(m[1]) > 31) return null;
  return Date.UTC(Number(m[3]), month, Number(m[1]));
}

/** INTERNALDATE as the server writes it: "26-Nov-2025 09:34:23 +0000" (RFC 9051 §9 date-time). */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const time = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `${dd}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${time} +0000`;
}
