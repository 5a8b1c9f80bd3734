import { POP3_SASL_MECHANISMS, ok, type Pop3Command, type Pop3State } from '../types';

/**
 * Dovecot 2.3 lists, in this order (measured): CAPA, TOP, UIDL, RESP-CODES, PIPELINING,
 * AUTH-RESP-CODE, and before login also USER and "SASL PLAIN LOGIN" (with
 * `auth_mechanisms = plain login`). We keep that list and order so
 * clients see the same thing, and add the RFC 2449 §6 tags the lab teaches after it: EXPIRE
 * (§6.7: we never delete mail on our own), LOGIN-DELAY (§6.8: no delay) and IMPLEMENTATION (§6.9).
 */
export function pop3Capabilities(state: Pop3State): string[] {
  const caps = ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE'];
  if (state === 'AUTHORIZATION') caps.push('USER', `SASL ${POP3_SASL_MECHANISMS.join(' ')}`);
  caps.push('EXPIRE NEVER', 'LOGIN-DELAY 0', 'IMPLEMENTATION POP-vs-IMAP-Lab');
  return caps;
}

export const capa: Pop3Command = {
  name: 'CAPA',
  syntax: 'CAPA',
  states: ['AUTHORIZATION', 'TRANSACTION'],
  summary:
    'Asks the server what it supports, one capability per line: optional commands (TOP, UIDL, ' +
    'USER), login methods (SASL PLAIN LOGIN), pipelining, response codes, and policies such as how ' +
    'long mail is kept (EXPIRE). The list can change after login.',
  rfc: 'RFC 2449 §5',
  examples: ['CAPA'],
  args: { kind: 'none' },
  handler(ctx) {
    return ok('', { lines: pop3Capabilities(ctx.state) });
  },
};
