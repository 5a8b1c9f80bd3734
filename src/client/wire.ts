/**
 * The client side of the wire: reading POP3 replies and IMAP responses out of
 * the bytes a Connection delivered. Devices never look at the store; all they
 * know comes through these readers, exactly as a real mail app.
 */
import type { ByteString } from '../mail/types';

// ---- POP3 (RFC 1939 §3) -------------------------------------------------------

export interface Pop3Reply {
  ok: boolean;
  /** The status line without "+OK "/"-ERR " (may start with an RFC 2449 response code). */
  text: string;
  /** RFC 2449 §8 response code such as "IN-USE" or "AUTH", when present. */
  code: string | null;
  /** Body lines of a multi-line reply, dot-unstuffed, without the final ".". */
  lines: ByteString[];
  /** Exactly the bytes the server sent for this reply. */
  raw: ByteString;
}

/**
 * Takes one POP3 reply off the front of `buffer`. Returns null when the reply
 * is not complete yet. `multiLine` says whether a "+OK" opens a multi-line
 * body (RETR, TOP, UIDL/LIST without argument, CAPA); "-ERR" never does.
 */
export function takePop3Reply(
  buffer: ByteString,
  multiLine: boolean,
): { reply: Pop3Reply; rest: ByteString } | null {
  const eol = buffer.indexOf('\r\n');
  if (eol < 0) return null;
  const status = buffer.slice(0, eol);
  const ok = status.startsWith('+OK');
  // What /^(\+OK|-ERR) ?/ leaves, without a RegExp per reply.
  let skip = ok ? 3 : status.startsWith('-ERR') ? 4 : 0;
  if (skip > 0 && status.charCodeAt(skip) === 32) skip++;
  const text = skip > 0 ? status.slice(skip) : status;
  const codeMatch = text.charCodeAt(0) === 0x5b /* [ */ ? /^\[([^\]]*)\]/.exec(text) : null;
  const code = codeMatch ? codeMatch[1] : null;
  if (!ok || !multiLine) {
    return {
      reply: { ok, text, code, lines: [], raw: buffer.slice(0, eol + 2) },
      rest: buffer.slice(eol + 2),
    };
  }
  // The body ends with CRLF "." CRLF (§3); the termination may directly follow the status line.
  let end: number;
  const bodyStart = eol + 2;
  if (buffer.startsWith('.\r\n', bodyStart)) end = bodyStart;
  else {
    const term = buffer.indexOf('\r\n.\r\n', eol);
    if (term < 0) return null;
    end = term + 2;
  }
  const raw = buffer.slice(0, end + 3);
  const rest = buffer.slice(end + 3);
  // The body lines are split only when asked for: a year of checks reads millions of UIDL
  // lines straight out of `raw` (pop3.ts) and never needs them as an array.
  return { reply: new MultiLineReply(text, code, raw, bodyStart), rest };
}

/** A multi-line +OK reply whose `lines` are split from `raw` when first read (a class: no closure per reply). */
class MultiLineReply implements Pop3Reply {
  readonly ok = true;
  private split: ByteString[] | null = null;
  constructor(
    readonly text: string,
    readonly code: string | null,
    readonly raw: ByteString,
    private readonly bodyStart: number,
  ) {}

  get lines(): ByteString[] {
    return (this.split ??= splitPop3Body(this.raw, this.bodyStart));
  }
}

/** Body lines of a multi-line reply whose body starts at `bodyStart` in `raw`, dot-unstuffed. */
function splitPop3Body(raw: ByteString, bodyStart: number): ByteString[] {
  const body = raw.slice(bodyStart, raw.length - 3);
  const lines = body.length === 0 ? [] : body.slice(0, -2).split('\r\n');
  // Byte-stuffing (§3): a line starting with "." had one "." prepended.
  for (let i = 0; i < lines.length; i++) if (lines[i].charCodeAt(0) === 46) lines[i] = lines[i].slice(1);
  return lines;
}

/**
 * The body of a multi-line reply as the message octets: dot-unstuffed, every line ending in CRLF
 * (exactly `lines.join('\r\n') + '\r\n'`, built without the array). For a single-line reply, CRLF.
 */
