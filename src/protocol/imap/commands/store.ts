import { data, type ImapValue, type Untagged } from '../formatter';
import { orderFlags, registerKeywords } from '../mailbox-view';
import { ImapParseError } from '../parser';
import {
  compactSet,
  INVALID_MESSAGESET,
  INVALID_UIDSET,
  parseSequenceSet,
  type SequenceSet,
} from '../sequence';
import { enableCondstore, isCondstore, no, ok, type ImapCommand } from '../types';
import { resolveSet } from './fetch';
import { checkFlag } from './flags';

interface StoreArgs {
  set: SequenceSet;
  mode: 'set' | 'add' | 'remove';
  silent: boolean;
  flags: string[];
  unchangedSince: number | null;
}

/** The flags a STORE would give a message, without saving them (for an expunged message). */
function ghostFlags(
  current: readonly string[],
  mode: 'add' | 'remove' | 'set',
  flags: readonly string[],
  keywords: readonly string[],
): string[] {
  const recent = current.includes('\\Recent');
  const has = (list: readonly string[], f: string) => list.some((x) => x.toUpperCase() === f.toUpperCase());
  let next = current.filter((f) => f !== '\\Recent');
  if (mode === 'set') next = [...flags];
  else if (mode === 'add') next = [...next, ...flags.filter((f) => !has(next, f))];
  else next = next.filter((f) => !has(flags, f));
  return orderFlags(next, recent, keywords);
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
  parse(args, _ctx, uid) {
    const pos = args.pos;
    const set = parseSequenceSet(args.atom('sequence set'), pos, uid ? INVALID_UIDSET : INVALID_MESSAGESET);
    // store-modifiers: "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")" (RFC 7162 §3.1.3).
    let unchangedSince: number | null = null;
    if (args.peek()?.t === 'list') {
      const list = args.list('store modifiers');
      for (let k = 0; k < list.length; k++) {
        const t = list[k];
        if (t.t !== 'atom' || t.v.toUpperCase() !== 'UNCHANGEDSINCE')
          throw new ImapParseError('Unknown STORE modifier', t.pos);
        const n = list[++k];
        if (!n || n.t !== 'atom' || !/^\d+$/.test(n.v))
          throw new ImapParseError('Invalid UNCHANGEDSINCE value', t.pos);
        unchangedSince = Number(n.v);
      }
    }
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
    return {
      set,
      mode: m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set',
      silent: !!m[2],
      flags,
      unchangedSince,
    };
  },
  handle(ctx, a, uid) {
    const view = ctx.selected!;
    const indexes = resolveSet(view, a.set, uid);
    if (!indexes) throw new ImapParseError(INVALID_MESSAGESET, 0);
    if (view.readOnly && a.unchangedSince !== null) return no('CONDSTORE failed: Mailbox is read-only');
    if (view.readOnly) return ok('Store ignored with read-only mailbox');
    const untagged: Untagged[] = a.unchangedSince !== null ? enableCondstore(ctx) : [];
    const condstore = isCondstore(ctx);
    const before = view.keywords.length;
    if (a.mode !== 'remove') registerKeywords(ctx.store, ctx.user!, view.name, a.flags);
    // New keywords are announced with FLAGS before the FETCH replies, as Dovecot does.
    if (view.keywords.length !== before) untagged.push(...view.flagsResponses());
    // RFC 7162 §3.1.3: a message changed since UNCHANGEDSINCE is left alone and named in MODIFIED.
    const modified: number[] = [];
    const live = indexes.filter((i) => {
      if (view.isGhost(i)) return false;
      if (a.unchangedSince !== null && view.messages[i].modseq > a.unchangedSince) {
        modified.push(uid ? view.uids[i] : i + 1);
        return false;
      }
      return true;
    });
    const skipped = new Set(modified);
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
    // With CONDSTORE on, even .SILENT reports each new MODSEQ (RFC 7162 §3.1.3).
    if (!a.silent || condstore) {
      for (const i of indexes) {
        if (skipped.has(uid ? view.uids[i] : i + 1)) continue;
        const ghost = view.isGhost(i);
        // Dovecot answers a STORE by sequence number on a message another session expunged
        // with its flags as the STORE would have left them (nothing is saved), and OK; a UID
        // STORE no longer sees it (measured).
        if (ghost && uid) continue;
        if (!ghost && !changed.has(view.uids[i])) continue;
        const flags = ghost ? ghostFlags(view.flagsOf(i), a.mode, a.flags, view.keywords) : view.flagsOf(i);
        if (ghost && a.silent) continue;
        const items: ImapValue[] = uid ? ['UID', view.uids[i]] : [];
        if (condstore && !ghost) items.push('MODSEQ', [view.messages[i].modseq]);
        if (!a.silent) items.push('FLAGS', flags);
        untagged.push(data(i + 1, 'FETCH', items));
        // This FETCH also carries any change another session made: one FETCH, as Dovecot sends.
        view.forgetFlagChange(view.uids[i]);
      }
    }
    if (modified.length) return ok('Conditional store failed', untagged, `MODIFIED ${compactSet(modified)}`);
    return ok('Store completed', untagged);
  },
  allowExpunge: (uid) => uid,
};
