import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { no, ok, type ImapCommand } from '../types';

/**
 * RFC 9051 §6.3.6. Renaming INBOX is special: its messages move to the new mailbox and an
 * empty INBOX stays (the store implements that).
 */
export const rename: ImapCommand<{ from: string; to: string }> = {
  doc: {
    name: 'RENAME',
    syntax: 'tag RENAME existing-mailbox new-mailbox',
    states: ['Authenticated', 'Selected'],
    summary:
      'Renames a mailbox, with the mailboxes inside it. Renaming INBOX is special: its messages move to the new mailbox and INBOX stays, empty.',
    rfc: 'RFC 9051 §6.3.6',
    examples: ['a1 RENAME Work Projects', 'a1 RENAME INBOX "Old mail"'],
  },
  states: ['Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const from = readMailbox(args, 'existing mailbox name');
    const to = readMailbox(args, 'new mailbox name');
    args.end();
    return { from, to };
  },
  // Dovecot's order (measured): both names' checks, a move under itself (even of a mailbox
  // that does not exist), the source's existence, then the target's.
  handle(ctx, { from, to }) {
    const user = ctx.user!;
    const refused = refuseMailboxName(ctx, from) ?? refuseMailboxName(ctx, to, true);
    if (refused) return refused;
    if (to.startsWith(from + '/')) return no("Can't rename mailbox under its own child");
    if (!ctx.store.getMailbox(user, from)) return no(`Mailbox doesn't exist: ${from}`, 'NONEXISTENT');
    if (to === from) return no("Can't rename mailbox to itself", 'ALREADYEXISTS');
    if (to === 'INBOX' || ctx.store.getMailbox(user, to))
      return no('Target mailbox already exists', 'ALREADYEXISTS');
    ctx.store.renameMailbox(user, from, to, ctx.id);
    return ok('Rename completed');
  },
};
