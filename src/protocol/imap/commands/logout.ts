import { untaggedStatus } from '../formatter';
import { ok, type ImapCommand } from '../types';

/** RFC 9051 §6.1.3: BYE first, then the tagged OK, then the server closes the connection. */
export const logout: ImapCommand<void> = {
  doc: {
    name: 'LOGOUT',
    syntax: 'tag LOGOUT',
    states: ['Not Authenticated', 'Authenticated', 'Selected'],
    summary:
      'Ends the session. The server says BYE, confirms, and closes the connection. Unlike POP3 QUIT, nothing is deleted at logout: changes were made on the server as they happened.',
    rfc: 'RFC 9051 §6.1.3',
    examples: ['a1 LOGOUT'],
  },
  states: ['Not Authenticated', 'Authenticated', 'Selected'],
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle() {
    return { ...ok('Logout completed.', [untaggedStatus('BYE', 'Logging out')]), effect: 'logout' };
  },
};