export function pop3Body(reply: Pop3Reply): ByteString {
  const raw = reply.raw;
  const start = raw.indexOf('\r\n') + 2;
  if (start >= raw.length || raw.length - start < 3) return '\r\n';
  const body = raw.slice(start, raw.length - 3);
  if (body.length === 0) return '\r\n';
  let out = body.indexOf('\r\n.') >= 0 ? body.replace(/\r\n\./g, '\r\n') : body;
  if (out.charCodeAt(0) === 46) out = out.slice(1);
  return out;
}

// ---- IMAP (RFC 9051 §7, formal syntax §9) ---------------------------------------

/** A parsed IMAP value: atom/number (string), quoted or literal string, NIL (null), or a list. */
export type ImapValue = string | null | ImapValue[] | { literal: ByteString };

export interface ImapResponse {
  /** "*" for untagged, "+" for a continuation request, or the command tag. */
  tag: string;
  /** The whole response as it crossed the wire, literals included. */
  raw: ByteString;
  /** Text of the response with each literal's bytes cut out (for logging and simple matching). */
  line: string;
  /** Literals in order of appearance. */
  literals: ByteString[];
}

/**
 * Takes one complete IMAP response off the front of `buffer`: a line, plus any
 * literal `{n}` CRLF <n octets> and the rest of the line after it (§4.3).
 */
export function takeImapResponse(buffer: ByteString): { response: ImapResponse; rest: ByteString } | null {
  let pos = 0;
  let line = '';
  const literals: ByteString[] = [];
  for (;;) {
    const eol = buffer.indexOf('\r\n', pos);
    if (eol < 0) return null;
    const part = buffer.slice(pos, eol);
    // Only a line that ends with "}" can announce a literal.
    const lit = buffer.charCodeAt(eol - 1) === 0x7d ? /\{(\d+)\+?\}$/.exec(part) : null;
    if (!lit) {
      line += part;
      pos = eol + 2;
      break;
    }
    const n = Number(lit[1]);
    if (buffer.length < eol + 2 + n) return null;
    line += part;
    literals.push(buffer.slice(eol + 2, eol + 2 + n));
    pos = eol + 2 + n;
  }
  const sp = line.indexOf(' ');
  const tag = sp < 0 ? line : line.slice(0, sp);
  return { response: { tag, raw: buffer.slice(0, pos), line, literals }, rest: buffer.slice(pos) };
}

/** Status of a tagged or untagged status response ("OK", "NO", "BAD", "BYE", "PREAUTH"), or null. */
export function responseStatus(r: ImapResponse): string | null {
  const m = /^\S+ (OK|NO|BAD|BYE|PREAUTH)\b/i.exec(r.line);
  return m ? m[1].toUpperCase() : null;
}

/** The bracketed response code of a status response, e.g. ["UIDVALIDITY", "3"] or ["COPYUID", "5", "1:2", "7:8"]. */
export function responseCode(r: ImapResponse): string[] | null {
  const m = /^\S+ (?:OK|NO|BAD|BYE|PREAUTH) \[([^\]]*)\]/i.exec(r.line);
  if (!m) return null;
  return m[1].split(' ');
}

/**
 * Parses the values of a response after its first `skip` space-separated words.
 * Literal placeholders in `line` ({n}) are replaced by the response's literals in order.
 */
export function parseImapValues(r: ImapResponse, skip = 0): ImapValue[] {
  const p = new ValueParser(r);
  for (let i = 0; i < skip; i++) p.skipWord();
  return p.values(null);
}

class ValueParser {
  private pos = 0;
  private lit = 0;
  private readonly s: string;
  constructor(private readonly r: ImapResponse) {
    this.s = r.line;
  }

  skipWord(): void {
    const sp = this.s.indexOf(' ', this.pos);
    this.pos = sp < 0 ? this.s.length : sp + 1;
  }

  values(close: string | null): ImapValue[] {
    const out: ImapValue[] = [];
    const s = this.s;
    const closeCode = close === null ? -1 : close.charCodeAt(0);
    // The position is kept in a local while scanning (a field written per character was most of
    // the parse's time) and handed back to `this.pos` around the nested readers.
    let pos = this.pos;
    while (pos < s.length) {
      const c = s.charCodeAt(pos);
      if (c === 0x20 /* SP */) {
        pos++;
        continue;
      }
      if (c === closeCode) {
        this.pos = pos + 1;
        return out;
      }
      if (c === 0x28 /* ( */) {
        this.pos = pos + 1;
        out.push(this.values(')'));
        pos = this.pos;
      } else if (c === 0x22 /* " */) {
        this.pos = pos;
        out.push(this.quoted());
        pos = this.pos;
      } else if (c === 0x7b /* { */) {
        const end = s.indexOf('}', pos);
        pos = end < 0 ? s.length : end + 1;
        out.push({ literal: this.r.literals[this.lit++] ?? '' });
      } else {
        const end = atomEnd(s, pos);
        const word = s.slice(pos, end);
        pos = end;
        out.push(isNil(word) ? null : word);
      }
    }
    this.pos = pos;
    return out;
  }

