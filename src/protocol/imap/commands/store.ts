import { data, type ImapValue, type Untagged } from '../formatter';
import { registerKeywords } from '../mailbox-view';
import { ImapParseError } from '../parser';
import { parseSequenceSet, type SequenceSet } from '../sequence';
import { ok, type ImapCommand } from '../types';
import { resolveSet } from './fetch';
import { checkFlag } from './flags';

interface StoreArgs {
  set: SequenceSet;
  mode: 'set' | 'add' | 'remove';
  silent: boolean;
  flags: string[];
}

/** RFC 9051 §6.4.6 and §6.4.9 (UID STORE). */
export const store: ImapCommand<StoreArgs> = {
  doc: {
    name: 'STORE',
    syntax: 'tag STORE sequence-set [+|-]FLAGS[.SILENT] (flags)',
    states: ['Selected'],
    summary:
      'Changes flags: FLAGS replaces them, +FLAGS adds, -FLAGS removes. \\Seen is "read", \\Flagged is the star, \\Deleted marks for removal at the next EXPUNGE. The server answers with the new flags (not with .SILENT), and every other session sees the change at its next command.',
    rfc: 'RFC 9051 §6.4.6',
    examples: [
      'a1 STORE 1 +FLAGS (\\Seen)',
      'a1 STORE 2:4 +FLAGS.SILENT (\\Deleted)',
      'a1 STORE 1 -FLAGS (\\Flagged)',
    ],
  },
  uidDoc: {
    name: 'UID STORE',
    syntax: 'tag UID STORE uid-set [+|-]FLAGS[.SILENT] (flags)',
    states: ['Selected'],
    summary: "STORE addressed by UID; the FETCH replies include each message's UID.",
    rfc: 'RFC 9051 §6.4.9',
    examples: ['a1 UID STORE 42 +FLAGS (\\Seen)'],
  },
  states: ['Selected'],
  parse(args) {
    const pos = args.pos;
    const set = parseSequenceSet(args.atom('sequence set'), pos);
    if (args.peek()?.t === 'list')
      throw new ImapParseError('STORE modifiers (CONDSTORE) are not offered', args.pos);
    const itemPos = args.pos;
    const item = args.atom('FLAGS, +FLAGS or -FLAGS').toUpperCase();
    const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
    if (!m) throw new ImapParseError(`Invalid STORE item ${item}`, itemPos);
    const flags: string[] = [];
    if (args.peek()?.t === 'list') {
      for (const t of args.list('flag list')) {
        if (t.t !== 'atom') throw new ImapParseError('Flags must be atoms', t.pos);
        flags.push(checkFlag(t.v, t.pos));
      }
    } else {
      if (args.done) throw new ImapParseError('Missing flags', args.pos);
      while (!args.done) {
        const p = args.pos;
        flags.push(checkFlag(args.atom('flag'), p));
      }
    }
    args.end();
    return { set, mode: m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set', silent: !!m[2], flags };
  },
  handle(ctx, a, uid) {
    const view = ctx.selected!;
    const indexes = resolveSet(view, a.set, uid);
    if (!indexes) throw new ImapParseError('Invalid messageset', 0);
    if (view.readOnly) return ok('Store ignored with read-only mailbox');
    const untagged: Untagged[] = [];
    const before = view.keywords.length;
    if (a.mode !== 'remove') registerKeywords(ctx.store, ctx.user!, view.name, a.flags);
    // New keywords are announced with FLAGS before the FETCH replies, as Dovecot does.
    if (view.keywords.length !== before) untagged.push(...view.flagsResponses());
    const live = indexes.filter((i) => !view.isGhost(i));
    const changed = new Set(
      ctx.store.setFlags(
        ctx.user!,
        view.name,
        live.map((i) => view.uids[i]),
        a.mode,
        a.flags,
        ctx.id,
      ),
    );
    if (!a.silent) {
      for (const i of live) {
        if (!changed.has(view.uids[i])) continue;
        const items: ImapValue[] = uid
          ? ['UID', view.uids[i], 'FLAGS', view.flagsOf(i)]
          : ['FLAGS', view.flagsOf(i)];
        untagged.push(data(i + 1, 'FETCH', items));
      }
    }
    if (live.length !== indexes.length)
      return {
        status: 'NO',
        code: 'EXPUNGEISSUED',
        text: 'Some of the requested messages no longer exist',
        untagged,
      };
    return ok('Store completed', untagged);
  },
  allowExpunge: (uid) => uid,
};
