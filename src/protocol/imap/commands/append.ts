import { toCrlf } from '../../../mail/store';
import { registerKeywords } from '../mailbox-view';
import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { ImapParseError } from '../parser';
import { no, noteCondstoreUse, ok, type ImapCommand } from '../types';
import { parseDateTime, readFlagList } from './flags';

interface AppendArgs {
  mailbox: string;
  flags: string[];
  date: number | null;
  message: string;
}

/** RFC 9051 §6.3.12 with UIDPLUS's APPENDUID (RFC 4315) and LITERAL+ (RFC 7888). */
export const append: ImapCommand<AppendArgs> = {
  doc: {
    name: 'APPEND',
    syntax: 'tag APPEND mailbox [(flags)] ["date-time"] {size}',
    states: ['Authenticated', 'Selected'],
    summary:
      'Uploads a whole message into a mailbox, as a literal: {size} announces the octets, the server answers "+", then the message follows. This is how a client saves a sent message to Sent or a draft to Drafts. The reply gives the new UID (APPENDUID).',
    rfc: 'RFC 9051 §6.3.12, RFC 4315',
    examples: [
      'a1 APPEND Drafts (\\Draft) {23}',
      'a1 APPEND INBOX (\\Seen) "03-Mar-2025 10:15:00 +0100" {23+}',
    ],
  },
  states: ['Authenticated', 'Selected'],
  parse(args) {
    const mailbox = readMailbox(args);
    let flags: string[] = [];
    let date: number | null = null;
    if (args.peek()?.t === 'list') flags = readFlagList(args.list('flag list'), args.pos, false);
    const t = args.peek();
    if (t?.t === 'quoted') {
      args.next('date-time');
      date = parseDateTime(t.v);
      if (date === null) throw new ImapParseError('Invalid date-time', t.pos);
    }
    const m = args.next('message literal');
    if (m.t !== 'literal') throw new ImapParseError('Expected the message as a literal', m.pos);
    args.end();
    return { mailbox, flags, date, message: m.v };
  },
  handle(ctx, a) {
    const refused = refuseMailboxName(ctx, a.mailbox);
    if (refused) return refused;
    const mb = ctx.store.getMailbox(ctx.user!, a.mailbox);
    if (!mb) return no(`Mailbox doesn't exist: ${a.mailbox}`, 'TRYCREATE');
    if (a.message.length === 0) return no("Can't save a zero byte message");
    noteCondstoreUse(ctx, mb.name);
    registerKeywords(ctx.store, ctx.user!, mb.name, a.flags);
    const m = ctx.store.deliver(ctx.user!, mb.name, toCrlf(a.message), {
      flags: a.flags,
      internalDate: a.date ?? ctx.now(),
      origin: ctx.id,
    });
    return ok('Append completed', [], `APPENDUID ${mb.uidValidity} ${m.uid}`);
  },
};
