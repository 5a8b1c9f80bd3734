/**
 * The IMAP command parser (RFC 9051 §9 formal syntax). A command assembled by the framer
 * (literal octets inline) becomes a tag, a command name and a typed token tree; command
 * modules then read their arguments through an `Args` cursor, which names what it expected
 * and where, so every syntax error becomes a precise tagged BAD.
 *
 * The tokenizer is deliberately a little wider than the grammar in the places where real
 * clients and the grammar itself need it: an atom may carry `*`, `%` (list-mailbox,
 * sequence-set) and `]` (astring), and `BODY[...]` keeps spaces and parentheses inside its
 * brackets (section = "[" [section-spec] "]", whose header-list has spaces).
 */
import type { ByteString } from '../../mail/types';

export type Token =
  /** atom / number / NIL / flag / sequence set / fetch att: the caller decides what it means. */
  | { t: 'atom'; v: string; pos: number }
  /** quoted = DQUOTE *QUOTED-CHAR DQUOTE, escapes removed. */
  | { t: 'quoted'; v: ByteString; pos: number }
  /** literal = "{" number64 ["+"] "}" CRLF *CHAR8 */
  | { t: 'literal'; v: ByteString; pos: number; binary: boolean }
  /** "(" ... ")" */
  | { t: 'list'; v: Token[]; pos: number };

export class ImapParseError extends Error {
  constructor(
    message: string,
    /** Octet offset in the command line where the problem is. */
    readonly pos: number,
  ) {
    super(message);
  }
}

export interface ParsedCommand {
  tag: string;
  /** Upper-cased command name; "UID FETCH" style for UID commands. */
  name: string;
  args: Token[];
  /** Offset of the first argument (for error positions). */
  argsPos: number;
}

/**
 * tag = 1*<any ASTRING-CHAR except "+">. Dovecot also refuses "]" (which ASTRING-CHAR allows),
 * and a tag must end at a space or the end of the line.
 */
const TAG_RE = /^[^\0-\x20\x7f-\xff(){%*"\\+\]]+(?= |$)/;

/** Splits off the tag; returns null when the line has no usable tag (answered with untagged BAD). */
export function readTag(text: ByteString): { tag: string; rest: number } | null {
  const m = TAG_RE.exec(text);
  if (!m) return null;
  return { tag: m[0], rest: m[0].length };
}

/** Reads tag and command name, and tokenizes the arguments. Throws ImapParseError. */
/** `tag`: what `readTag(text)` gives, when the caller has read it already. */
export function parseCommand(text: ByteString, tag = readTag(text)): ParsedCommand {
  const t = tag;
  if (!t) throw new ImapParseError('Invalid tag', 0);
  let pos = t.rest;
  if (text[pos] !== ' ') throw new ImapParseError('Missing command name', pos);
  pos++;
  // What /^[A-Za-z0-9-]+/ takes from the next 64 octets, without a slice and a RegExp per command.
  let nameEnd = pos;
  while (nameEnd < text.length && nameEnd < pos + 64 && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  if (nameEnd === pos) throw new ImapParseError('Invalid command name', pos);
  let name = text.slice(pos, nameEnd).toUpperCase();
  pos = nameEnd;
  if (name === 'UID' && text[pos] === ' ') {
    const sub = /^[A-Za-z]+/.exec(text.slice(pos + 1, pos + 64));
    if (sub) {
      name = 'UID ' + sub[0].toUpperCase();
      pos += 1 + sub[0].length;
    }
  }
  if (pos < text.length && text[pos] !== ' ') throw new ImapParseError('Invalid command name', pos);
  const argsPos = pos < text.length ? pos + 1 : pos;
  const tok = new Tokenizer(text, pos);
  const args = tok.tokens();
  return { tag: t.tag, name, args, argsPos };
}

/** A-Z, a-z, 0-9 and "-". */
function isNameChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
}

class Tokenizer {
  constructor(
    private readonly s: ByteString,
    private pos: number,
  ) {}

  tokens(): Token[] {
    const out = this.sequence(false);
    return out;
  }

  /** Reads tokens separated by single spaces until end (or ")" when inList). */
  private sequence(inList: boolean): Token[] {
    const out: Token[] = [];
    const s = this.s;
    let first = true;
    for (;;) {
      if (this.pos >= s.length) {
        if (inList) throw new ImapParseError("Missing ')'", this.pos);
        return out;
      }
      if (inList && s[this.pos] === ')') {
        this.pos++;
        return out;
      }
      if (!first || !inList) {
        if (s[this.pos] !== ' ') throw new ImapParseError('Expected a space between arguments', this.pos);
        this.pos++;
        // Dovecot ignores spaces at the end of a command line.
        if (!inList && onlySpacesFrom(s, this.pos)) {
          this.pos = s.length;
          return out;
        }
        if (this.pos >= s.length) throw new ImapParseError('Unexpected end of line after a space', this.pos);
        if (inList && s[this.pos] === ')') throw new ImapParseError("Unexpected space before ')'", this.pos);
      }
      first = false;
      out.push(this.token());
    }
  }

  private token(): Token {
    const s = this.s;
    const start = this.pos;
    const c = s[this.pos];
    if (c === '(') {
      this.pos++;
      return { t: 'list', v: this.sequence(true), pos: start };
    }
    if (c === ')') throw new ImapParseError("Unexpected ')'", start);
    if (c === '"') return this.quoted();
    if (c === '{' || (c === '~' && s[this.pos + 1] === '{')) return this.literal();
    return this.atom();
  }

  private quoted(): Token {
    const s = this.s;
    const start = this.pos;
    // Most quoted strings hold no escape and no forbidden octet: then they are exactly the
    // octets up to the next DQUOTE.
    const close = s.indexOf('"', start + 1);
    if (close > start) {
      let plain = true;
      for (let i = start + 1; i < close && plain; i++) {
        const c = s.charCodeAt(i);
        if (c === 0x5c || c === 13 || c === 10 || c === 0) plain = false;
      }
      if (plain) {
        this.pos = close + 1;
        return { t: 'quoted', v: s.slice(start + 1, close), pos: start };
      }
    }
    this.pos++;
    let v = '';
    for (;;) {
      if (this.pos >= s.length) throw new ImapParseError('Missing closing quote', start);
      const c = s[this.pos];
      if (c === '"') {
        this.pos++;
        return { t: 'quoted', v, pos: start };
      }
      if (c === '\\') {
        const n = s[this.pos + 1];
        if (n !== '"' && n !== '\\') throw new ImapParseError('Invalid escape in quoted string', this.pos);
        v += n;
        this.pos += 2;
        continue;
      }
      if (c === '\r' || c === '\n' || c === '\0')
        throw new ImapParseError('Quoted string contains an invalid character', this.pos);
      v += c;
      this.pos++;
    }
  }

  private literal(): Token {
    const s = this.s;
    const start = this.pos;
    const binary = s[this.pos] === '~';
    const m = /^~?\{(\d+)\+?\}\r\n/.exec(s.slice(this.pos, this.pos + 32));
    if (!m) throw new ImapParseError('Invalid literal', start);
    const n = Number(m[1]);
    const begin = this.pos + m[0].length;
    if (begin + n > s.length) throw new ImapParseError('Literal shorter than announced', start);
    this.pos = begin + n;
    return { t: 'literal', v: s.slice(begin, begin + n), pos: start, binary };
  }

  private atom(): Token {
    const s = this.s;
    const start = this.pos;
    while (this.pos < s.length) {
      const code = s.charCodeAt(this.pos);
      if (code === 0x20 || code === 0x28 || code === 0x29) break; // SP ( )
      if (code === 0x5b /* [ */) {
        // section: keep everything up to the matching "]" (header lists have spaces and parens).
        const close = s.indexOf(']', this.pos);
        if (close < 0) throw new ImapParseError("Missing ']'", this.pos);
        if (/[\r\n]/.test(s.slice(this.pos, close))) throw new ImapParseError('Invalid section', this.pos);
        this.pos = close + 1;
        continue;
      }
      if (code < 0x20 || code === 0x7f || code >= 0x80 || code === 0x22 /* " */ || code === 0x7b /* { */)
        throw new ImapParseError('Invalid character in atom', this.pos);
      this.pos++;
    }
    if (this.pos === start) throw new ImapParseError('Expected an argument', start);
    return { t: 'atom', v: s.slice(start, this.pos), pos: start };
  }
}

/** True when s holds only spaces from `from` on (or nothing). */
function onlySpacesFrom(s: ByteString, from: number): boolean {
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) !== 0x20) return false;
  return true;
}

