/**
 * Pasted text with line breaks, as a terminal takes it: every complete line is a command of
 * its own, sent in order (POP3 allows pipelined commands, RFC 2449 §6.6; an IMAP client may
 * send its next command without waiting, RFC 9051 §5.5), and the text after the last line
 * break stays on the command line. Joining the lines into one would send
 * "USER alice PASS wonderland STAT" and teach something false.
 */
export interface SplitPaste {
  /** Complete lines to send, in order; blank lines are left out (they would only be bad commands). */
  lines: string[];
  /** What stays on the command line: the text after the last line break. */
  rest: string;
}

/** Splits a command line's text that holds line breaks (CRLF, LF or CR). */
export function splitPastedLines(text: string, options: { keepBlank?: boolean } = {}): SplitPaste {
  const parts = text.split(/\r\n|\r|\n/);
  const rest = parts.pop() ?? '';
  // Inside an IMAP literal a blank line is data (the line between header and body): keep it.
  return { lines: options.keepBlank ? parts : parts.filter((l) => l.trim() !== ''), rest };
}

/** Moves focus to the next (or previous) focusable element after `from` in document order. */
export function focusNextAfter(from: Element, backwards = false): void {
  const doc = from.ownerDocument;
  const all = [
    ...doc.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])',
    ),
  ].filter((el) => !from.contains(el) && el.offsetParent !== null);
  const after = all.filter((el) => from.compareDocumentPosition(el) & (backwards ? 2 : 4));
  const target = backwards ? after[after.length - 1] : after[0];
  target?.focus();
}

/** True when the text would be more than one line. */
export const hasLineBreak = (text: string): boolean => /[\r\n]/.test(text);
