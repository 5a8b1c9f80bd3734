/**
 * The MIME model of a stored message: header fields, the multipart tree and the exact octet
 * range of every part, as IMAP needs them for BODY[section], BODY[section.MIME] and
 * BODYSTRUCTURE (RFC 9051 §6.4.5, §7.5.2).
 *
 * Where the RFCs leave room (broken input), the model follows what Dovecot 2.3 does, measured
 * against a running dovecot-imapd (see docs/mime.md): boundaries match as a line prefix, the
 * line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1), a multipart with no
 * usable boundary has one empty text/plain child, message/rfc822 is only opened when its
 * transfer encoding is an identity encoding, and a body's line count is its number of LFs.
 *
 * Everything works on byte strings (one char per octet, see types.ts) and never throws.
 */
import type { ByteString } from './types';

// ---------------------------------------------------------------------------------------------
// Types

export interface HeaderField {
  /** Field name as written, without trailing whitespace. */
  name: string;
  /** Octets after the colon up to (not including) the field's final line break; folding kept. */
  raw: ByteString;
  /** Unfolded value (RFC 5322 §2.2.3): line breaks removed, outer whitespace trimmed. Still bytes. */
  value: ByteString;
  /** Offsets of the whole field in the message, from its name to just after its final line break. */
  start: number;
  end: number;
}

export interface MimeParam {
  /**
   * Attribute name as written. RFC 2231 continuations are merged the way Dovecot reports them
   * in BODYSTRUCTURE: `name*0*=..; name*1=..` becomes one `name*` whose value is the joined,
   * still percent-encoded `charset'lang'value`.
   */
  name: string;
  /** Value with quoting removed (still the header's bytes). */
  value: ByteString;
  /** Human-readable value: RFC 2231 charset and percent-decoding applied, RFC 2047 words decoded. */
  decoded: string;
}

export interface ContentType {
  /** Media type and subtype as written (case kept, as Dovecot reports them); "" when unparsable. */
  type: string;
  subtype: string;
  /** Lower-cased `type/subtype` for comparisons. */
  mediaType: string;
  /**
   * Parameters in Dovecot's BODYSTRUCTURE order: plain ones first, then merged RFC 2231 ones;
   * `charset=us-ascii` appended for text/* without a charset (RFC 2045 §5.2).
   */
  params: MimeParam[];
  /** False when the part had no Content-Type field and the RFC 2045/2046 default applies. */
  explicit: boolean;
}

export interface ContentDisposition {
  /** Disposition type as written (e.g. "attachment", "INLINE"). */
  type: string;
  params: MimeParam[];
}

export interface MimePart {
  /**
   * IMAP part specifier (RFC 9051 §6.4.5): "" for the top-level message, "1", "1.2", ...
   * An encapsulated message (see `message`) carries the specifier of its message/rfc822 part.
   */
  section: string;
  /** Start of this part's header (for a multipart child: just after the delimiter line). */
  headerStart: number;
  /** End of the header including the empty line that ends it (what BODY[HEADER]/[n.MIME] return). */
  headerEnd: number;
  /** First octet of the body (equals headerEnd). */
  bodyStart: number;
  /** End of the body, before the line break that belongs to the next boundary delimiter. */
  bodyEnd: number;
  /** Number of LF octets in the body (BODYSTRUCTURE lines for text/* and message/rfc822). */
  bodyLines: number;
  headers: HeaderField[];
  contentType: ContentType;
  /** Content-Transfer-Encoding as written, "7bit" when absent (RFC 2045 §6.1). */
  contentTransferEncoding: string;
  contentId: string | null;
  contentDescription: string | null;
  contentDisposition: ContentDisposition | null;
  contentLanguage: string[] | null;
  contentLocation: string | null;
  contentMd5: string | null;
  /** Parts of a multipart (always at least one, as Dovecot reports). Empty for other types. */
  children: MimePart[];
  /**
   * The encapsulated message of a message/rfc822 part, whose range equals this part's body.
   * Null for other types, and for message/rfc822 in a non-identity transfer encoding
   * (Dovecot then reports an all-NIL envelope and an empty text/plain body).
   */
  message: MimePart | null;
  /** Preamble and epilogue of a multipart (RFC 2046 §5.1.1), or null. */
  preamble: [number, number] | null;
  epilogue: [number, number] | null;
  /** True for the empty child that stands in for a multipart without any usable part. */
  synthetic: boolean;
}

// ---------------------------------------------------------------------------------------------
// Limits: Dovecot's message parser defaults, which also keep hostile input cheap.

const MAX_NESTING = 100;
const MAX_PARTS = 10000;

const CR = 13;
const LF = 10;
const HYPHEN = 45;

// ---------------------------------------------------------------------------------------------
// Header parsing

interface HeaderBlock {
  fields: HeaderField[];
  /** End of header including the blank line. */
  end: number;
  /** Where a boundary line cut the header short (or -1). */
  boundaryAt: number;
  /** The boundary index matched (or -1) and whether it was a close delimiter. */
  boundary: number;
  close: boolean;
}

function lineEndOf(raw: string, pos: number, limit: number): number {
  const nl = raw.indexOf('\n', pos);
  return nl < 0 || nl >= limit ? limit : nl + 1;
}

/** Content length of the line [start, next) without its line break. */
function contentEnd(raw: string, start: number, next: number): number {
  let e = next;
  if (e > start && raw.charCodeAt(e - 1) === LF) {
    e--;
    if (e > start && raw.charCodeAt(e - 1) === CR) e--;
  }
  return e;
}

function unfold(raw: string): string {
  return raw
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/[\r\n]/g, '')
    .trim();
}

