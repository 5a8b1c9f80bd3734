import { decodeTransfer } from '../../../mail/mime';
import { getMime } from '../../../mail/mime';
import { messageHasFlag } from '../../../mail/store';
import { parseFetchItems, setsSeen, type FetchItem } from '../fetch-items';
import { data, literal, literal8, type ImapValue, type Untagged } from '../formatter';
import type { MailboxView } from '../mailbox-view';
import { binaryPart, bodyStructure, envelope, sectionBytes } from '../message-data';
import { ImapParseError } from '../parser';
import {
  INVALID_MESSAGESET,
  INVALID_UIDSET,
  parseSequenceSet,
  resolveSequence,
  resolveUidSet,
  type SequenceSet,
} from '../sequence';
import {
  enableCondstore,
  isCondstore,
  ok,
  type CommandResult,
  type ImapCommand,
  type ImapContext,
} from '../types';
import { formatDateTime } from './flags';

interface FetchArgs {
  set: SequenceSet;
  items: FetchItem[];
  /** CHANGEDSINCE modifier (RFC 7162 §3.1.4.1): only messages with a higher MODSEQ. */
  changedSince: number | null;
}

/** Message indexes (0-based) a sequence or UID set names in the view; null = invalid set. */
export function resolveSet(view: MailboxView, set: SequenceSet, uid: boolean): number[] | null {
  if (uid) return resolveUidSet(set, view.uids);
  const seqs = resolveSequence(set, view.exists, true);
  return seqs && seqs.map((s) => s - 1);
}

function partialOf(bytes: string, partial: [number, number] | null): string {
  return partial ? bytes.slice(partial[0], partial[0] + partial[1]) : bytes;
}

/**
 * BINARY content (RFC 3516 §4.2): Dovecot sends a literal8 (`~{n}`) whenever it had to undo a
 * transfer encoding, and a plain literal for 7bit/8bit parts.
 */
function binaryValue(bytes: string, cte: string): ImapValue {
  return cte === '7bit' || cte === '8bit' ? literal(bytes) : literal8(bytes);
}

/**
 * Sets \Seen on the messages a FETCH read (indexes into the view), in one change as Dovecot
 * does: one MODSEQ for all of them. With CONDSTORE on, each then gets a FETCH with its new MODSEQ
 * after the FETCH data (Dovecot's order); in a UID FETCH with its UID too, as RFC 9051 §6.4.9
 * wants of every FETCH a UID command causes (Dovecot leaves it out).
 */
function markSeen(ctx: ImapContext, seen: readonly number[], uid: boolean, untagged: Untagged[]): void {
  if (!seen.length) return;
  const view = ctx.selected!;
  const uids: number[] = [];
  for (const i of seen) uids.push(view.uids[i]);
  ctx.store.setFlags(ctx.user!, view.name, uids, 'add', ['\\Seen'], ctx.id);
  if (!isCondstore(ctx)) return;
  for (const i of seen) {
    const modseq = [view.messages[i].modseq];
    untagged.push(data(i + 1, 'FETCH', uid ? ['UID', view.uids[i], 'MODSEQ', modseq] : ['MODSEQ', modseq]));
  }
}

