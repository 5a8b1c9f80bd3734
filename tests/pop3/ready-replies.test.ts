/**
 * RETR and UIDL replies made ahead (Maildrop.retrReply / uidlReply, the `wire` of their
 * handlers' replies) are exactly the bytes the one formatter writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPop3Reply } from '../../src/protocol/pop3/format';
import { Maildrop } from '../../src/protocol/pop3/maildrop';
import { ok } from '../../src/protocol/pop3/types';
import type { StoredMessage } from '../../src/mail/types';

const message = (uid: number, raw: string): StoredMessage => ({
  uid,
  raw,
  flags: [],
  internalDate: 0,
  modseq: 1,
});
const octets = fc
  .array(fc.constantFrom('a', '.', '\r\n', '\n', '\r', '..', ' ', 'x'), { maxLength: 30 })
  .map((p) => p.join(''));

describe('replies made ahead', () => {
  it('RETR: the same bytes as formatting "+OK n octets" with the message as body, for any octets', () => {
    fc.assert(
      fc.property(fc.array(octets, { minLength: 1, maxLength: 6 }), (raws) => {
        const md = new Maildrop(
          'alice',
          7,
          raws.map((r, i) => message(i + 1, r)),
        );
        raws.forEach((raw, i) => {
          expect(md.retrReply(i + 1)).toBe(formatPop3Reply(ok(`${raw.length} octets`, { body: raw })));
          // Asked again (by the next device): the very same string.
          expect(md.retrReply(i + 1)).toBe(md.retrReply(i + 1));
        });
      }),
    );
  });

  it('UIDL: the same bytes as formatting the listing lines, before and after DELE marks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(fc.integer({ min: 1, max: 40 })), (n, marks) => {
        const md = new Maildrop(
          'alice',
          0x6b07fc44,
          Array.from({ length: n }, (_, i) => message(i * 3 + 1, 'x')),
        );
        expect(md.uidlReply()).toBe(formatPop3Reply(ok('', { lines: md.uidlLines() })));
        for (const k of marks) if (k <= n && !md.isDeleted(k)) md.mark(k);
        expect(md.uidlReply()).toBe(formatPop3Reply(ok('', { lines: md.uidlLines() })));
      }),
    );
  });
});