  private quoted(): string {
    // quoted = DQUOTE *QUOTED-CHAR DQUOTE with "\" escaping "\" and DQUOTE (§9).
    // Most strings hold no escape: then they are exactly the octets up to the next DQUOTE.
    const close = this.s.indexOf('"', this.pos + 1);
    if (close >= 0) {
      const plain = this.s.slice(this.pos + 1, close);
      if (!plain.includes('\\')) {
        this.pos = close + 1;
        return plain;
      }
    }
    let out = '';
    this.pos++;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++];
      if (c === '\\') out += this.s[this.pos++] ?? '';
      else if (c === '"') break;
      else out += c;
    }
    return out;
  }
}

/**
 * Where the atom starting at `start` ends. An atom may carry a bracketed section with spaces
 * inside, e.g. BODY[HEADER.FIELDS (SUBJECT)].
 */
function atomEnd(s: string, start: number): number {
  let depth = 0;
  let pos = start;
  while (pos < s.length) {
    const c = s.charCodeAt(pos);
    if (c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */) depth--;
    else if (depth === 0 && (c === 32 || c === 41 || c === 40) /* SP ) ( */) break;
    pos++;
  }
  return pos;
}

/** NIL in any case, without making an upper-case copy of every atom. */
function isNil(word: string): boolean {
  return (
    word.length === 3 &&
    (word.charCodeAt(0) | 0x20) === 0x6e &&
    (word.charCodeAt(1) | 0x20) === 0x69 &&
    (word.charCodeAt(2) | 0x20) === 0x6c
  );
}

/** Text of a string-ish value (quoted, atom or literal); null for NIL or lists. */
export function valueText(v: ImapValue | undefined): string | null {
  if (v === null || v === undefined || Array.isArray(v)) return null;
  return typeof v === 'string' ? v : v.literal;
}

/**
 * The attribute map of a `* n FETCH (...)` response: `fetchItems(parseImapValues(r, 3)[0] ?? [])`,
 * read once per response. The app's mirror of the mailbox reads every FETCH response and the
 * command that asked for it reads it again; a FETCH with a message body is a long parse. Read
 * only: the map is shared.
 */
export function fetchItemsOf(r: ImapResponse): ReadonlyMap<string, ImapValue> {
  if (r !== lastFetchResponse) {
    lastFetchItems = fetchItems((parseImapValues(r, 3)[0] as ImapValue[]) ?? []);
    lastFetchResponse = r;
  }
  return lastFetchItems!;
}
let lastFetchResponse: ImapResponse | null = null;
let lastFetchItems: Map<string, ImapValue> | null = null;

/** Turns a FETCH attribute list `(UID 4 FLAGS (\Seen) ...)` into a map keyed by upper-case item name. */
export function fetchItems(list: ImapValue[]): Map<string, ImapValue> {
  const map = new Map<string, ImapValue>();
  for (let i = 0; i + 1 < list.length; i += 2) {
    const key = list[i];
    if (typeof key === 'string') map.set(key.toUpperCase(), list[i + 1]);
  }
  return map;
}

/** IMAP quoted string for a command argument (mailbox names, user names, passwords). */
export function imapQuote(s: string): string {
  // Most names hold neither: then there is nothing to escape (and no RegExp to run).
  if (s.indexOf('"') < 0 && s.indexOf('\\') < 0) return '"' + s + '"';
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/** Compact sequence set for sorted numbers: [1,2,3,7] -> "1:3,7" (RFC 9051 §9 sequence-set). */
export function sequenceSet(sorted: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Expands a sequence set of plain numbers ("5:7,9") into the numbers; "*" is not expected here. */
export function expandSequenceSet(set: string): number[] {
  const out: number[] = [];
  for (const part of set.split(',')) {
    const [a, b] = part.split(':').map(Number);
    if (b === undefined) out.push(a);
    else for (let n = Math.min(a, b); n <= Math.max(a, b); n++) out.push(n);
  }
  return out;
}
