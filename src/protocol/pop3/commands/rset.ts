import { ok, type Pop3Command } from '../types';

export const rset: Pop3Command = {
  name: 'RSET',
  syntax: 'RSET',
  states: ['TRANSACTION'],
  summary:
    'Takes back every DELE of this session: all messages marked as deleted are unmarked and show ' +
    'up again in STAT, LIST and UIDL. Like Dovecot, it also forgets which messages RETR sent, so ' +
    'QUIT will not mark those \\Seen.',
  rfc: 'RFC 1939 §5',
  examples: ['RSET'],
  args: { kind: 'none' },
  handler(ctx) {
    const uids = ctx.maildrop!.reset();
    return ok('', { notices: uids.map((uid) => ({ type: 'marked', uid, deleted: false })) });
  },
};