/** Which of the active boundaries (innermost first) starts the line at `pos`; -1 if none. */
function matchBoundary(raw: string, pos: number, limit: number, boundaries: readonly string[]): number {
  if (boundaries.length === 0) return -1;
  if (pos + 2 > limit || raw.charCodeAt(pos) !== HYPHEN || raw.charCodeAt(pos + 1) !== HYPHEN) return -1;
  for (let i = boundaries.length - 1; i >= 0; i--) {
    const b = boundaries[i];
    // Dovecot accepts any line that starts with "--" + boundary (a prefix match), so a
    // delimiter followed by junk still counts; measured, see docs/mime.md.
    if (pos + 2 + b.length <= limit && raw.startsWith(b, pos + 2)) return i;
  }
  return -1;
}

function isCloseDelimiter(raw: string, pos: number, limit: number, boundary: string): boolean {
  const p = pos + 2 + boundary.length;
  return p + 2 <= limit && raw.charCodeAt(p) === HYPHEN && raw.charCodeAt(p + 1) === HYPHEN;
}

function parseHeader(raw: string, start: number, limit: number, boundaries: readonly string[]): HeaderBlock {
  const fields: HeaderField[] = [];
  let pos = start;
  let current: { name: string; start: number; valueStart: number; end: number } | null = null;
  const flush = () => {
    if (!current) return;
    const rawValue = raw.slice(current.valueStart, contentEnd(raw, current.valueStart, current.end));
    fields.push({
      name: current.name,
      raw: rawValue,
      value: unfold(rawValue),
      start: current.start,
      end: current.end,
    });
    current = null;
  };
  while (pos < limit) {
    const next = lineEndOf(raw, pos, limit);
    const ce = contentEnd(raw, pos, next);
    if (ce === pos && next > pos && raw.charCodeAt(next - 1) === LF) {
      // The empty line that ends the header (RFC 5322 §2.1).
      flush();
      return { fields, end: next, boundaryAt: -1, boundary: -1, close: false };
    }
    const b = matchBoundary(raw, pos, limit, boundaries);
    if (b >= 0) {
      // A boundary inside a header ends the part at once (Dovecot does the same).
      flush();
      return {
        fields,
        end: pos,
        boundaryAt: pos,
        boundary: b,
        close: isCloseDelimiter(raw, pos, limit, boundaries[b]),
      };
    }
    const c = raw.charCodeAt(pos);
    if (c === 32 || c === 9) {
      // Folded continuation of the previous field; a leading fold with no field is ignored.
      if (current) current.end = next;
    } else {
      flush();
      const colon = raw.indexOf(':', pos);
      if (colon >= 0 && colon < ce) {
        const name = raw.slice(pos, colon).replace(/[ \t]+$/, '');
        if (name.length > 0) current = { name, start: pos, valueStart: colon + 1, end: next };
      }
      // A line without a colon is not a field; it is skipped like Dovecot skips it.
    }
    pos = next;
  }
  flush();
  return { fields, end: limit, boundaryAt: -1, boundary: -1, close: false };
}

// ---------------------------------------------------------------------------------------------
// Structured header values (RFC 2045 §5.1, RFC 2231, RFC 822 lexical rules)

const TSPECIALS = '()<>@,;:\\"/[]?=';

class Lexer {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  /** Skips whitespace and (nested) comments; returns the text of the last comment seen. */
  skipCfws(): string | null {
    let comment: string | null = null;
    for (;;) {
      while (this.pos < this.s.length && /[ \t\r\n]/.test(this.s[this.pos])) this.pos++;
      if (this.s[this.pos] !== '(') return comment;
      comment = this.comment();
    }
  }
  private comment(): string {
    let depth = 0;
    let out = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos++];
      if (ch === '\\' && this.pos < this.s.length) {
        out += this.s[this.pos++];
        continue;
      }
      if (ch === '(') {
        if (depth > 0) out += ch;
        depth++;
      } else if (ch === ')') {
        depth--;
        if (depth === 0) return out;
        out += ch;
      } else out += ch;
    }
    return out;
  }
  /** RFC 2045 token: any CHAR except SPACE, CTLs and tspecials. */
  token(): string {
    const start = this.pos;
    while (this.pos < this.s.length) {
      const c = this.s.charCodeAt(this.pos);
      if (c <= 32 || c === 127 || TSPECIALS.includes(this.s[this.pos])) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }
  /** Quoted string starting at '"'; backslash escapes removed. Unterminated runs to the end. */
  quoted(): string {
    this.pos++;
    let out = '';
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos++];
      if (ch === '"') return out;
      if (ch === '\\' && this.pos < this.s.length) out += this.s[this.pos++];
      else if (ch !== '\r' && ch !== '\n') out += ch;
    }
    return out;
  }
}

interface RawParam {
  name: string;
  value: string;
}

/**
 * Parameters after the type: `*(";" attribute "=" value)`. On a broken parameter the parser
 * moves one octet on and tries again, as Dovecot's rfc2231 parser does.
 */
function parseParamList(lx: Lexer): RawParam[] {
  const out: RawParam[] = [];
  lx.skipCfws();
  while (!lx.done) {
    if (lx.peek() !== ';') {
      lx.pos++;
      continue;
    }
    lx.pos++;
    lx.skipCfws();
    const name = lx.token();
    lx.skipCfws();
    if (!name || lx.peek() !== '=') {
      // Broken parameter: Dovecot steps over the octet where parsing stopped and looks for
      // the next ";" from there (measured: `a;b="c"; d=e` keeps only d=e).
      lx.pos++;
      continue;
    }
    lx.pos++;
    lx.skipCfws();
    const value = lx.peek() === '"' ? lx.quoted() : lx.token();
    out.push({ name, value });
    lx.skipCfws();
  }
  return out;
}

