import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveUidSet, type SeqRange } from '../../src/protocol/imap/sequence';

/** The plain reading of RFC 9051 §6.4.8: every UID of the list inside some range ("*" = the highest). */
function naive(ranges: SeqRange[], uids: number[]): number[] {
  const max = uids[uids.length - 1];
  const out: number[] = [];
  uids.forEach((u, i) => {
    const inside = ranges.some(([a0, b0]) => {
      const a = a0 === Infinity ? max : a0;
      const b = b0 === Infinity ? max : b0;
      return u >= Math.min(a, b) && u <= Math.max(a, b);
    });
    if (inside) out.push(i);
  });
  return out;
}

describe('resolveUidSet', () => {
  it('names exactly the UIDs inside the ranges, ascending, each once (any overlap and order)', () => {
    const uidList = fc
      .uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 30 })
      .map((a) => a.sort((x, y) => x - y));
    const num = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.constant(Infinity));
    const ranges = fc.array(fc.tuple(num, num), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(uidList, ranges, (uids, rs) => {
        const set = { ranges: rs as SeqRange[], text: '' };
        expect(resolveUidSet(set, uids)).toEqual(uids.length ? naive(rs, uids) : []);
      }),
      { numRuns: 2000 },
    );
  });

  it('"n:*" past the highest UID still names the last message (§6.4.8)', () => {
    expect(resolveUidSet({ ranges: [[90, Infinity]], text: '90:*' }, [3, 5, 8])).toEqual([2]);
  });
});
