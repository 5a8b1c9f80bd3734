import { messageHasFlag } from '../../../mail/store';
import { astring, data, type ImapValue } from '../formatter';
import { mailboxShared } from '../mailbox-view';
import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { ImapParseError } from '../parser';
import { enableCondstore, isRev2, no, ok, type ImapCommand } from '../types';

/** Dovecot answers in this order whatever order the client asked in. */
const ITEMS = [
  'MESSAGES',
  'RECENT',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'DELETED',
  'HIGHESTMODSEQ',
  'SIZE',
] as const;
type Item = (typeof ITEMS)[number];

/** RFC 9051 §6.3.11 (DELETED and SIZE are rev2 / RFC 8438 items; RECENT is rev1 only). */
export const status: ImapCommand<{ mailbox: string; given: string; items: Item[] }> = {
  doc: {
    name: 'STATUS',
    syntax: 'tag STATUS mailbox (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT)',
    states: ['Authenticated', 'Selected'],
    summary:
      'Asks for counts about a mailbox without selecting it: how many messages, how many unseen or marked deleted, its total size, and the UIDNEXT/UIDVALIDITY a client compares with what it cached.',
    rfc: 'RFC 9051 §6.3.11',
    examples: ['a1 STATUS INBOX (MESSAGES UNSEEN)', 'a1 STATUS Sent (MESSAGES UIDNEXT UIDVALIDITY SIZE)'],
  },
  states: ['Authenticated', 'Selected'],
  parse(args) {
    const given = args.peek()?.t === 'list' ? '' : ((args.peek()?.v as string | undefined) ?? '');
    const mailbox = readMailbox(args);
    const pos = args.pos;
    const list = args.list('status items');
    args.end();
    if (!list.length) throw new ImapParseError('Empty status item list', pos);
    // Which of ITEMS were asked for, as bits (no Set and no closure per STATUS).
    let asked = 0;
    for (const t of list) {
      const at = t.t === 'atom' ? (ITEMS as readonly string[]).indexOf(t.v.toUpperCase()) : -1;
      if (at < 0) throw new ImapParseError(`Invalid status item ${t.t === 'list' ? '(...)' : t.v}`, t.pos);
      asked |= 1 << at;
    }
    const items: Item[] = [];
    for (let i = 0; i < ITEMS.length; i++) if (asked & (1 << i)) items.push(ITEMS[i]);
    return { mailbox, given, items };
  },
  handle(ctx, { mailbox, given, items }) {
    const refused = refuseMailboxName(ctx, mailbox);
    if (refused) return refused;
    const mb = ctx.store.getMailbox(ctx.user!, mailbox);
    if (!mb) return no(`Mailbox doesn't exist: ${mailbox}`, isRev2(ctx) ? 'NONEXISTENT' : undefined);
    const own = ctx.selected && ctx.selected.name === mb.name ? ctx.selected : null;
    const out: ImapValue[] = [];
    for (const item of items) {
      let v: number;
      switch (item) {
        case 'MESSAGES':
          v = mb.messages.length;
          break;
        case 'RECENT': {
          if (own) v = own.recent.size;
          else {
            const first = mailboxShared(ctx.store, ctx.user!, mb.name)!.firstUnclaimedRecent;
            v = mb.messages.filter((m) => m.uid >= first).length;
          }
          break;
        }
        case 'UIDNEXT':
          v = mb.uidNext;
          break;
        case 'UIDVALIDITY':
          v = mb.uidValidity;
          break;
        case 'UNSEEN':
          v = mb.messages.filter((m) => !messageHasFlag(m, '\\Seen')).length;
          break;
        case 'DELETED':
          v = mb.messages.filter((m) => messageHasFlag(m, '\\Deleted')).length;
          break;
        case 'SIZE':
          v = mb.messages.reduce((n, m) => n + m.raw.length, 0);
          break;
        case 'HIGHESTMODSEQ':
          // RFC 7162 §3.1.9
          v = mb.highestModSeq;
          break;
      }
      out.push(item, v);
    }
    // Dovecot hints that STATUS on the selected mailbox is a client bug (RFC 9051 §6.3.11 says SHOULD NOT).
    // Asking for HIGHESTMODSEQ turns CONDSTORE on (RFC 7162 §3.1): the selected mailbox's
    // HIGHESTMODSEQ comes first, as Dovecot sends it.
    const before = items.includes('HIGHESTMODSEQ') ? enableCondstore(ctx) : [];
    return ok(
      own ? 'Status on selected mailbox completed' : 'Status completed',
      // Dovecot echoes the name as the client spelled it ("inbox" stays "inbox").
      [...before, data('STATUS', astring(given), out)],
      own ? 'CLIENTBUG' : undefined,
    );
  },
};