/** Merges RFC 2231 continuations and orders them the way Dovecot reports them. */
function mergeParams(list: RawParam[]): MimeParam[] {
  const plain: MimeParam[] = [];
  const extended = new Map<
    string,
    { name: string; segments: { index: number; value: string; enc: boolean }[] }
  >();
  for (const p of list) {
    const m = /^(.*?)\*(?:(\d+)\*?|)$/.exec(p.name);
    const star = p.name.indexOf('*');
    if (!m || star < 0) {
      plain.push({ name: p.name, value: p.value, decoded: decodeEncodedWords(p.value) });
      continue;
    }
    const base = m[1];
    const index = m[2] === undefined ? 0 : Number(m[2]);
    const enc = p.name.endsWith('*');
    const key = base.toLowerCase();
    let e = extended.get(key);
    if (!e) extended.set(key, (e = { name: base, segments: [] }));
    e.segments.push({ index, value: p.value, enc });
  }
  const merged: MimeParam[] = [];
  for (const e of extended.values()) {
    e.segments.sort((a, b) => a.index - b.index);
    const anyEnc = e.segments.some((s) => s.enc);
    const value = e.segments.map((s) => s.value).join('');
    let decoded: string;
    if (anyEnc) {
      // charset'language'percent-encoded (RFC 2231 §4); the charset is on the first segment.
      const first = e.segments[0];
      const q1 = first.value.indexOf("'");
      const q2 = q1 >= 0 ? first.value.indexOf("'", q1 + 1) : -1;
      const charset = q2 >= 0 && first.enc ? first.value.slice(0, q1) : 'utf-8';
      let bytes = '';
      e.segments.forEach((s, i) => {
        const v = i === 0 && q2 >= 0 && s.enc ? s.value.slice(q2 + 1) : s.value;
        bytes += s.enc
          ? v.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
          : v;
      });
      decoded = decodeCharset(bytes, charset);
    } else decoded = decodeEncodedWords(value);
    merged.push({ name: anyEnc ? e.name + '*' : e.name, value, decoded });
  }
  return plain.concat(merged);
}

const DEFAULT_CHARSET: MimeParam = { name: 'charset', value: 'us-ascii', decoded: 'us-ascii' };

function parseContentType(value: string | null, parentDigest: boolean): ContentType {
  if (value === null) {
    // RFC 2046 §5.1.5: in a multipart/digest the default part type is message/rfc822;
    // elsewhere RFC 2045 §5.2 gives text/plain; charset=us-ascii.
    return parentDigest
      ? { type: 'message', subtype: 'rfc822', mediaType: 'message/rfc822', params: [], explicit: false }
      : {
          type: 'text',
          subtype: 'plain',
          mediaType: 'text/plain',
          params: [{ ...DEFAULT_CHARSET }],
          explicit: false,
        };
  }
  const lx = new Lexer(value);
  lx.skipCfws();
  const type = lx.token();
  let subtype = '';
  let params: MimeParam[] = [];
  if (type) {
    lx.skipCfws();
    if (lx.peek() === '/') {
      lx.pos++;
      lx.skipCfws();
      subtype = lx.token();
    }
    params = mergeParams(parseParamList(lx));
  }
  if (type.toLowerCase() === 'text' && !params.some((p) => p.name.toLowerCase() === 'charset'))
    params.push({ ...DEFAULT_CHARSET });
  return { type, subtype, mediaType: `${type}/${subtype}`.toLowerCase(), params, explicit: true };
}

function parseDisposition(value: string): ContentDisposition {
  const lx = new Lexer(value);
  lx.skipCfws();
  const type = lx.token();
  return { type, params: mergeParams(parseParamList(lx)) };
}

function parseLanguage(value: string): string[] {
  const out: string[] = [];
  const lx = new Lexer(value);
  while (!lx.done) {
    lx.skipCfws();
    if (lx.peek() === ',') {
      lx.pos++;
      continue;
    }
    const t = lx.token();
    if (t) out.push(t);
    else lx.pos++;
  }
  return out;
}

/** Looks up a parameter by name, case-insensitively (RFC 2045 §5.1). */
export function paramValue(params: readonly MimeParam[], name: string): string | null {
  const n = name.toLowerCase();
  return params.find((p) => p.name.toLowerCase() === n)?.value ?? null;
}

// ---------------------------------------------------------------------------------------------
// The tree

interface ParseState {
  raw: string;
  parts: number;
}

interface Ended {
  part: MimePart;
  /** The boundary (index into the stack) whose delimiter line ended this entity, or -1 at the end. */
  boundary: number;
  /** Offset of that delimiter line. */
  at: number;
  close: boolean;
}

function countLines(raw: string, start: number, end: number): number {
  let n = 0;
  let i = raw.indexOf('\n', start);
  while (i >= 0 && i < end) {
    n++;
    i = raw.indexOf('\n', i + 1);
  }
  return n;
}

/** End of the content that precedes a delimiter line at `at`: its line break belongs to the delimiter. */
function endBefore(raw: string, at: number, floor: number): number {
  let e = at;
  if (e > floor && raw.charCodeAt(e - 1) === LF) {
    e--;
    if (e > floor && raw.charCodeAt(e - 1) === CR) e--;
  }
  return e;
}

/**
 * Scans lines from `pos` until one starts with an active boundary. Returns the delimiter
 * line's offset, or `limit` when none is found.
 */
function scanToBoundary(st: ParseState, pos: number, limit: number, boundaries: readonly string[]) {
  const raw = st.raw;
  if (boundaries.length === 0) return { at: limit, boundary: -1, close: false };
  let p = pos;
  while (p < limit) {
    const b = matchBoundary(raw, p, limit, boundaries);
    if (b >= 0) return { at: p, boundary: b, close: isCloseDelimiter(raw, p, limit, boundaries[b]) };
    // Jump to the next line that could be a delimiter.
    const nl = raw.indexOf('\n--', p);
    if (nl < 0 || nl >= limit) break;
    p = nl + 1;
  }
  return { at: limit, boundary: -1, close: false };
}

function emptyPart(section: string, at: number, parentDigest: boolean): MimePart {
  return {
    section,
    headerStart: at,
    headerEnd: at,
    bodyStart: at,
    bodyEnd: at,
    bodyLines: 0,
    headers: [],
    contentType: parseContentType(null, parentDigest),
    contentTransferEncoding: '7bit',
    contentId: null,
    contentDescription: null,
    contentDisposition: null,
    contentLanguage: null,
    contentLocation: null,
    contentMd5: null,
    children: [],
    message: null,
    preamble: null,
    epilogue: null,
    synthetic: false,
  };
}

