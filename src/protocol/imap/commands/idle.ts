import { ok, type ImapCommand } from '../types';

/**
 * RFC 2177 / RFC 9051 §6.3.13. The tagged reply comes only after the client sends DONE; until
 * then the server pushes changes the moment they happen. That is how a phone shows new mail
 * at once instead of polling.
 */
export const idle: ImapCommand<void> = {
  doc: {
    name: 'IDLE',
    syntax: 'tag IDLE ... DONE',
    states: ['Authenticated', 'Selected'],
    summary:
      'Tells the server "I am listening": after its "+ idling" it pushes EXISTS, EXPUNGE and FETCH updates the moment another device changes the mailbox. Type DONE to end it and get the tagged OK.',
    rfc: 'RFC 9051 §6.3.13, RFC 2177',
    examples: ['a1 IDLE', 'DONE'],
  },
  states: ['Authenticated', 'Selected'],
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle() {
    return { ...ok('Idle completed.'), effect: 'idle' };
  },
};
