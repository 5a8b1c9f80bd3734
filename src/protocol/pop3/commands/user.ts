import { byteStringToUtf8 } from '../../../mail/store';
import { ok, type Pop3Command } from '../types';

export const user: Pop3Command = {
  name: 'USER',
  syntax: 'USER name',
  states: ['AUTHORIZATION'],
  summary:
    'Names the mailbox (the account) you want to open. The server only remembers the name: ' +
    'whether it exists is not revealed until PASS, so nobody can probe for valid accounts. ' +
    'Send PASS with the password next.',
  rfc: 'RFC 1939 §7',
  examples: ['USER alice'],
  // Dovecot takes the rest of the line verbatim and always answers +OK, even to a bare "USER"
  // (measured); the failure shows at PASS.
  args: { kind: 'rest' },
  handler(_ctx, args) {
    return ok('', { event: { type: 'auth.user', user: byteStringToUtf8(args.rest) } });
  },
};
