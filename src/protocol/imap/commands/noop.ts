import { ok, type ImapCommand } from '../types';

/**
 * RFC 9051 §6.1.2. NOOP does nothing itself; its point is the untagged updates that follow
 * every command: it is how a client without IDLE polls for changes made elsewhere.
 */
export const noop: ImapCommand<void> = {
  doc: {
    name: 'NOOP',
    syntax: 'tag NOOP',
    states: ['Not Authenticated', 'Authenticated', 'Selected'],
    summary:
      'Does nothing, and that is the point: after any command the server reports what changed in the selected mailbox (new mail, flags set or messages expunged by other devices), so NOOP is how a client polls.',
    rfc: 'RFC 9051 §6.1.2',
    examples: ['a1 NOOP'],
  },
  states: ['Not Authenticated', 'Authenticated', 'Selected'],
  // Dovecot ignores arguments to NOOP rather than refusing them.
  parse() {},
  handle() {
    return ok('NOOP completed.');
  },
};

/** RFC 3501 §6.4.1: CHECK (removed in rev2) is a NOOP here: the store has nothing to checkpoint. */
export const check: ImapCommand<void> = {
  doc: {
    name: 'CHECK',
    syntax: 'tag CHECK',
    states: ['Selected'],
    summary:
      'Asks the server to save the selected mailbox to disk. This store is always saved, so it behaves like NOOP: you still get any pending updates. IMAP4rev2 dropped it.',
    rfc: 'RFC 3501 §6.4.1',
    examples: ['a1 CHECK'],
  },
  states: ['Selected'],
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle() {
    return ok('Check completed.');
  },
};