function firstField(fields: readonly HeaderField[], name: string): HeaderField | undefined {
  const n = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === n);
}

const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary']);

/**
 * Parses one entity (a message or a body part) starting at `start`, ending at the first line that
 * starts with one of `boundaries` (innermost last), or at `limit`.
 */
function parseEntity(
  st: ParseState,
  start: number,
  limit: number,
  boundaries: string[],
  section: string,
  parentDigest: boolean,
  depth: number,
): Ended {
  const raw = st.raw;
  st.parts++;
  const part = emptyPart(section, start, parentDigest);
  const header = parseHeader(raw, start, limit, boundaries);
  part.headers = header.fields;
  if (header.boundaryAt >= 0) {
    const e = endBefore(raw, header.boundaryAt, start);
    part.headerEnd = part.bodyStart = part.bodyEnd = e;
    applyHeaderFields(part, parentDigest);
    return { part, boundary: header.boundary, at: header.boundaryAt, close: header.close };
  }
  part.headerEnd = part.bodyStart = header.end;
  applyHeaderFields(part, parentDigest);

  const ct = part.contentType;
  const type = ct.type.toLowerCase();
  const boundary = paramValue(ct.params, 'boundary');
  const canNest = depth < MAX_NESTING && st.parts < MAX_PARTS;
  let ended: { at: number; boundary: number; close: boolean };

  if (type === 'multipart' && canNest) {
    ended = parseMultipart(st, part, limit, boundaries, boundary, depth);
  } else if (
    ct.mediaType === 'message/rfc822' &&
    canNest &&
    IDENTITY_ENCODINGS.has(part.contentTransferEncoding.toLowerCase())
  ) {
    const inner = parseEntity(st, part.bodyStart, limit, boundaries, section, false, depth + 1);
    part.message = inner.part;
    part.bodyEnd = inner.part.bodyEnd;
    ended = inner;
    // The encapsulated message's header starts at this part's body, and it ends where this part ends.
  } else {
    ended = scanToBoundary(st, part.bodyStart, limit, boundaries);
    part.bodyEnd = ended.boundary >= 0 ? endBefore(raw, ended.at, part.bodyStart) : ended.at;
  }
  if (ended.boundary >= 0) {
    // The line break before the delimiter belongs to the delimiter even when it is the empty line
    // that ended the header: Dovecot then returns BODY[n.MIME] without that empty line (measured).
    const partEnd = endBefore(raw, ended.at, part.headerStart);
    if (partEnd < part.bodyStart) clampPart(part, partEnd);
  }
  part.bodyLines = countLines(raw, part.bodyStart, part.bodyEnd);
  return { part, boundary: ended.boundary, at: ended.at, close: ended.close };
}

/** Pulls every offset of a part and its descendants back to at most `max`. */
function clampPart(p: MimePart, max: number): void {
  p.headerStart = Math.min(p.headerStart, max);
  p.headerEnd = Math.min(p.headerEnd, max);
  p.bodyStart = Math.min(p.bodyStart, max);
  p.bodyEnd = Math.min(p.bodyEnd, max);
  if (p.preamble) p.preamble = [Math.min(p.preamble[0], max), Math.min(p.preamble[1], max)];
  if (p.epilogue) p.epilogue = [Math.min(p.epilogue[0], max), Math.min(p.epilogue[1], max)];
  for (const c of p.children) clampPart(c, max);
  if (p.message) clampPart(p.message, max);
  p.bodyLines = 0;
}

function parseMultipart(
  st: ParseState,
  part: MimePart,
  limit: number,
  outer: string[],
  boundary: string | null,
  depth: number,
): { at: number; boundary: number; close: boolean } {
  const raw = st.raw;
  const digest = part.contentType.mediaType === 'multipart/digest';
  const childSection = (n: number) => (part.section ? `${part.section}.${n}` : String(n));
  const finish = (end: { at: number; boundary: number; close: boolean }) => {
    part.bodyEnd = end.boundary >= 0 ? endBefore(raw, end.at, part.bodyStart) : end.at;
    if (part.children.length === 0) {
      // Dovecot reports a multipart without any part as having one empty text/plain part.
      const child = emptyPart(childSection(1), part.bodyEnd, false);
      child.synthetic = true;
      part.children.push(child);
    }
    return end;
  };

  if (!boundary) return finish(scanToBoundary(st, part.bodyStart, limit, outer));

  const stack = [...outer, boundary];
  const own = stack.length - 1;
  // Preamble: up to the first delimiter of our own boundary.
  let hit = scanToBoundary(st, part.bodyStart, limit, stack);
  if (hit.boundary !== own) {
    part.preamble = [part.bodyStart, hit.boundary >= 0 ? endBefore(raw, hit.at, part.bodyStart) : hit.at];
    return finish(hit);
  }
  part.preamble = hit.at > part.bodyStart ? [part.bodyStart, endBefore(raw, hit.at, part.bodyStart)] : null;
  while (hit.boundary === own && !hit.close) {
    const childStart = lineEndOf(raw, hit.at, limit);
    if (st.parts >= MAX_PARTS) {
      hit = scanToBoundary(st, childStart, limit, outer);
      break;
    }
    const child = parseEntity(
      st,
      childStart,
      limit,
      stack,
      childSection(part.children.length + 1),
      digest,
      depth + 1,
    );
    part.children.push(child.part);
    hit = child;
  }
  if (hit.boundary === own && hit.close) {
    // Epilogue: after the close delimiter, up to an enclosing boundary or the end (RFC 2046 §5.1.1).
    const epStart = lineEndOf(raw, hit.at, limit);
    const after = scanToBoundary(st, epStart, limit, outer);
    const epEnd = after.boundary >= 0 ? endBefore(raw, after.at, epStart) : after.at;
    part.epilogue = epEnd > epStart ? [epStart, epEnd] : null;
    return finish(after);
  }
  // No close delimiter: the last part ran to an enclosing boundary or to the end.
  return finish(hit);
}

