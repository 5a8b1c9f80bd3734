import { ok, type Pop3Command } from '../types';

export const retr: Pop3Command = {
  name: 'RETR',
  syntax: 'RETR msg',
  states: ['TRANSACTION'],
  summary:
    'Downloads a whole message, exactly as stored: "+OK octets", the message with every line that ' +
    'starts with "." given one extra ".", then a line holding only ".". The copy now lives on the ' +
    'device; the server keeps its own until DELE and QUIT. Like Dovecot, the message becomes \\Seen ' +
    'on the server when the session ends with QUIT.',
  rfc: 'RFC 1939 §5',
  examples: ['RETR 1'],
  args: { kind: 'msg', optional: false },
  handler(ctx, args) {
    const md = ctx.maildrop!;
    const n = args.msg!;
    md.markRetrieved(n);
    return ok(`${md.size(n)} octets`, {
      body: md.raw(n),
      wire: md.retrReply(n),
      notices: [{ type: 'retrieved', uid: md.uid(n) }],
    });
  },
};
