/**
 * Mailbox names on the wire (RFC 9051 §5.1): "INBOX" in any case means INBOX, "/" is the
 * hierarchy delimiter of this store, and LIST patterns use "*" (anything) and "%" (anything
 * but the delimiter) (§6.3.9).
 */
import { HIERARCHY_DELIMITER, normalizeMailboxName } from '../../mail/store';
import { ImapParseError, type Args } from './parser';
import { isRev2, no, type CommandResult, type ImapContext } from './types';

export { HIERARCHY_DELIMITER };

/** mailbox = "INBOX" / astring */
export function readMailbox(args: Args, what = 'mailbox name'): string {
  const pos = args.pos;
  const name = args.astring(what);
  if (/[\0\r\n]/.test(name)) throw new ImapParseError('Invalid mailbox name', pos);
  return normalizeMailboxName(name);
}

const MBASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

/**
 * Whether a name is valid modified UTF-7 (RFC 3501 §5.1.3), as Dovecot checks it: printable
 * US-ASCII only, "&-" for "&", and "&...-" runs of modified base64 that decode to whole UTF-16
 * (paired surrogates, no bits left over) and do not encode a printable US-ASCII character.
 */
export function isValidMutf7(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
    if (c !== 0x26) continue;
    const end = name.indexOf('-', i + 1);
    if (end < 0) return false;
    let acc = 0;
    let bits = 0;
    const units: number[] = [];
    for (let j = i + 1; j < end; j++) {
      const v = MBASE64.indexOf(name[j]);
      if (v < 0) return false;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 16) {
        bits -= 16;
        units.push((acc >> bits) & 0xffff);
      }
    }
    if (bits >= 6 || (acc & ((1 << bits) - 1)) !== 0) return false;
    for (let k = 0; k < units.length; k++) {
      const u = units[k];
      if (u >= 0x20 && u <= 0x7e) return false;
      if (u >= 0xdc00 && u <= 0xdfff) return false;
      if (u >= 0xd800 && u <= 0xdbff) {
        const next = units[k + 1];
        if (next === undefined || next < 0xdc00 || next > 0xdfff) return false;
        k++;
      }
    }
    i = end;
  }
  return true;
}

/** Why a mailbox name given by a client is refused: the NO reply's text and response code. */
export interface NameError {
  text: string;
  code?: 'CANNOT';
}

/**
 * Dovecot's checks of a mailbox name in any command that names one (SUBSCRIBE only makes the
 * first), in its order and words (measured against 2.3 with maildir and "/" as the separator):
 * invalid modified UTF-7 is a plain NO (IMAP4rev2 sessions send UTF-8 instead and skip that
 * check); an empty name, a leading, doubled or trailing separator, a leading "~" and a "." or
 * ".." level are NO [CANNOT] "Invalid mailbox name: ...". INBOX in any case is always valid.
 */
export function mailboxNameError(name: string, rev2: boolean): NameError | null {
  if (!rev2 && !isValidMutf7(name)) return { text: 'Mailbox name is not valid mUTF-7' };
  if (name === 'INBOX') return null;
  const invalid = (why: string): NameError => ({ text: `Invalid mailbox name: ${why}`, code: 'CANNOT' });
  const d = HIERARCHY_DELIMITER;
  if (name === '') return invalid('Name is empty');
  if (name.startsWith(d)) return invalid('Begins with hierarchy separator');
  if (name.includes(d + d)) return invalid('Has adjacent hierarchy separators');
  if (name.endsWith(d)) return invalid('Ends with hierarchy separator');
  if (name.startsWith('~')) return invalid("Begins with '~'");
  if (name.split(d).some((p) => p === '.' || p === '..')) return invalid("Has '.' or '..' hierarchy level");
  return null;
}

/** The longest level of a mailbox name, and the longest name (Dovecot with maildir: one directory per mailbox). */
export const MAX_NAME_LEVEL_LENGTH = 255;
export const MAX_NAME_LENGTH = 254;

/** A new name (CREATE, RENAME's target) that is too long to be made. */
export function newMailboxNameError(name: string): NameError | null {
  if (name.split(HIERARCHY_DELIMITER).some((p) => p.length > MAX_NAME_LEVEL_LENGTH))
    return { text: 'Mailbox name too long', code: 'CANNOT' };
  // Dovecot's own limit is the file system's (it then answers "NO Not found").
  if (name.length > MAX_NAME_LENGTH) return { text: 'Mailbox name too long' };
  return null;
}

/** The NO that refuses `name` (mailboxNameError), or null when the name may be used. */
export function refuseMailboxName(ctx: ImapContext, name: string, isNew = false): CommandResult | null {
  const e = mailboxNameError(name, isRev2(ctx)) ?? (isNew ? newMailboxNameError(name) : null);
  return e ? no(e.text, e.code) : null;
}

/** LIST pattern (reference + mailbox pattern joined) as a regular expression. */
export function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '%') re += '[^/]*';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  // INBOX matches case-insensitively (RFC 9051 §5.1).
  return new RegExp('^' + re + '$', 's');
}

/** Names that a pattern matches, also matching "INBOX" spelled in any case in the pattern. */
export function matchesPattern(name: string, pattern: RegExp, patternText: string): boolean {
  if (pattern.test(name)) return true;
  if (name === 'INBOX' || name.startsWith('INBOX/')) {
    const up = patternText.toUpperCase();
    if (up.startsWith('INBOX')) return patternToRegExp('INBOX' + patternText.slice(5)).test(name);
  }
  return false;
}
