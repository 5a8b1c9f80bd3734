import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { folderTallies, forgetIndex, noteAppended } from '../../src/client/local-index';
import type { LocalMessage } from '../../src/client/types';

let keys = 0;
function msg(folder: string, uid: number | undefined, seen: boolean): LocalMessage {
  const m: LocalMessage = {
    key: `d${++keys}`,
    folder,
    messageId: `<m${keys}@lab>`,
    subject: '',
    from: '',
    size: 10,
    flags: seen ? ['\\Seen'] : [],
    fetchedAt: 0,
  };
  if (uid !== undefined) m.uid = uid;
  return m;
}

/** What the tallies must say: one plain scan of the messages. */
function scan(messages: readonly LocalMessage[]) {
  const out: Record<string, { messages: number; unseen: number; uids: number[] }> = {};
  for (const m of messages) {
    const t = (out[m.folder] ??= { messages: 0, unseen: 0, uids: [] });
    t.messages++;
    if (!m.flags.includes('\\Seen')) t.unseen++;
    if (m.uid !== undefined && !t.uids.includes(m.uid)) t.uids.push(m.uid);
  }
  for (const t of Object.values(out)) t.uids.sort((a, b) => a - b);
  return out;
}

function tallied(messages: readonly LocalMessage[]) {
  const out: Record<string, { messages: number; unseen: number; uids: number[] }> = {};
  for (const [name, t] of folderTallies(messages))
    out[name] = { messages: t.messages, unseen: t.unseen, uids: [...t.uids].sort((a, b) => a - b) };
  return out;
}

describe('local message tallies', () => {
  it('counts messages, unseen and UIDs per folder', () => {
    const messages = [msg('INBOX', 1, true), msg('INBOX', 2, false), msg('Trash', undefined, false)];
    expect(tallied(messages)).toEqual({
      INBOX: { messages: 2, unseen: 1, uids: [1, 2] },
      Trash: { messages: 1, unseen: 1, uids: [] },
    });
  });

  it('follows appended messages, in-place changes that are announced, and removals', () => {
    const messages = [msg('INBOX', 1, false)];
    expect(tallied(messages).INBOX.messages).toBe(1);
    const added = msg('INBOX', 7, false);
    messages.push(added);
    noteAppended(messages, added);
    expect(folderTallies(messages).get('INBOX')!.uids.has(7)).toBe(true);
    forgetIndex(messages);
    added.folder = 'Archive';
    added.flags = ['\\Seen'];
    expect(tallied(messages)).toEqual(scan(messages));
    // A push nobody announced is caught by the length check.
    messages.push(msg('Archive', 9, false));
    expect(tallied(messages)).toEqual(scan(messages));
  });

  it('always agrees with a fresh scan whatever the sequence of changes', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('push' as const),
        folder: fc.constantFrom('INBOX', 'Trash', 'Work'),
        uid: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        seen: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('move' as const),
        at: fc.nat(),
        folder: fc.constantFrom('INBOX', 'Work'),
      }),
      fc.record({ kind: fc.constant('flag' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const messages: LocalMessage[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            const m = msg(o.folder, o.uid, o.seen);
            messages.push(m);
            noteAppended(messages, m);
          } else if (messages.length) {
            const m = messages[o.at % messages.length];
            forgetIndex(messages);
            if (o.kind === 'move') {
              m.folder = o.folder;
              m.uid = undefined;
            } else if (o.kind === 'flag') m.flags = m.flags.length ? [] : ['\\Seen'];
            else messages.splice(o.at % messages.length, 1);
          }
          expect(tallied(messages)).toEqual(scan(messages));
        }
      }),
    );
  });
});
