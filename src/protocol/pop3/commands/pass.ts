import { byteStringToUtf8 } from '../../../mail/store';
import { err, type Pop3Command } from '../types';
import { logIn } from './login';

export const pass: Pop3Command = {
  name: 'PASS',
  syntax: 'PASS string',
  states: ['AUTHORIZATION'],
  summary:
    'Sends the password for the mailbox named by USER. On success the server locks the maildrop ' +
    'and the session moves to the TRANSACTION state; on failure you start again with USER. The ' +
    'password travels in clear text, which is why real servers want TLS first.',
  rfc: 'RFC 1939 §7',
  examples: ['PASS wonderland'],
  // The whole rest of the line is the password: RFC 1939 §7 allows spaces in it, and Dovecot
  // takes "PASS  x" as the password " x" (measured).
  args: { kind: 'rest' },
  handler(ctx, args) {
    if (ctx.user === null) return err('No username given.');
    return logIn(ctx, ctx.user, ctx.checkPassword(ctx.user, byteStringToUtf8(args.rest)));
  },
};