function applyHeaderFields(part: MimePart, parentDigest: boolean): void {
  const f = (name: string) => firstField(part.headers, name)?.value ?? null;
  // The first Content-Type wins, as in Dovecot's parser.
  part.contentType = parseContentType(f('Content-Type'), parentDigest);
  const cte = f('Content-Transfer-Encoding');
  part.contentTransferEncoding = cte ? new Lexer(cte).token() || '7bit' : '7bit';
  part.contentId = f('Content-ID');
  part.contentDescription = f('Content-Description');
  const cd = f('Content-Disposition');
  part.contentDisposition = cd !== null ? parseDisposition(cd) : null;
  const cl = f('Content-Language');
  part.contentLanguage = cl !== null ? parseLanguage(cl) : null;
  const loc = f('Content-Location');
  // RFC 2557 §4.4.1: a folded URL is unfolded by removing the whitespace.
  part.contentLocation = loc !== null ? loc.replace(/[ \t]+/g, '') : null;
  part.contentMd5 = f('Content-MD5');
}

/** Parses a message. Never throws; every range is within [0, raw.length] and nested in its parent's. */
export function parseMime(raw: ByteString): MimePart {
  const st: ParseState = { raw, parts: 0 };
  const root = parseEntity(st, 0, raw.length, [], '', false, 0).part;
  // Whatever follows an unclosed structure belongs to the top-level body.
  root.bodyEnd = raw.length;
  root.bodyLines = countLines(raw, root.bodyStart, root.bodyEnd);
  return root;
}

// ---------------------------------------------------------------------------------------------
// Cache: servers ask for the same message's structure again and again (FETCH, SEARCH, UI).

const CACHE_LIMIT = 20000;
const mimeCache = new Map<string, MimePart>();
const summaryCache = new Map<string, MessageSummary>();

function cached<T>(cache: Map<string, T>, raw: string, make: (raw: string) => T): T {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const value = make(raw);
  if (cache.size >= CACHE_LIMIT) {
    // Drop the oldest quarter (Map keeps insertion order).
    let n = CACHE_LIMIT >> 2;
    for (const k of cache.keys()) {
      cache.delete(k);
      if (--n <= 0) break;
    }
  }
  cache.set(raw, value);
  return value;
}

/**
 * Cached `parseMime`. Treat the result as read-only: it is shared. Keys are the byte strings
 * themselves; the store keeps one string per message, so a hit costs one hash lookup.
 */
export function getMime(raw: ByteString): MimePart {
  return cached(mimeCache, raw, parseMime);
}

/** Empties the caches (tests and memory-conscious callers). */
export function clearMimeCache(): void {
  mimeCache.clear();
  summaryCache.clear();
}

/**
 * The part named by an IMAP section part specifier (RFC 9051 §6.4.5), e.g. "1.2" or [1, 2].
 * A non-multipart message has only part 1 (itself); inside a message/rfc822 part, numbers
 * continue in its encapsulated message. Returns null when there is no such part.
 */
export function findPart(root: MimePart, section: string | number | readonly number[]): MimePart | null {
  const path =
    typeof section === 'number'
      ? [section]
      : typeof section === 'string'
        ? section === ''
          ? []
          : section.split('.').map(Number)
        : section;
  let cur: MimePart = root;
  let container: MimePart | null = root;
  for (const n of path) {
    if (!Number.isInteger(n) || n < 1 || !container) return null;
    if (container.children.length > 0) {
      const next: MimePart | undefined = container.children[n - 1];
      if (!next) return null;
      cur = next;
    } else if (n === 1) cur = container;
    else return null;
    // What the next number indexes into: a multipart's parts, or an encapsulated message.
    container = cur.message ?? (cur.children.length > 0 ? cur : null);
  }
  return cur;
}

/** Every part of the tree, depth first (encapsulated messages included), root first. */
export function walkParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const visit = (p: MimePart) => {
    out.push(p);
    for (const c of p.children) visit(c);
    if (p.message) visit(p.message);
  };
  visit(root);
  return out;
}

/** First header field of that name, unfolded (case-insensitive name match). */
export function headerValue(part: MimePart, name: string): ByteString | null {
  return firstField(part.headers, name)?.value ?? null;
}

/** Every header field of that name, in order. */
export function headerValues(part: MimePart, name: string): ByteString[] {
  const n = name.toLowerCase();
  return part.headers.filter((f) => f.name.toLowerCase() === n).map((f) => f.value);
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Decodes octets in a charset; unknown charsets fall back to UTF-8, then to Latin-1. */
export function decodeCharset(bytes: ByteString, charset: string): string {
  const label = charset.trim().toLowerCase() || 'us-ascii';
  const arr = new Uint8Array(bytes.length);
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i) & 0xff;
    arr[i] = c;
    if (c > 127) ascii = false;
  }
  if (ascii) return bytes;
  try {
    // WHATWG maps us-ascii and iso-8859-1 to windows-1252, which is what mail means in practice.
    return new TextDecoder(label === 'utf8' ? 'utf-8' : label).decode(arr);
  } catch {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(arr);
    } catch {
      return bytes;
    }
  }
}

/** Octets that are valid UTF-8 become text; anything else is read as Latin-1. */
function decodeRawHeaderBytes(s: string): string {
  if (!/[\x80-\xff]/.test(s) || /[^\x00-\xff]/.test(s)) return s;
  try {
    const arr = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) arr[i] = s.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(arr);
  } catch {
    return s;
  }
}

const BASE64_VALUE = (() => {
  const t = new Int16Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  // RFC 4648 §5 alphabet too, since some mailers use it in encoded-words.
  t[45] = 62;
  t[95] = 63;
  return t;
})();

