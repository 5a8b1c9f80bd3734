import { mailboxNameProblem, readMailbox } from '../mailbox-names';
import { ImapParseError } from '../parser';
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
  parse(args) {
    const from = readMailbox(args, 'existing mailbox name');
    const pos = args.pos;
    const to = readMailbox(args, 'new mailbox name');
    args.end();
    const problem = mailboxNameProblem(to);
    if (problem) throw new ImapParseError(problem, pos);
    return { from, to };
  },
  handle(ctx, { from, to }) {
    const user = ctx.user!;
    if (!ctx.store.getMailbox(user, from)) return no(`Mailbox doesn't exist: ${from}`, 'NONEXISTENT');
    if (to === 'INBOX' || ctx.store.getMailbox(user, to))
      return no('Target mailbox already exists', 'ALREADYEXISTS');
    if (from !== 'INBOX' && (to === from || to.startsWith(from + '/')))
      return no("Can't rename mailbox under itself", 'CANNOT');
    ctx.store.renameMailbox(user, from, to, ctx.id);
    return ok('Rename completed');
  },
};
