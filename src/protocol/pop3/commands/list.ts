import { ok, type Pop3Command } from '../types';

export const list: Pop3Command = {
  name: 'LIST',
  syntax: 'LIST [msg]',
  states: ['TRANSACTION'],
  summary:
    'Gives the size in octets of one message ("+OK msg octets") or, without an argument, of every ' +
    'message not marked deleted, one "msg octets" line each. Message numbers stay the same for ' +
    'the whole session, so a deleted message leaves a gap.',
  rfc: 'RFC 1939 §5',
  examples: ['LIST', 'LIST 1'],
  args: { kind: 'msg', optional: true },
  handler(ctx, args) {
    const md = ctx.maildrop!;
    if (args.msg !== null) return ok(`${args.msg} ${md.size(args.msg)}`);
    // Dovecot's first line says how many follow (measured: "+OK 5 messages:").
    return ok(`${md.liveCount} messages:`, { lines: md.listLines() });
  },
};
