import { ok, type Pop3Command } from '../types';

export const dele: Pop3Command = {
  name: 'DELE',
  syntax: 'DELE msg',
  states: ['TRANSACTION'],
  summary:
    'Marks a message as deleted. Nothing is removed yet: the message just disappears from STAT, ' +
    'LIST and UIDL and cannot be retrieved. It is removed only when QUIT takes the session into ' +
    'the UPDATE state; RSET or a dropped connection keeps it.',
  rfc: 'RFC 1939 §5',
  examples: ['DELE 1'],
  args: { kind: 'msg', optional: false },
  handler(ctx, args) {
    const uid = ctx.maildrop!.mark(args.msg!);
    return ok('Marked to be deleted.', { notices: [{ type: 'marked', uid, deleted: true }] });
  },
};
