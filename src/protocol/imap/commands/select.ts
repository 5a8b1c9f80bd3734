import { data, untaggedStatus, type Untagged } from '../formatter';
import { MailboxView, modseqsTracked, trackModseqs } from '../mailbox-view';
import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { ImapParseError, type Args } from '../parser';
import {
  bad,
  isCondstore,
  isRev2,
  no,
  ok,
  type CommandResult,
  type ImapCommand,
  type ImapContext,
} from '../types';

/** The mailbox name, or the syntax error (answered only after the old mailbox is closed). */
type SelectArgs = { name: string; condstore: boolean } | { error: ImapParseError };

/** select = "SELECT" SP mailbox [SP "(" select-param *(SP select-param) ")"] (RFC 7162 §3.1.8: CONDSTORE). */
function parse(args: Args): SelectArgs {
  try {
    const name = readMailbox(args);
    let condstore = false;
    if (!args.done) {
      const list = args.list('select parameters');
      for (const t of list) {
        if (t.t !== 'atom' || t.v.toUpperCase() !== 'CONDSTORE')
          throw new ImapParseError('Unknown select parameter', t.pos);
        condstore = true;
      }
    }
    args.end();
    return { name, condstore };
  } catch (e) {
    if (e instanceof ImapParseError) return { error: e };
    throw e;
  }
}

function open(ctx: ImapContext, a: SelectArgs, readOnly: boolean): CommandResult {
  const untagged: Untagged[] = [];
  // Selecting always closes the previous mailbox first, even when the new one fails
  // (RFC 9051 §6.3.2); Dovecot says so with a CLOSED response code (RFC 7162 §3.2.11).
  const wasSelected = ctx.selected !== null;
  if (wasSelected) untagged.push(untaggedStatus('OK', 'Previous mailbox closed.', 'CLOSED'));
  ctx.selected = null;
  // Dovecot closes the selected mailbox even when the arguments are wrong (measured).
  if ('error' in a) {
    const r = bad(`Error in IMAP command ${readOnly ? 'EXAMINE' : 'SELECT'}: ${a.error.message}`);
    return { ...r, untagged, effect: wasSelected ? 'deselect' : undefined };
  }
  const name = a.name;
  if (a.condstore) ctx.enabled.add('CONDSTORE');
  const refused = refuseMailboxName(ctx, name);
  if (refused) return { ...refused, untagged, effect: wasSelected ? 'deselect' : undefined };
  const mb = ctx.store.getMailbox(ctx.user!, name);
  if (!mb) {
    const r = no(`Mailbox doesn't exist: ${name}`, isRev2(ctx) ? 'NONEXISTENT' : undefined, untagged);
    return { ...r, effect: wasSelected ? 'deselect' : undefined };
  }
  const view = new MailboxView(ctx.store, ctx.user!, mb.name, readOnly, !isRev2(ctx));
  ctx.selected = view;
  untagged.push(...view.flagsResponses());
  untagged.push(data(view.exists, 'EXISTS'));
  if (!isRev2(ctx)) {
    untagged.push(data(view.recent.size, 'RECENT'));
    // RFC 3501 §6.3.1: the sequence number of the first unseen message, when there is one.
    const firstUnseen = view.messages.findIndex((m) => !m.flags.includes('\\Seen'));
    if (firstUnseen >= 0) untagged.push(untaggedStatus('OK', 'First unseen.', `UNSEEN ${firstUnseen + 1}`));
  }
  untagged.push(untaggedStatus('OK', 'UIDs valid', `UIDVALIDITY ${mb.uidValidity}`));
  untagged.push(untaggedStatus('OK', 'Predicted next UID', `UIDNEXT ${mb.uidNext}`));
  // A CONDSTORE session starts Dovecot tracking the mailbox's MODSEQs; once tracked, every
  // SELECT and EXAMINE says HIGHESTMODSEQ, also in sessions without CONDSTORE (measured).
  if (isCondstore(ctx)) {
    view.condstore = true;
    trackModseqs(ctx.store, ctx.user!, mb.name);
  }
  if (view.condstore || modseqsTracked(ctx.store, ctx.user!, mb.name))
    untagged.push(untaggedStatus('OK', 'Highest', `HIGHESTMODSEQ ${mb.highestModSeq}`));
  return {
    ...ok(
      readOnly ? 'Examine completed' : 'Select completed',
      untagged,
      readOnly ? 'READ-ONLY' : 'READ-WRITE',
    ),
    effect: 'select',
  };
}

/** RFC 9051 §6.3.2 */
export const select: ImapCommand<SelectArgs> = {
  doc: {
    name: 'SELECT',
    syntax: 'tag SELECT mailbox',
    states: ['Authenticated', 'Selected'],
    summary:
      'Opens a mailbox for reading and changing. The server answers with how many messages it holds (EXISTS), the flags in use, and the UIDVALIDITY and UIDNEXT a client needs to resynchronize. Sequence numbers 1..N now refer to its messages.',
    rfc: 'RFC 9051 §6.3.2',
    examples: ['a1 SELECT INBOX', 'a1 SELECT Sent'],
  },
  states: ['Authenticated', 'Selected'],
  parse,
  handle(ctx, a) {
    return open(ctx, a, false);
  },
};

/** RFC 9051 §6.3.3 */
export const examine: ImapCommand<SelectArgs> = {
  doc: {
    name: 'EXAMINE',
    syntax: 'tag EXAMINE mailbox',
    states: ['Authenticated', 'Selected'],
    summary:
      'Opens a mailbox read-only: like SELECT, but nothing can change, not even the \\Seen flag when you read a message.',
    rfc: 'RFC 9051 §6.3.3',
    examples: ['a1 EXAMINE INBOX'],
  },
  states: ['Authenticated', 'Selected'],
  parse,
  handle(ctx, a) {
    return open(ctx, a, true);
  },
};
