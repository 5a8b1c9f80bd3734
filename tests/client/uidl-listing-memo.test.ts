/**
 * A UIDL listing parsed again from memory (another device just parsed the same bytes) must
 * give exactly what a parse of the bytes gives: numbers, unique-ids and, against this device's
 * previous listing, where each line was in it. Listings here mix exact "n uidl" lines with
 * lines a real parse treats otherwise (more after the unique-id, several spaces, no number).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgetParsedListing, parseUidlListing } from '../../src/client/pop3';

const uidl = fc.oneof(
  fc.constantFrom('a1', 'b2', 'c3', '000000016b07fc44', 'x'),
  fc.integer({ min: 0, max: 99 }).map((n) => `u${n}`),
);
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), uidl).map(([n, u]) => `${n} ${u}`) },
  fc.tuple(fc.integer({ min: 1, max: 40 }), uidl).map(([n, u]) => `${n} ${u} extra`),
  fc.tuple(fc.integer({ min: 1, max: 40 }), uidl).map(([n, u]) => `${n} ${u}\t`),
  fc.tuple(fc.integer({ min: 1, max: 40 }), uidl).map(([n, u]) => `${n}  ${u}`),
  uidl.map((u) => ` ${u}`),
  fc.constant('junk'),
);
const listing = fc
  .array(line, { maxLength: 60 })
  .map((lines) => `+OK\r\n${lines.map((l) => l + '\r\n').join('')}.\r\n`);
// Long enough for gaps beyond the parse's look-ahead of 32 lines.
const previous = fc.option(
  fc.array(uidl, { maxLength: 80 }).map((uidls) => ({ uidls })),
  { nil: null },
);

describe('UIDL listing parsed from memory', () => {
  it('equals a parse of the bytes, against any previous listing', () => {
    fc.assert(
      fc.property(listing, previous, previous, (raw, first, second) => {
        forgetParsedListing();
        parseUidlListing(raw, first);
        // The same bytes again (as a copy: another connection's reply), now from memory.
        const remembered = parseUidlListing(raw.concat(''), second);
        forgetParsedListing();
        const parsed = parseUidlListing(raw, second);
        expect(remembered.ns).toEqual(parsed.ns);
        expect(remembered.uidls).toEqual(parsed.uidls);
        expect(remembered.prevAt).toEqual(parsed.prevAt);
      }),
      { numRuns: 2000 },
    );
  });
  it('equals a parse of the bytes when mail was removed in runs, near the look-ahead and past it', () => {
    // The previous listing's unique-ids in order, the new one keeping some of them (runs of up to
    // 40 removed) and adding new mail; some lines with more after the unique-id.
    const run = fc.record({ keep: fc.integer({ min: 0, max: 6 }), drop: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(
        fc.array(run, { maxLength: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.boolean()),
        (runs, fresh, loose) => {
          const prev: string[] = [];
          const kept: string[] = [];
          for (const r of runs) {
            for (let i = 0; i < r.keep; i++) kept.push(`m${prev.push(`m${prev.length}`) - 1}`);
            for (let i = 0; i < r.drop; i++) prev.push(`m${prev.length}`);
          }
          for (let i = 0; i < fresh; i++) kept.push(`new${i}`);
          const raw = `+OK\r\n${kept.map((u, k) => `${k + 1} ${u}${loose[k] ? ' x' : ''}\r\n`).join('')}.\r\n`;
          forgetParsedListing();
          parseUidlListing(raw, null);
          const remembered = parseUidlListing(raw, { uidls: prev });
          forgetParsedListing();
          const parsed = parseUidlListing(raw, { uidls: prev });
          expect(remembered.ns).toEqual(parsed.ns);
          expect(remembered.uidls).toEqual(parsed.uidls);
          expect(remembered.prevAt).toEqual(parsed.prevAt);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
