import { ok, type Pop3Command } from '../types';

export const stat: Pop3Command = {
  name: 'STAT',
  syntax: 'STAT',
  states: ['TRANSACTION'],
  summary:
    'Reports how many messages are in the maildrop and their total size in octets, as ' +
    '"+OK count octets". Messages marked with DELE are left out of both numbers.',
  rfc: 'RFC 1939 §5',
  examples: ['STAT'],
  args: { kind: 'none' },
  handler(ctx) {
    const md = ctx.maildrop!;
    return ok(`${md.liveCount} ${md.liveSize}`);
  },
};
