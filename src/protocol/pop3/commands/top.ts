import type { ByteString } from '../../../mail/types';
import { ok, type Pop3Command } from '../types';
import { retr } from './retr';

/**
 * The header, the blank line after it, and the first `count` body lines (RFC 1939 §7). A
 * message with no blank line is all header. Dovecot does the same (measured: TOP n 0 of a
 * header-only message sends just the header; a last line without CRLF gets one).
 */
export function topOf(raw: ByteString, count: number): ByteString {
  const blank = raw.startsWith('\r\n') ? 0 : raw.indexOf('\r\n\r\n');
  if (blank < 0) return raw;
  let pos = blank === 0 ? 2 : blank + 4;
  for (let i = 0; i < count && pos < raw.length; i++) {
    const nl = raw.indexOf('\r\n', pos);
    pos = nl < 0 ? raw.length : nl + 2;
  }
  return raw.slice(0, pos);
}

export const top: Pop3Command = {
  name: 'TOP',
  syntax: 'TOP msg n',
  states: ['TRANSACTION'],
  summary:
    'Shows the header of a message and its first n body lines, without downloading the rest: ' +
    'handy for previewing. Unlike RETR it does not make the message \\Seen.',
  rfc: 'RFC 1939 §7',
  examples: ['TOP 1 0', 'TOP 1 5'],
  args: { kind: 'msg-count' },
  handler(ctx, args) {
    // Infinity: the count was 2^64-1, which Dovecot treats as RETR (see gatePop3Command).
    if (args.count === Infinity) return retr.handler(ctx, args);
    return ok('', { body: topOf(ctx.maildrop!.raw(args.msg!), args.count!) });
  },
};