/** Base64 to octets, skipping anything outside the alphabet (RFC 2045 §6.8 says to ignore it). */
export function decodeBase64(input: string): ByteString {
  let out = '';
  let acc = 0;
  let bits = 0;
  const chunks: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 61) break; // '=' padding ends the data
    const v = c < 256 ? BASE64_VALUE[c] : -1;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
      if (out.length >= 8192) {
        chunks.push(out);
        out = '';
      }
    }
  }
  chunks.push(out);
  return chunks.join('');
}

/** Quoted-printable to octets (RFC 2045 §6.7): soft line breaks removed, =XX decoded, bad escapes kept. */
export function decodeQuotedPrintable(input: string): ByteString {
  return input
    .replace(/[ \t]+(?=\r?\n|$)/g, '')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The part's body octets after undoing its Content-Transfer-Encoding. */
export function decodeTransfer(part: MimePart, raw: ByteString): ByteString {
  const body = raw.slice(part.bodyStart, part.bodyEnd);
  const cte = part.contentTransferEncoding.toLowerCase();
  if (cte === 'base64') return decodeBase64(body);
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** The part's body as text: transfer encoding undone, then its charset decoded. */
export function decodeText(part: MimePart, raw: ByteString): string {
  const charset = paramValue(part.contentType.params, 'charset') ?? 'us-ascii';
  return decodeCharset(decodeTransfer(part, raw), charset);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded-words for display. Whitespace between two adjacent encoded-words is
 * dropped (§6.2); adjacent words in the same charset are joined before decoding so a character
 * split across words survives. Raw 8-bit text (RFC 6532) is read as UTF-8 when valid.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return decodeRawHeaderBytes(value);
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: string } | null = null;
  const flushPending = () => {
    if (pending) out += decodeCharset(pending.bytes, pending.charset);
    pending = null;
  };
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m; m = ENCODED_WORD.exec(value)) {
    const gap = value.slice(last, m.index);
    // RFC 2231 §5: charset may carry a language, "charset*lang".
    const charset = m[1].split('*')[0];
    const bytes =
      m[2] === 'B' || m[2] === 'b'
        ? decodeBase64(m[3])
        : m[3]
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const adjacent = pending !== null && /^[ \t\r\n]*$/.test(gap);
    if (!adjacent) {
      flushPending();
      out += decodeRawHeaderBytes(gap);
    }
    const p = pending as { charset: string; bytes: string } | null;
    if (p && p.charset.toLowerCase() === charset.toLowerCase()) p.bytes += bytes;
    else {
      flushPending();
      pending = { charset, bytes };
    }
    last = m.index + m[0].length;
  }
  flushPending();
  out += decodeRawHeaderBytes(value.slice(last));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Addresses (RFC 5322 §3.4), shaped for IMAP ENVELOPE (RFC 9051 §7.5.2)

export interface Address {
  /** Display name as written (quotes removed, encoded-words NOT decoded), or null. */
  name: string | null;
  /** Obsolete source route, e.g. "@a,@b" (RFC 5322 §4.4), or null. */
  adl: string | null;
  /** Local part; "MISSING_MAILBOX" when absent, as Dovecot reports. */
  mailbox: string | null;
  /** Domain; "MISSING_DOMAIN" without "@", "SYNTAX_ERROR" when broken, as Dovecot reports. */
  host: string | null;
}

export interface AddressGroup {
  group: string;
  members: Address[];
}

export type AddressListEntry = Address | AddressGroup;

export function isGroup(entry: AddressListEntry): entry is AddressGroup {
  return (entry as AddressGroup).group !== undefined;
}

/** `ws`: whitespace or a comment came before the token (it separates words of a phrase). */
type AddrToken =
  | { kind: 'word'; text: string; ws: boolean }
  | { kind: 'special'; text: string; ws: boolean }
  | { kind: 'comment'; text: string; ws: boolean };

function tokenizeAddresses(value: string): AddrToken[] {
  const out: AddrToken[] = [];
  const lx = new Lexer(value);
  let ws = false;
  while (!lx.done) {
    const ch = lx.peek();
    if (/[ \t\r\n]/.test(ch)) {
      lx.pos++;
      ws = true;
      continue;
    }
    if (ch === '(') {
      const before = lx.pos;
      const c = lx.skipCfws();
      if (c !== null) out.push({ kind: 'comment', text: c.trim(), ws });
      if (lx.pos === before) lx.pos++;
      ws = true;
      continue;
    }
    if (ch === '"') {
      out.push({ kind: 'word', text: lx.quoted(), ws });
    } else if (ch === '[') {
      const end = value.indexOf(']', lx.pos);
      const stop = end < 0 ? value.length : end + 1;
      out.push({ kind: 'word', text: value.slice(lx.pos, stop), ws });
      lx.pos = stop;
    } else if ('<>,:;@.'.includes(ch)) {
      out.push({ kind: 'special', text: ch, ws });
      lx.pos++;
    } else {
      // atext plus anything else that is not structural: mail in the wild is lenient, so are we.
      const start = lx.pos;
      while (!lx.done && !/[ \t\r\n()"<>,:;@.[]/.test(lx.peek())) lx.pos++;
      if (lx.pos === start) lx.pos++;
      out.push({ kind: 'word', text: value.slice(start, lx.pos), ws });
    }
    ws = false;
  }
  return out;
}

/**
 * Parses an address-list (From, To, Cc, ...). Never throws; broken input gives Dovecot's
 * placeholders. Names keep their encoded-words: decode them with `decodeEncodedWords` for
 * display, send them as they are in an IMAP ENVELOPE.
 */
export function parseAddressList(value: string): AddressListEntry[] {
  const toks = tokenizeAddresses(value);
  let i = 0;
  const out: AddressListEntry[] = [];
  const peek = () => toks[i];
  const isSpecial = (t: AddrToken | undefined, s: string) => t?.kind === 'special' && t.text === s;

  /** Reads a run of words and dots (a phrase or a dot-atom), noting comments. */
  const readPhrase = () => {
    const words: string[] = [];
    let text = '';
    let comment: string | null = null;
    for (let t = peek(); t; t = peek()) {
      if (t.kind === 'comment') {
        comment = t.text;
        i++;
      } else if (t.kind === 'word' || t.text === '.') {
        // Words of a phrase are joined by one space where the source had whitespace (obs-phrase
        // allows "."), so `Joe Q. Public` stays as written.
        if (t.kind === 'word') words.push(t.text);
        text += (text && t.ws ? ' ' : '') + t.text;
        i++;
      } else break;
    }
    return { words, text, comment };
  };

  /** addr-spec after an optional phrase already read as local part. */
  const readAddrSpec = (
    localFromPhrase?: string,
  ): { mailbox: string; host: string | null; broken: boolean } => {
    let local = localFromPhrase;
    if (local === undefined) local = readLocal();
    if (!isSpecial(peek(), '@')) return { mailbox: local, host: null, broken: false };
    i++;
    let domain = '';
    // A comment after the domain is left for the caller: it names a bare addr-spec.
    for (let t = peek(); t && (t.kind === 'word' || isSpecial(t, '.')); t = peek()) {
      domain += t.text;
      i++;
    }
    return { mailbox: local, host: domain || null, broken: !domain };
  };

  const readLocal = (): string => {
    let s = '';
    for (let t = peek(); t && (t.kind === 'word' || isSpecial(t, '.') || t.kind === 'comment'); t = peek()) {
      if (t.kind !== 'comment') s += t.text;
      i++;
    }
    return s;
  };

  const finish = (
    name: string | null,
    adl: string | null,
    spec: { mailbox: string; host: string | null; broken: boolean },
  ): Address => ({
    name: name === '' ? null : name,
    adl,
    mailbox: spec.mailbox === '' ? 'MISSING_MAILBOX' : spec.mailbox,
    host: spec.broken ? 'SYNTAX_ERROR' : spec.host === null ? 'MISSING_DOMAIN' : spec.host,
  });

  /** One mailbox; returns null when there is nothing to read. */
  const readMailbox = (): Address | null => {
    const start = i;
    const phrase = readPhrase();
    const t = peek();
    if (isSpecial(t, '<')) {
      i++;
      let adl: string | null = null;
      if (isSpecial(peek(), '@')) {
        // obs-route: "@a,@b:" before the addr-spec.
        let route = '';
        for (let r = peek(); r && !isSpecial(r, ':') && !isSpecial(r, '>'); r = peek()) {
          route += r.text;
          i++;
        }
        if (isSpecial(peek(), ':')) {
          i++;
          adl = route;
        }
      }
      const spec = readAddrSpec();
      while (peek() && !isSpecial(peek(), '>') && !isSpecial(peek(), ',')) i++;
      if (isSpecial(peek(), '>')) i++;
      const trailing = readPhrase();
      const name = phrase.words.length ? phrase.text : (phrase.comment ?? trailing.comment);
      return finish(name, adl, spec);
    }
    if (i === start && !isSpecial(t, '@')) return null;
    // No angle brackets: the phrase was the local part of an addr-spec; a comment names it.
    const local = phrase.words.length ? phrase.text : '';
    const spec = readAddrSpec(local);
    const trailing = readPhrase();
    return finish(trailing.comment ?? phrase.comment, null, spec);
  };

  let guard = 0;
  while (i < toks.length && guard++ < toks.length * 4 + 8) {
    if (isSpecial(peek(), ',')) {
      i++;
      continue;
    }
    const save = i;
    const phrase = readPhrase();
    if (isSpecial(peek(), ':')) {
      // group = display-name ":" [group-list] ";" (RFC 5322 §3.4)
      i++;
      const members: Address[] = [];
      while (i < toks.length && !isSpecial(peek(), ';')) {
        if (isSpecial(peek(), ',')) {
          i++;
          continue;
        }
        const before = i;
        const m = readMailbox();
        if (m) members.push(m);
        if (i === before) i++;
      }
      if (isSpecial(peek(), ';')) i++;
      out.push({ group: phrase.text, members });
      continue;
    }
    i = save;
    const m = readMailbox();
    if (m) out.push(m);
    if (i === save) i++;
    // Skip junk up to the next comma.
    while (i < toks.length && !isSpecial(peek(), ',')) i++;
  }
  return out;
}

/**
 * The address list as IMAP ENVELOPE wants it (RFC 9051 §7.5.2): a group becomes a start
 * marker (NIL NIL "name" NIL), its members, and an end marker (NIL NIL NIL NIL).
 */
export function toEnvelopeAddresses(list: readonly AddressListEntry[]): Address[] {
  const out: Address[] = [];
  for (const e of list) {
    if (isGroup(e)) {
      out.push({ name: null, adl: null, mailbox: e.group, host: null });
      out.push(...e.members);
      out.push({ name: null, adl: null, mailbox: null, host: null });
    } else out.push(e);
  }
  return out;
}

/** "Name <mailbox@host>" (or just the address) with the name decoded for display. */
export function formatAddress(a: Address): string {
  const addr = a.host && a.host !== 'MISSING_DOMAIN' ? `${a.mailbox}@${a.host}` : (a.mailbox ?? '');
  const name = a.name ? decodeEncodedWords(a.name) : '';
  return name ? `${name} <${addr}>` : addr;
}

/** Display form of a whole address list: names decoded, groups shown by their members. */
export function formatAddressList(value: string): string {
  return parseAddressList(value)
    .flatMap((e) =>
      isGroup(e)
        ? e.members.length
          ? e.members
          : [{ name: e.group, adl: null, mailbox: null, host: null }]
        : [e],
    )
    .map((a) => (a.mailbox === null ? decodeEncodedWords(a.name ?? '') : formatAddress(a)))
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// Dates (RFC 5322 §3.3)

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = {
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/**
 * Parses a Date header value ("Mon, 1 Jan 2024 10:00:00 +0100") to milliseconds since the epoch,
 * or null when it is not a date. Obsolete forms (2-digit years, named zones) are accepted.
 */
export function parseDateHeader(value: string): number | null {
  const m =
    /^\s*(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?/.exec(
      value,
    );
  if (!m) return null;
  const month = MONTHS.indexOf(m[2].toLowerCase());
  if (month < 0) return null;
  let year = Number(m[3]);
  // RFC 5322 §4.3: two-digit years below 50 are 20xx, others 19xx; three digits add 1900.
  if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3].length === 3) year += 1900;
  const day = Number(m[1]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] ? Number(m[6]) : 0;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let offset = 0;
  const z = m[7];
  if (z && /^[+-]\d{4}$/.test(z)) {
    const sign = z[0] === '-' ? -1 : 1;
    offset = sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  } else if (z) offset = ZONES[z.toUpperCase()] ?? 0;
  return Date.UTC(year, month, day, hour, minute, second) - offset * 60000;
}

// ---------------------------------------------------------------------------------------------
// Summary for lists and cards

export interface MessageSummary {
  /** Decoded subject ("" when missing). */
  subject: string;
  /** Display form of From, names decoded. */
  from: string;
  /** Bare address of the first From mailbox ("" when none). */
  fromAddress: string;
  /** Display form of To. */
  to: string;
  /** The Date header as written, or null. */
  date: string | null;
  /** Date header in ms since the epoch, or null when missing or unparsable. */
  dateMs: number | null;
  /** Message-ID as written, or null. */
  messageId: string | null;
  /** First words of the text (text/plain preferred, else text/html without tags), whitespace collapsed. */
  preview: string;
  /** True when some part is an attachment (disposition attachment, or a named non-text leaf). */
  hasAttachments: boolean;
  /** Size in octets. */
  size: number;
}

const PREVIEW_LENGTH = 160;

function isAttachment(p: MimePart): boolean {
  if (p.children.length || p.synthetic) return false;
  const disp = p.contentDisposition?.type.toLowerCase();
  if (disp === 'attachment') return true;
  if (disp === 'inline') return false;
  const named =
    paramValue(p.contentType.params, 'name') !== null || paramValue(p.contentType.params, 'name*') !== null;
  return named && p.contentType.type.toLowerCase() !== 'text';
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/&amp;/gi, '&');
}

function makeSummary(raw: ByteString): MessageSummary {
  const root = getMime(raw);
  const parts = walkParts(root);
  // The top-level message's own leaf parts only: a forwarded message's text is not this one's preview.
  const own: MimePart[] = [];
  const visit = (p: MimePart) => {
    if (p.children.length) p.children.forEach(visit);
    else if (!p.message) own.push(p);
  };
  visit(root);
  const textual = own.filter((p) => !isAttachment(p) && !p.synthetic);
  const plain = textual.find((p) => p.contentType.mediaType === 'text/plain');
  const html = textual.find((p) => p.contentType.mediaType === 'text/html');
  let preview = '';
  if (plain) preview = decodeText(plain, raw);
  else if (html) preview = htmlToText(decodeText(html, raw));
  preview = preview.replace(/\s+/g, ' ').trim();
  if (preview.length > PREVIEW_LENGTH) preview = preview.slice(0, PREVIEW_LENGTH - 1).trimEnd() + '…';
  const fromRaw = headerValue(root, 'From');
  const firstFrom = fromRaw
    ? toEnvelopeAddresses(parseAddressList(fromRaw)).find((a) => a.host !== null)
    : undefined;
  const date = headerValue(root, 'Date');
  return {
    subject: decodeEncodedWords(headerValue(root, 'Subject') ?? ''),
    from: fromRaw ? formatAddressList(fromRaw) : '',
    fromAddress: firstFrom ? `${firstFrom.mailbox}@${firstFrom.host}` : '',
    to: formatAddressList(headerValue(root, 'To') ?? ''),
    date,
    dateMs: date ? parseDateHeader(date) : null,
    messageId: headerValue(root, 'Message-ID'),
    preview,
    hasAttachments: parts.some(isAttachment),
    size: raw.length,
  };
}

/** Decoded subject, from, to, date, message-id and a short text preview. Cached per message. */
export function summarize(raw: ByteString): MessageSummary {
  return cached(summaryCache, raw, makeSummary);
}

/** A message as a mail app shows it when opened: decoded headers, its text, its attachments. */
export interface ReadableMessage {
  subject: string;
  from: string;
  to: string;
  date: string | null;
  /** The text/plain part decoded (else the HTML part as plain text); never HTML. */
  text: string;
  /** "plain", "html" (shown as text) or "none". */
  textFrom: 'plain' | 'html' | 'none';
  attachments: { name: string; type: string; size: number }[];
}

export function readMessage(raw: ByteString): ReadableMessage {
  const root = getMime(raw);
  const own: MimePart[] = [];
  const visit = (p: MimePart) => {
    if (p.children.length) p.children.forEach(visit);
    else if (!p.message) own.push(p);
  };
  visit(root);
  const textual = own.filter((p) => !isAttachment(p) && !p.synthetic);
  const plain = textual.find((p) => p.contentType.mediaType === 'text/plain');
  const html = textual.find((p) => p.contentType.mediaType === 'text/html');
  const text = plain ? decodeText(plain, raw) : html ? htmlToText(decodeText(html, raw)) : '';
  const attachments = walkParts(root)
    .filter(isAttachment)
    .map((p) => ({
      name: decodeEncodedWords(
        paramValue(p.contentDisposition?.params ?? [], 'filename') ??
          paramValue(p.contentType.params, 'name') ??
          '',
      ),
      type: p.contentType.mediaType,
      size: p.bodyEnd - p.bodyStart,
    }));
  return {
    subject: decodeEncodedWords(headerValue(root, 'Subject') ?? ''),
    from: formatAddressList(headerValue(root, 'From') ?? ''),
    to: formatAddressList(headerValue(root, 'To') ?? ''),
    date: headerValue(root, 'Date'),
    text: text.replace(/\r\n/g, '\n').trim(),
    textFrom: plain ? 'plain' : html ? 'html' : 'none',
    attachments,
  };
}
