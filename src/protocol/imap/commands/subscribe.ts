import { isValidMutf7, readMailbox, refuseMailboxName } from '../mailbox-names';
import { isRev2, no, ok, type ImapCommand } from '../types';

function command(name: 'SUBSCRIBE' | 'UNSUBSCRIBE'): ImapCommand<string> {
  const on = name === 'SUBSCRIBE';
  return {
    doc: {
      name,
      syntax: `tag ${name} mailbox`,
      states: ['Authenticated', 'Selected'],
      summary: on
        ? 'Adds a mailbox to your subscriptions: the folders a client shows by default (LIST ... RETURN (SUBSCRIBED), or LSUB).'
        : 'Removes a mailbox from your subscriptions. The mailbox and its messages stay.',
      rfc: on ? 'RFC 9051 §6.3.7' : 'RFC 9051 §6.3.8',
      examples: [`a1 ${name} Work`],
    },
    states: ['Authenticated', 'Selected'],
    reportsChanges: false,
    parse(args) {
      const mailbox = readMailbox(args);
      args.end();
      return mailbox;
    },
    handle(ctx, mailbox) {
      // Dovecot checks the whole name for UNSUBSCRIBE, only its encoding for SUBSCRIBE (an
      // invalid name then "doesn't exist").
      if (on && !isRev2(ctx) && !isValidMutf7(mailbox)) return no('Mailbox name is not valid mUTF-7');
      const refused = on ? null : refuseMailboxName(ctx, mailbox);
      if (refused) return refused;
      // A subscription outlives its mailbox: UNSUBSCRIBE drops it whether or not the mailbox is
      // still there (and is OK for a name never subscribed, as Dovecot answers).
      if (on && !ctx.store.getMailbox(ctx.user!, mailbox)) return no(`Mailbox doesn't exist: ${mailbox}`);
      ctx.store.setSubscribed(ctx.user!, mailbox, on, ctx.id);
      return ok(on ? 'Subscribe completed' : 'Unsubscribe completed');
    },
  };
}

/** RFC 9051 §6.3.7 */
export const subscribe = command('SUBSCRIBE');
/** RFC 9051 §6.3.8 */
export const unsubscribe = command('UNSUBSCRIBE');
