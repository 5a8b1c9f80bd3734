import { ok, type Pop3Command } from '../types';

export const quit: Pop3Command = {
  name: 'QUIT',
  syntax: 'QUIT',
  states: ['AUTHORIZATION', 'TRANSACTION'],
  summary:
    'Ends the session. Before login it just says goodbye. After login it moves the session to the ' +
    'UPDATE state, where the server really removes the messages marked with DELE, releases the ' +
    'maildrop lock, answers and closes the connection. Hanging up without QUIT removes nothing.',
  rfc: 'RFC 1939 §5, §6',
  examples: ['QUIT'],
  args: { kind: 'none' },
  handler(ctx) {
    // The session sends this reply after the UPDATE state has done its work (RFC 1939 §6).
    // Texts are Dovecot's (measured); the pre-login one has no final period.
    if (ctx.state === 'AUTHORIZATION') return ok('Logging out', { event: { type: 'quit' } });
    const text = ctx.maildrop!.markedCount > 0 ? 'Logging out, messages deleted.' : 'Logging out.';
    return ok(text, { event: { type: 'quit' } });
  },
};
