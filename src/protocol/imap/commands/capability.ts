import { capabilitiesFor } from '../capabilities';
import { data } from '../formatter';
import { ok, type ImapCommand } from '../types';

/** RFC 9051 §6.1.1 */
export const capability: ImapCommand<void> = {
  doc: {
    name: 'CAPABILITY',
    syntax: 'tag CAPABILITY',
    states: ['Not Authenticated', 'Authenticated', 'Selected'],
    summary:
      'Asks the server what it can do: the IMAP versions, extensions and login methods it offers. The list is shorter before login and grows once you are authenticated.',
    rfc: 'RFC 9051 §6.1.1',
    examples: ['a1 CAPABILITY'],
  },
  states: ['Not Authenticated', 'Authenticated', 'Selected'],
  reportsChanges: false,
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle(ctx) {
    if (ctx.state === 'Not Authenticated') ctx.askedCapability = true;
    return ok('Capability completed.', [data('CAPABILITY', ...capabilitiesFor(ctx.state))]);
  },
};
