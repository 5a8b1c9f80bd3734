import { StoreError } from '../../../mail/store';
import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { no, ok, type ImapCommand } from '../types';

/** RFC 9051 §6.3.4. A trailing delimiter only announces a future parent; it is dropped. */
export const create: ImapCommand<string> = {
  doc: {
    name: 'CREATE',
    syntax: 'tag CREATE mailbox',
    states: ['Authenticated', 'Selected'],
    summary:
      'Creates a new mailbox (a folder). Use "/" to make one inside another, e.g. "Work/Projects". Every other device sees it in its next LIST.',
    rfc: 'RFC 9051 §6.3.4',
    examples: ['a1 CREATE Work', 'a1 CREATE "Work/Old projects"'],
  },
  states: ['Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const name = readMailbox(args);
    args.end();
    return name.endsWith('/') ? name.slice(0, -1) : name;
  },
  handle(ctx, name) {
    const refused = refuseMailboxName(ctx, name, true);
    if (refused) return refused;
    if (name === 'INBOX' || ctx.store.getMailbox(ctx.user!, name))
      return no('Mailbox already exists', 'ALREADYEXISTS');
    try {
      ctx.store.createMailbox(ctx.user!, name, { origin: ctx.id });
    } catch (e) {
      if (e instanceof StoreError)
        return no(e.message, e.reason === 'ALREADYEXISTS' ? 'ALREADYEXISTS' : 'CANNOT');
      throw e;
    }
    return ok('Create completed');
  },
};
