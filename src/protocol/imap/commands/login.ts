import { CAPABILITIES } from '../capabilities';
import { data } from '../formatter';
import { no, ok, type CommandResult, type ImapCommand, type ImapContext } from '../types';

/** Both LOGIN and AUTHENTICATE end here. */
export function authenticate(ctx: ImapContext, user: string, password: string): CommandResult {
  if (!ctx.store.checkPassword(user, password)) return no('Authentication failed.', 'AUTHENTICATIONFAILED');
  ctx.user = user;
  if (ctx.askedCapability)
    return { ...ok('Logged in', [data('CAPABILITY', ...CAPABILITIES)]), effect: 'login' };
  return { ...ok('Logged in', [], `CAPABILITY ${CAPABILITIES.join(' ')}`), effect: 'login' };
}

/** RFC 9051 §6.2.3 */
export const login: ImapCommand<{ user: string; password: string }> = {
  doc: {
    name: 'LOGIN',
    syntax: 'tag LOGIN userid password',
    states: ['Not Authenticated'],
    summary:
      'Logs in with a user name and a password, sent as they are (on a real network only over TLS). Quote them if they contain spaces. Success moves the session to the Authenticated state.',
    rfc: 'RFC 9051 §6.2.3',
    examples: ['a1 LOGIN alice wonderland', 'a1 LOGIN "alice" "wonderland"'],
  },
  states: ['Not Authenticated'],
  parse(args) {
    const user = args.astring('user name');
    const password = args.astring('password');
    args.end();
    return { user, password };
  },
  handle(ctx, p) {
    return authenticate(ctx, p.user, p.password);
  },
};
