/**
 * Mailbox names on the wire (RFC 9051 §5.1): "INBOX" in any case means INBOX, "/" is the
 * hierarchy delimiter of this store, and LIST patterns use "*" (anything) and "%" (anything
 * but the delimiter) (§6.3.9).
 */
import { HIERARCHY_DELIMITER, normalizeMailboxName } from '../../mail/store';
import { ImapParseError, type Args } from './parser';

export { HIERARCHY_DELIMITER };

/** mailbox = "INBOX" / astring */
export function readMailbox(args: Args, what = 'mailbox name'): string {
  const pos = args.pos;
  const name = args.astring(what);
  if (/[\0\r\n]/.test(name)) throw new ImapParseError('Invalid mailbox name', pos);
  return normalizeMailboxName(name);
}

/** Whether a mailbox name is acceptable for CREATE/RENAME (Dovecot refuses these shapes too). */
export function mailboxNameProblem(name: string): string | null {
  if (name === '') return 'Empty mailbox name';
  if (name.startsWith(HIERARCHY_DELIMITER) || name.endsWith(HIERARCHY_DELIMITER + HIERARCHY_DELIMITER))
    return 'Invalid mailbox name';
  if (name.includes(HIERARCHY_DELIMITER + HIERARCHY_DELIMITER)) return 'Invalid mailbox name';
  if (name.split(HIERARCHY_DELIMITER).some((p) => p === '.' || p === '..')) return 'Invalid mailbox name';
  if (/[*%\x00-\x1f\x7f]/.test(name)) return 'Invalid mailbox name';
  if (name.length > 255) return 'Mailbox name too long';
  return null;
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
