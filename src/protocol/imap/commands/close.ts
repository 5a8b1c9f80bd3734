import { messageHasFlag } from '../../../mail/store';
import { ok, type ImapCommand } from '../types';

/** RFC 9051 §6.4.1: silently expunges \Deleted messages (unless read-only), then deselects. */
export const close: ImapCommand<void> = {
  doc: {
    name: 'CLOSE',
    syntax: 'tag CLOSE',
    states: ['Selected'],
    summary:
      'Closes the selected mailbox and, if it was opened with SELECT, removes the messages marked \\Deleted without reporting them one by one. The session goes back to the Authenticated state.',
    rfc: 'RFC 9051 §6.4.1',
    examples: ['a1 CLOSE'],
  },
  states: ['Selected'],
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle(ctx) {
    const view = ctx.selected!;
    if (!view.readOnly) {
      const uids = view.messages
        .filter((m, i) => !view.isGhost(i) && messageHasFlag(m, '\\Deleted'))
        .map((m) => m.uid);
      if (uids.length) ctx.store.expunge(ctx.user!, view.name, uids, ctx.id);
    }
    ctx.selected = null;
    return { ...ok('Close completed'), effect: 'deselect' };
  },
};

/** RFC 3691 / RFC 9051 §6.4.2: deselect without expunging. */
export const unselect: ImapCommand<void> = {
  doc: {
    name: 'UNSELECT',
    syntax: 'tag UNSELECT',
    states: ['Selected'],
    summary: 'Closes the selected mailbox without removing anything, even messages marked \\Deleted.',
    rfc: 'RFC 9051 §6.4.2, RFC 3691',
    examples: ['a1 UNSELECT'],
  },
  states: ['Selected'],
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle(ctx) {
    ctx.selected = null;
    return { ...ok('Unselect completed'), effect: 'deselect' };
  },
};
