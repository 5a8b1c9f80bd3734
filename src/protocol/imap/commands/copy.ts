import { untaggedStatus, type Untagged } from '../formatter';
import { readMailbox, refuseMailboxName } from '../mailbox-names';
import { ImapParseError } from '../parser';
import {
  compactSet,
  INVALID_MESSAGESET,
  INVALID_UIDSET,
  parseSequenceSet,
  type SequenceSet,
} from '../sequence';
import { no, noteCondstoreUse, ok, type CommandResult, type ImapCommand, type ImapContext } from '../types';
import { resolveSet } from './fetch';

interface CopyArgs {
  set: SequenceSet;
  mailbox: string;
}

function parse(args: import('../parser').Args, _ctx: ImapContext, uid: boolean): CopyArgs {
  const pos = args.pos;
  const set = parseSequenceSet(args.atom('sequence set'), pos, uid ? INVALID_UIDSET : INVALID_MESSAGESET);
  const mailbox = readMailbox(args);
  args.end();
  return { set, mailbox };
}

function run(ctx: ImapContext, a: CopyArgs, uid: boolean, move: boolean): CommandResult {
  const view = ctx.selected!;
  const indexes = resolveSet(view, a.set, uid);
  if (!indexes) throw new ImapParseError(INVALID_MESSAGESET, 0);
  // A UID set that names no message is answered at once, before the destination is looked at:
  // Dovecot says OK even to a mailbox that does not exist or a name it would refuse (measured).
  if (!indexes.length) return ok('No messages found');
  const refused = refuseMailboxName(ctx, a.mailbox);
  if (refused) return refused;
  const dest = ctx.store.getMailbox(ctx.user!, a.mailbox);
  if (!dest) return no(`Mailbox doesn't exist: ${a.mailbox}`, 'TRYCREATE');
  if (move && view.readOnly) return no('Mailbox is read-only, messages cannot be moved', 'READ-ONLY');
  const live = indexes.filter((i) => !view.isGhost(i));
  if (!live.length) return no('Some of the requested messages no longer exist', 'EXPUNGEISSUED');
  const uids = live.map((i) => view.uids[i]);
  noteCondstoreUse(ctx, dest.name);
  const pairs = ctx.store.copy(ctx.user!, view.name, uids, dest.name, ctx.id);
  // RFC 4315 §3: COPYUID uidvalidity source-uids dest-uids, in matching order.
  const code = `COPYUID ${dest.uidValidity} ${compactSet(pairs.map((p) => p[0]))} ${compactSet(pairs.map((p) => p[1]))}`;
  if (!move) return ok('Copy completed', [], code);
  // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
  const untagged: Untagged[] = [untaggedStatus('OK', 'Moved UIDs.', code)];
  ctx.store.expunge(ctx.user!, view.name, uids, ctx.id);
  // The session writes these EXPUNGEs after the command, with any other session's.
  view.queueExpunge(uids);
  return ok('Move completed', untagged);
}

/** RFC 9051 §6.4.7 with UIDPLUS COPYUID (RFC 4315). */
export const copy: ImapCommand<CopyArgs> = {
  doc: {
    name: 'COPY',
    syntax: 'tag COPY sequence-set mailbox',
    states: ['Selected'],
    summary:
      "Copies messages into another mailbox on the server, flags included. The reply's COPYUID tells which new UIDs the copies got. The originals stay.",
    rfc: 'RFC 9051 §6.4.7',
    examples: ['a1 COPY 1:3 Archive'],
  },
  uidDoc: {
    name: 'UID COPY',
    syntax: 'tag UID COPY uid-set mailbox',
    states: ['Selected'],
    summary: 'COPY addressed by UID.',
    rfc: 'RFC 9051 §6.4.9',
    examples: ['a1 UID COPY 42 Archive'],
  },
  states: ['Selected'],
  parse,
  handle(ctx, a, uid) {
    return run(ctx, a, uid, false);
  },
  // RFC 3501 §7.4.1 / RFC 9051 §7.5.1 forbid EXPUNGE only during FETCH, STORE and SEARCH:
  // Dovecot reports other sessions' expunges after COPY and MOVE (measured).
  allowExpunge: () => true,
};

/** RFC 6851 / RFC 9051 §6.4.8: copy, then expunge the originals, in one step. */
export const move: ImapCommand<CopyArgs> = {
  doc: {
    name: 'MOVE',
    syntax: 'tag MOVE sequence-set mailbox',
    states: ['Selected'],
    summary:
      'Moves messages to another mailbox: the server copies them and expunges the originals at once, so the EXPUNGE replies follow. Every other device sees the message leave this mailbox and arrive in the other.',
    rfc: 'RFC 9051 §6.4.8, RFC 6851',
    examples: ['a1 MOVE 2 Trash', 'a1 MOVE 1:* Archive'],
  },
  uidDoc: {
    name: 'UID MOVE',
    syntax: 'tag UID MOVE uid-set mailbox',
    states: ['Selected'],
    summary: 'MOVE addressed by UID.',
    rfc: 'RFC 9051 §6.4.9',
    examples: ['a1 UID MOVE 42 Trash'],
  },
  states: ['Selected'],
  parse,
  handle(ctx, a, uid) {
    return run(ctx, a, uid, true);
  },
  // RFC 3501 §7.4.1 / RFC 9051 §7.5.1 forbid EXPUNGE only during FETCH, STORE and SEARCH:
  // Dovecot reports other sessions' expunges after COPY and MOVE (measured).
  allowExpunge: () => true,
};
