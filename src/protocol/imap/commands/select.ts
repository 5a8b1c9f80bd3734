import { data, untaggedStatus, type Untagged } from '../formatter';
import { MailboxView } from '../mailbox-view';
import { readMailbox } from '../mailbox-names';
import { isRev2, no, ok, type CommandResult, type ImapCommand, type ImapContext } from '../types';

function open(ctx: ImapContext, name: string, readOnly: boolean): CommandResult {
  const untagged: Untagged[] = [];
  // Selecting always closes the previous mailbox first, even when the new one fails
  // (RFC 9051 §6.3.2); Dovecot says so with a CLOSED response code (RFC 7162 §3.2.11).
  const wasSelected = ctx.selected !== null;
  if (wasSelected) untagged.push(untaggedStatus('OK', 'Previous mailbox closed.', 'CLOSED'));
  ctx.selected = null;
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
export const select: ImapCommand<string> = {
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
  parse(args) {
    const name = readMailbox(args);
    args.end();
    return name;
  },
  handle(ctx, name) {
    return open(ctx, name, false);
  },
};

/** RFC 9051 §6.3.3 */
export const examine: ImapCommand<string> = {
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
  parse: select.parse,
  handle(ctx, name) {
    return open(ctx, name, true);
  },
};
