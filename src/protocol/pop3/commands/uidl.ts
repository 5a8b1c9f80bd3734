import { ok, type Pop3Command } from '../types';

export const uidl: Pop3Command = {
  name: 'UIDL',
  syntax: 'UIDL [msg]',
  states: ['TRANSACTION'],
  summary:
    'Gives the unique-id of one message or of every message not marked deleted. Unlike message ' +
    'numbers, a unique-id stays the same across sessions, so it is the only way a POP3 client can ' +
    'remember which messages it already downloaded ("leave messages on server").',
  rfc: 'RFC 1939 §7',
  examples: ['UIDL', 'UIDL 1'],
  args: { kind: 'msg', optional: true },
  handler(ctx, args) {
    const md = ctx.maildrop!;
    if (args.msg !== null) return ok(`${args.msg} ${md.uidl(args.msg)}`);
    // The listing comes as ready CRLF octets (no line starts with "."): the same bytes as
    // `lines: md.uidlLines()`, without a string per line per session.
    return ok('', { body: md.uidlListing(), bodyNeedsNoStuffing: true, wire: md.uidlReply() });
  },
};
