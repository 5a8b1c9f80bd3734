import type { MailboxData, StoredMessage } from '../../../mail/types';
import { astring, data, type ImapValue, type Untagged } from '../formatter';
import { mailboxShared } from '../mailbox-view';
import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { ImapParseError, type Token } from '../parser';
import {
  enableCondstore,
  isRev2,
  no,
  noteCondstoreUse,
  ok,
  type ImapCommand,
  type ImapContext,
} from '../types';

/** Dovecot answers in this order whatever order the client asked in. */
export const STATUS_ITEMS = [
  'MESSAGES',
  'RECENT',
  'UIDNEXT',
  'UIDVALIDITY',
  'UNSEEN',
  'DELETED',
  'HIGHESTMODSEQ',
  'SIZE',
] as const;

/** Bits of STATUS_ITEMS, so a request is one number (no Set and no closure per STATUS). */
const MESSAGES = 1 << 0;
const RECENT = 1 << 1;
const UNSEEN = 1 << 4;
const DELETED = 1 << 5;
export const HIGHESTMODSEQ = 1 << 6;
const SIZE = 1 << 7;
/** Items counted over the messages, in one pass. */
const COUNTED = RECENT | UNSEEN | DELETED | SIZE;

/**
 * A status-att list (RFC 9051 §9: "(" status-att *(SP status-att) ")", also LIST's RETURN
 * (STATUS ...), RFC 5819) as bits of STATUS_ITEMS, with Dovecot's words for what is wrong.
 */
export function readStatusItems(list: readonly Token[], pos: number): number {
  if (!list.length) throw new ImapParseError('Empty status list', pos);
  let asked = 0;
  for (const t of list) {
    if (t.t === 'list') throw new ImapParseError('Status list contains non-atoms', t.pos);
    const at = t.t === 'atom' ? (STATUS_ITEMS as readonly string[]).indexOf(t.v.toUpperCase()) : -1;
    if (at < 0) throw new ImapParseError(`Invalid status item ${t.v}`, t.pos);
    asked |= 1 << at;
  }
  return asked;
}

function isFlagged(m: StoredMessage, upper: string): boolean {
  const flags = m.flags;
  for (let i = 0; i < flags.length; i++) if (flags[i].toUpperCase() === upper) return true;
  return false;
}

/**
 * The asked items of a mailbox and their values, in Dovecot's order. The selected mailbox is
 * counted as this session knows it, as Dovecot does: what other sessions changed since the last
 * report (new messages, expunges) is not in MESSAGES, RECENT or UIDNEXT until the session hears
 * of it. One pass over the messages for RECENT, UNSEEN, DELETED and SIZE.
 */
export function statusValues(ctx: ImapContext, mb: MailboxData, asked: number): ImapValue[] {
  const own = ctx.selected && ctx.selected.name === mb.name ? ctx.selected : null;
  const messages = own ? own.messages : mb.messages;
  noteCondstoreUse(ctx, mb.name);
  let recent = 0;
  let unseen = 0;
  let deleted = 0;
  let size = 0;
  if (asked & COUNTED) {
    // RFC 3501 §2.3.2: \Recent is the messages no session has seen yet, or (the selected
    // mailbox) those this session was the first to see. 0: no count wanted.
    const firstRecent =
      own || !(asked & RECENT) ? 0 : mailboxShared(ctx.store, ctx.user!, mb.name)!.firstUnclaimedRecent;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      if (firstRecent && m.uid >= firstRecent) recent++;
      if (!isFlagged(m, '\\SEEN')) unseen++;
      if (isFlagged(m, '\\DELETED')) deleted++;
      size += m.raw.length;
    }
    if (own) recent = own.recent.size;
  }
  const out: ImapValue[] = [];
  for (let i = 0; i < STATUS_ITEMS.length; i++) {
    const bit = 1 << i;
    if (!(asked & bit)) continue;
    let v: number;
    switch (bit) {
      case MESSAGES:
        v = messages.length;
        break;
      case RECENT:
        v = recent;
        break;
      case 1 << 2: // UIDNEXT
        v = own ? own.uidNext : mb.uidNext;
        break;
      case 1 << 3: // UIDVALIDITY
        v = mb.uidValidity;
        break;
      case UNSEEN:
        v = unseen;
        break;
      case DELETED:
        v = deleted;
        break;
      case HIGHESTMODSEQ:
        // RFC 7162 §3.1.9
        v = mb.highestModSeq;
        break;
      default:
        v = size;
    }
    out.push(STATUS_ITEMS[i], v);
  }
  return out;
}

/** One `* STATUS name (...)` response. */
export function statusResponse(ctx: ImapContext, name: string, mb: MailboxData, asked: number): Untagged {
  return data('STATUS', astring(name), statusValues(ctx, mb, asked));
}

/** RFC 9051 §6.3.11 (DELETED and SIZE are rev2 / RFC 8438 items; RECENT is rev1 only). */
export const status: ImapCommand<{ mailbox: string; given: string; asked: number }> = {
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
  reportsChanges: false,
  parse(args) {
    const given = args.peek()?.t === 'list' ? '' : ((args.peek()?.v as string | undefined) ?? '');
    const mailbox = readMailbox(args);
    const pos = args.pos;
    const next = args.peek();
    if (next && next.t !== 'list') throw new ImapParseError('Invalid arguments', pos);
    const list = args.list('status items');
    args.end();
    return { mailbox, given, asked: readStatusItems(list, pos) };
  },
  handle(ctx, { mailbox, given, asked }) {
    const refused = refuseMailboxName(ctx, mailbox);
    if (refused) return refused;
    const mb = ctx.store.getMailbox(ctx.user!, mailbox);
    if (!mb) return no(`Mailbox doesn't exist: ${mailbox}`, isRev2(ctx) ? 'NONEXISTENT' : undefined);
    const own = ctx.selected !== null && ctx.selected.name === mb.name;
    // Asking for HIGHESTMODSEQ turns CONDSTORE on (RFC 7162 §3.1): the selected mailbox's
    // HIGHESTMODSEQ comes first, as Dovecot sends it.
    const before = asked & HIGHESTMODSEQ ? enableCondstore(ctx) : [];
    // Dovecot hints that STATUS on the selected mailbox is a client bug (RFC 9051 §6.3.11 says SHOULD NOT).
    return ok(
      own ? 'Status on selected mailbox completed' : 'Status completed',
      // Dovecot echoes the name as the client spelled it ("inbox" stays "inbox").
      [...before, statusResponse(ctx, given, mb, asked)],
      own ? 'CLIENTBUG' : undefined,
    );
  },
};
