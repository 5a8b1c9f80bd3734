/**
 * The IMAP response formatter: one place that turns response data into wire bytes
 * (RFC 9051 §4 data formats, §7 responses). Handlers build `ImapValue` trees; only this
 * module decides between quoted strings and literals, so every reply is shaped alike.
 *
 * The quoting choices follow Dovecot 2.3 (the reference server the lab is compared with):
 * a string goes out quoted unless it holds CR, LF, an 8-bit octet, or more than four
 * quoted-specials, in which case it is a literal. "Human" strings (ENVELOPE subject and
 * address names) are normalized: runs of whitespace collapse, line breaks vanish, and any
 * such change, or a quote, backslash or 8-bit octet, makes the result a literal.
 */
import type { ByteString } from '../../mail/types';

/**
 * A response value:
 * - `string`: an atom (or any text written as is: `\Seen`, `BODY[1]<0>`, `"/"` prebuilt),
 * - `number`: a number,
 * - `null`: NIL,
 * - an array: a parenthesized list, items separated by one space,
 * - `ImapStr`: a string the formatter quotes or sends as a literal,
 * - `ImapCat`: items written back to back, with no separator and no parentheses
 *   (address lists `((..)(..))` and multipart bodies `((..)(..) "mixed")`, RFC 9051 §9).
 */
export type ImapValue = string | number | null | readonly ImapValue[] | ImapStr | ImapCat;

export interface ImapStr {
  readonly kind: 'str';
  readonly value: ByteString;
  /** auto: Dovecot's nstring rule; literal: always a literal; humans: ENVELOPE subject/name rule; literal8: `~{n}`. */
  readonly mode: 'auto' | 'literal' | 'humans' | 'literal8';
}

export interface ImapCat {
  readonly kind: 'cat';
  readonly items: readonly ImapValue[];
}

export const str = (value: ByteString): ImapStr => ({ kind: 'str', value, mode: 'auto' });
export const nstr = (value: ByteString | null | undefined): ImapStr | null =>
  value === null || value === undefined ? null : str(value);
export const literal = (value: ByteString): ImapStr => ({ kind: 'str', value, mode: 'literal' });
export const literal8 = (value: ByteString): ImapStr => ({ kind: 'str', value, mode: 'literal8' });
export const humans = (value: ByteString): ImapStr => ({ kind: 'str', value, mode: 'humans' });
export const cat = (items: readonly ImapValue[]): ImapCat => ({ kind: 'cat', items });

/** More quoted-specials than this and a literal is shorter than escaping. */
const QUOTED_MAX_ESCAPES = 4;

function quoteOrLiteral(s: ByteString): string {
  let escapes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      if (++escapes > QUOTED_MAX_ESCAPES) return formatLiteral(s);
    } else if (c === 13 || c === 10 || c >= 0x80 || c === 0) return formatLiteral(s);
  }
  return escapes ? '"' + s.replace(/["\\]/g, '\\$&') + '"' : '"' + s + '"';
}

function formatLiteral(s: ByteString): string {
  return `{${s.length}}\r\n${s}`;
}

/** ENVELOPE subject and address names: whitespace normalized; any change means a literal. */
function forHumans(s: ByteString): string {
  // Fast path: nothing to change and nothing to escape.
  if (!/[\0\t\r\n"\\\x80-\xff]|^ | $| {2}/.test(s)) return '"' + s + '"';
  const cleaned = s
    .replace(/\0/g, '\x80')
    .replace(/[\r\n]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
  if (cleaned === '') return '""';
  return formatLiteral(cleaned);
}

export function formatValue(v: ImapValue): ByteString {
  if (v === null) return 'NIL';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return '(' + joined(v, ' ') + ')';
  const o = v as ImapStr | ImapCat;
  if (o.kind === 'cat') return joined(o.items, '');
  switch (o.mode) {
    case 'auto':
      return quoteOrLiteral(o.value);
    case 'literal':
      return formatLiteral(o.value);
    case 'literal8':
      return `~{${o.value.length}}\r\n${o.value}`;
    case 'humans':
      return forHumans(o.value);
  }
}

/** Items formatted and joined by `sep` (what `items.map(formatValue).join(sep)` gives, without the array). */
function joined(items: readonly ImapValue[], sep: string): ByteString {
  if (items.length === 0) return '';
  let out = formatValue(items[0]);
  for (let i = 1; i < items.length; i++) out += sep + formatValue(items[i]);
  return out;
}

/** astring as Dovecot writes mailbox names: an atom when possible, else a string (never bare NIL). */
export function astring(s: ByteString): ImapValue {
  if (s !== '' && s.toUpperCase() !== 'NIL' && /^[^\0-\x20\x7f-\xff(){%*"\\]+$/.test(s)) return s;
  return str(s);
}

/** One untagged response (RFC 9051 §7): either response data or a status response. */
export type Untagged =
  | { kind: 'data'; items: readonly ImapValue[] }
  | { kind: 'status'; status: 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH'; code?: string; text: string };

export const data = (...items: ImapValue[]): Untagged => ({ kind: 'data', items });
export const untaggedStatus = (
  status: 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH',
  text: string,
  code?: string,
): Untagged => ({ kind: 'status', status, text, code });

export function formatUntagged(u: Untagged): ByteString {
  if (u.kind === 'data') return '* ' + joined(u.items, ' ') + '\r\n';
  return `* ${u.status} ${u.code ? `[${u.code}] ` : ''}${u.text}\r\n`;
}

/** Several untagged responses, back to back. */
export function formatUntaggedAll(list: readonly Untagged[]): ByteString {
  let out = '';
  for (const u of list) out += formatUntagged(u);
  return out;
}

export function formatTagged(
  tag: string,
  status: 'OK' | 'NO' | 'BAD',
  text: string,
  code?: string,
): ByteString {
  return `${tag} ${status} ${code ? `[${code}] ` : ''}${text}\r\n`;
}
