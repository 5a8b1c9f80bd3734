import { messageHasFlag } from '../../../mail/store';
import { INVALID_UIDSET, parseSequenceSet, resolveUidSet, type SequenceSet } from '../sequence';
import { ok, type ImapCommand, type ImapContext } from '../types';

function run(ctx: ImapContext, set: SequenceSet | null) {
  const view = ctx.selected!;
  // Dovecot answers OK and does nothing in a read-only mailbox.
  if (view.readOnly) return ok('Expunge completed');
  const indexes = set ? resolveUidSet(set, view.uids) : view.messages.map((_, i) => i);
  const uids = indexes
    .filter((i) => !view.isGhost(i) && messageHasFlag(view.messages[i], '\\Deleted'))
    .map((i) => view.uids[i]);
  if (uids.length) ctx.store.expunge(ctx.user!, view.name, uids, ctx.id);
  return ok('Expunge completed', view.expungeOwn(uids, true));
}

/** RFC 9051 §6.4.3 */
export const expunge: ImapCommand<SequenceSet | null> = {
  doc: {
    name: 'EXPUNGE',
    syntax: 'tag EXPUNGE',
    states: ['Selected'],
    summary:
      'Permanently removes every message marked \\Deleted. Each removal is reported as "* n EXPUNGE", and the numbers of the messages after it shift down by one, in this session and, at their next command, in every other session.',
    rfc: 'RFC 9051 §6.4.3',
    examples: ['a1 EXPUNGE'],
  },
  uidDoc: {
    name: 'UID EXPUNGE',
    syntax: 'tag UID EXPUNGE uid-set',
    states: ['Selected'],
    summary:
      'Removes only those \\Deleted messages whose UIDs are in the set, so a client does not remove what another device marked deleted meanwhile.',
    rfc: 'RFC 9051 §6.4.9, RFC 4315',
    examples: ['a1 UID EXPUNGE 3:5'],
  },
  states: ['Selected'],
  parse(args, _ctx, uid) {
    // Dovecot ignores arguments to plain EXPUNGE (measured).
    if (!uid) {
      return null;
    }
    const pos = args.pos;
    const set = parseSequenceSet(args.atom('UID set'), pos, INVALID_UIDSET);
    args.end();
    return set;
  },
  handle(ctx, set) {
    return run(ctx, set);
  },
};
