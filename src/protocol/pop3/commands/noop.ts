import { ok, type Pop3Command } from '../types';

export const noop: Pop3Command = {
  name: 'NOOP',
  syntax: 'NOOP',
  states: ['TRANSACTION'],
  summary:
    "Does nothing and answers +OK: a way to keep the connection alive. Unlike IMAP's NOOP it " +
    'never reports new mail, because a POP3 session only sees the messages that were there at login.',
  rfc: 'RFC 1939 §5',
  examples: ['NOOP'],
  args: { kind: 'none' },
  handler() {
    return ok('');
  },
};
