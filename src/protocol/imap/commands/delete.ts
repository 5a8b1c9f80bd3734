import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { no, ok, type ImapCommand } from '../types';

/**
 * RFC 9051 §6.3.5. Deleting a mailbox removes its messages for good; a session that had it
 * selected is told at its next command (Dovecot ends it with BYE).
 */
export const del: ImapCommand<string> = {
  doc: {
    name: 'DELETE',
    syntax: 'tag DELETE mailbox',
    states: ['Authenticated', 'Selected'],
    summary:
      'Deletes a mailbox and every message in it. INBOX cannot be deleted. If the mailbox is selected by this session, the server answers OK and then ends the session (as Dovecot does).',
    rfc: 'RFC 9051 §6.3.5',
    examples: ['a1 DELETE Work'],
  },
  states: ['Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const name = readMailbox(args);
    args.end();
    return name;
  },
  handle(ctx, name) {
    if (name === '') return no("Storage root can't be deleted", 'CANNOT');
    const refused = refuseMailboxName(ctx, name);
    if (refused) return refused;
    if (name === 'INBOX') return no("INBOX can't be deleted");
    if (!ctx.store.getMailbox(ctx.user!, name)) return no(`Mailbox doesn't exist: ${name}`, 'NONEXISTENT');
    // Deleting our own selected mailbox: Dovecot answers OK, then says BYE and disconnects.
    const own = ctx.selected?.name === name;
    ctx.store.deleteMailbox(ctx.user!, name, ctx.id);
    if (own) {
      ctx.selected = null;
      return {
        ...ok('Delete completed'),
        effect: 'disconnect',
        bye: 'Selected mailbox was deleted, have to disconnect.',
      };
    }
    return ok('Delete completed');
  },
};