/** A reading cursor over a command's tokens; every `expect` names what it wanted. */
export class Args {
  private i = 0;
  constructor(
    readonly tokens: readonly Token[],
    private readonly endPos: number,
  ) {}

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  get remaining(): number {
    return this.tokens.length - this.i;
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  next(what: string): Token {
    const t = this.tokens[this.i];
    if (!t) throw new ImapParseError(`Missing ${what}`, this.endPos);
    this.i++;
    return t;
  }

  /** atom (also accepts numbers, flags and other atom-like tokens) */
  atom(what: string): string {
    const t = this.next(what);
    if (t.t !== 'atom') throw new ImapParseError(`Expected ${what}`, t.pos);
    return t.v;
  }

  /** astring = 1*ASTRING-CHAR / string */
  astring(what: string): ByteString {
    const t = this.next(what);
    if (t.t === 'list') throw new ImapParseError(`Expected ${what}`, t.pos);
    return t.v;
  }

  /** string = quoted / literal */
  string(what: string): ByteString {
    const t = this.next(what);
    if (t.t !== 'quoted' && t.t !== 'literal')
      throw new ImapParseError(`Expected ${what} as a string`, t.pos);
    return t.v;
  }

  /** nstring = string / nil */
  nstring(what: string): ByteString | null {
    const t = this.peek();
    if (t?.t === 'atom' && t.v.toUpperCase() === 'NIL') {
      this.i++;
      return null;
    }
    return this.string(what);
  }

  /** number = 1*DIGIT (32-bit unsigned) */
  number(what: string): number {
    const t = this.next(what);
    if (t.t !== 'atom' || !/^\d{1,10}$/.test(t.v) || Number(t.v) > 0xffffffff)
      throw new ImapParseError(`Expected ${what} as a number`, t.pos);
    return Number(t.v);
  }

  list(what: string): Token[] {
    const t = this.next(what);
    if (t.t !== 'list') throw new ImapParseError(`Expected ${what} as a parenthesized list`, t.pos);
    return t.v;
  }

  end(): void {
    const t = this.tokens[this.i];
    if (t) throw new ImapParseError('Unexpected extra arguments', t.pos);
  }

  /** Position of the next token (or end of line). */
  get pos(): number {
    return this.tokens[this.i]?.pos ?? this.endPos;
  }
}

/** mailbox = "INBOX" / astring; INBOX is case-insensitive (RFC 9051 §5.1). */
export function tokenText(t: Token): string {
  return t.t === 'list' ? '(' + t.v.map(tokenText).join(' ') + ')' : t.v;
}