function runFetch(ctx: ImapContext, a: FetchArgs, uid: boolean): CommandResult {
  const view = ctx.selected!;
  const indexes = resolveSet(view, a.set, uid);
  if (!indexes) throw new ImapParseError(INVALID_MESSAGESET, 0);
  const items = a.items;
  const wantsFlags = items.some((i) => i.kind === 'FLAGS');
  const marksSeen = !view.readOnly && items.some(setsSeen);
  // MODSEQ or CHANGEDSINCE turns CONDSTORE on (RFC 7162 §3.1).
  const wantsModseq = items.some((x) => x.kind === 'MODSEQ');
  const untagged: Untagged[] = wantsModseq || a.changedSince !== null ? enableCondstore(ctx) : [];
  let expungeIssued = false;
  // The messages this FETCH makes \Seen, marked together once their data is written.
  const seen: number[] = [];
  for (const i of indexes) {
    const m = view.messages[i];
    if (a.changedSince !== null && m.modseq <= a.changedSince) continue;
    const ghost = view.isGhost(i);
    // Data that needs the message itself is gone: NIL, and EXPUNGEISSUED (RFC 9051 §7.1).
    if (
      ghost &&
      items.some(
        (x) =>
          x.kind === 'section' ||
          x.kind === 'binary' ||
          (x.kind.startsWith('RFC822') && x.kind !== 'RFC822.SIZE'),
      )
    )
      expungeIssued = true;
    // Dovecot writes its "buffered" items (UID, FLAGS, INTERNALDATE, RFC822.SIZE) first, in the
    // order asked (UID first for UID FETCH), then all the others (ENVELOPE, BODYSTRUCTURE, body
    // sections, RFC822*, BINARY*) in the order asked.
    const out: ImapValue[] = [];
    const streamed: ImapValue[] = [];
    if (uid) out.push('UID', m.uid);
    const seenNow = marksSeen && !ghost && !messageHasFlag(m, '\\Seen');
    if (seenNow) seen.push(i);
    for (const item of items) {
      switch (item.kind) {
        case 'UID':
          if (!uid) out.push('UID', m.uid);
          break;
        case 'MODSEQ':
          out.push('MODSEQ', [m.modseq]);
          break;
        case 'FLAGS':
          out.push('FLAGS', view.flagsOf(i, seenNow));
          break;
        case 'INTERNALDATE':
          out.push('INTERNALDATE', `"${formatDateTime(m.internalDate)}"`);
          break;
        case 'RFC822.SIZE':
          out.push('RFC822.SIZE', m.raw.length);
          break;
        case 'ENVELOPE':
          streamed.push('ENVELOPE', envelope(getMime(m.raw)));
          break;
        case 'BODYSTRUCTURE':
          streamed.push('BODYSTRUCTURE', bodyStructure(getMime(m.raw), true));
          break;
        case 'BODY':
          streamed.push('BODY', bodyStructure(getMime(m.raw), false));
          break;
        case 'RFC822':
          streamed.push('RFC822', ghost ? null : literal(m.raw));
          break;
        case 'RFC822.HEADER':
          streamed.push(
            'RFC822.HEADER',
            ghost ? null : literal(sectionBytes(m.raw, { part: [], text: 'HEADER', fields: [] })),
          );
          break;
        case 'RFC822.TEXT':
          streamed.push(
            'RFC822.TEXT',
            ghost ? null : literal(sectionBytes(m.raw, { part: [], text: 'TEXT', fields: [] })),
          );
          break;
        case 'section':
          streamed.push(
            item.label,
            ghost ? null : literal(partialOf(sectionBytes(m.raw, item.section), item.partial)),
          );
          break;
        case 'binary':
        case 'binary.size': {
          const part = binaryPart(m.raw, item.part);
          const cte = part?.contentTransferEncoding.toLowerCase() ?? '7bit';
          if (!['7bit', '8bit', 'binary', 'base64', 'quoted-printable'].includes(cte)) {
            markSeen(ctx, seen, uid, untagged);
            return {
              status: 'NO',
              code: 'UNKNOWN-CTE',
              text: `Unknown Content-Transfer-Encoding: ${cte}`,
              untagged,
            };
          }
          // BINARY[] is the whole message (RFC 3516 §4.2): its header, then the decoded body.
          const header = item.part.length === 0 && part ? m.raw.slice(0, part.bodyStart) : '';
          const bytes =
            ghost || !part
              ? ''
              : part.children.length
                ? header + m.raw.slice(part.bodyStart, part.bodyEnd)
                : header + decodeTransfer(part, m.raw);
          if (item.kind === 'binary.size') streamed.push(item.label, bytes.length);
          else streamed.push(item.label, ghost ? null : binaryValue(partialOf(bytes, item.partial), cte));
          break;
        }
      }
    }
    // When this FETCH set \Seen, the new flags are reported even if FLAGS was not asked for.
    if (seenNow && !wantsFlags) out.push('FLAGS', view.flagsOf(i, true));
    // CHANGEDSINCE implies MODSEQ, written after the other buffered items (as Dovecot does).
    if (a.changedSince !== null && !wantsModseq) out.push('MODSEQ', [m.modseq]);
    out.push(...streamed);
    untagged.push(data(i + 1, 'FETCH', out));
    if (marksSeen) view.forgetFlagChange(m.uid);
  }
  markSeen(ctx, seen, uid, untagged);
  if (expungeIssued)
    return { status: 'OK', code: 'EXPUNGEISSUED', text: 'Some messages were already expunged', untagged };
  return ok('Fetch completed', untagged);
}

/** RFC 9051 §6.4.5 and §6.4.9 (UID FETCH). */
export const fetch: ImapCommand<FetchArgs> = {
  doc: {
    name: 'FETCH',
    syntax: 'tag FETCH sequence-set (items)',
    states: ['Selected'],
    summary:
      'Reads data of messages: FLAGS, UID, sizes, the ENVELOPE (from, to, subject...), the MIME structure, or the octets of the message or of one part (BODY[1], BODY[HEADER], BODY[TEXT]). Reading a body marks the message \\Seen unless you use BODY.PEEK. The message stays on the server: the client only gets a copy.',
    rfc: 'RFC 9051 §6.4.5',
    examples: [
      'a1 FETCH 1:* (FLAGS UID)',
      'a1 FETCH 1 ENVELOPE',
      'a1 FETCH 2 BODY.PEEK[HEADER.FIELDS (From Subject)]',
      'a1 FETCH 3 BODY[]',
    ],
  },
  uidDoc: {
    name: 'UID FETCH',
    syntax: 'tag UID FETCH uid-set (items)',
    states: ['Selected'],
    summary:
      "FETCH addressed by UID instead of sequence number. UIDs never change, so this is what syncing clients use; the reply always includes each message's UID.",
    rfc: 'RFC 9051 §6.4.9',
    examples: ['a1 UID FETCH 1:* (FLAGS)', 'a1 UID FETCH 42 BODY.PEEK[]'],
  },
  states: ['Selected'],
  parse(args, _ctx, uid) {
    const pos = args.pos;
    const set = parseSequenceSet(args.atom('sequence set'), pos, uid ? INVALID_UIDSET : INVALID_MESSAGESET);
    const items = parseFetchItems(args.next('fetch items'));
    // fetch-modifiers = "(" fetch-modifier *(SP fetch-modifier) ")"; we know CHANGEDSINCE (RFC 7162 §3.1.4.1).
    let changedSince: number | null = null;
    if (!args.done) {
      const list = args.list('fetch modifiers');
      for (let k = 0; k < list.length; k++) {
        const t = list[k];
        if (t.t !== 'atom' || t.v.toUpperCase() !== 'CHANGEDSINCE')
          throw new ImapParseError('Unknown FETCH modifier', t.pos);
        const n = list[++k];
        if (!n || n.t !== 'atom' || !/^\d+$/.test(n.v))
          throw new ImapParseError('Invalid CHANGEDSINCE value', t.pos);
        changedSince = Number(n.v);
      }
      args.end();
    }
    return { set, items, changedSince };
  },
  handle(ctx, a, uid) {
    return runFetch(ctx, a, uid);
  },
  allowExpunge: (uid) => uid,
};
