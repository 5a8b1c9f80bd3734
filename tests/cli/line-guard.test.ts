import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineGuard } from '../../src/cli/serve';

describe('the TCP bridge line guard', () => {
  it('refuses a line that grows past the limit, however it is split', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), (cuts) => {
        const data = 'x'.repeat(120);
        const g = new LineGuard('pop3', 100);
        let ok = true;
        let at = 0;
        for (const n of [...cuts, data.length]) {
          if (at >= data.length) break;
          ok = g.accept(data.slice(at, at + n)) && ok;
          at += n;
        }
        expect(ok).toBe(false);
      }),
    );
  });

  it('lets lines under the limit through and counts each line on its own', () => {
    const g = new LineGuard('pop3', 10);
    expect(g.accept('NOOP\r\nSTAT\r\nLIST 1\r\n')).toBe(true);
    expect(g.accept('123456789')).toBe(true);
    expect(g.accept('\r\n1234567')).toBe(true);
    expect(g.accept('8901')).toBe(false);
  });

  it('does not count the octets of an IMAP literal as line octets', () => {
    const g = new LineGuard('imap', 100);
    expect(g.accept('a APPEND INBOX {500}\r\n')).toBe(true);
    expect(g.accept('y'.repeat(300))).toBe(true);
    expect(g.accept('y'.repeat(200) + '\r\n')).toBe(true);
    expect(g.accept('b NOOP {3+}\r\nabc' + 'z'.repeat(50) + '\r\n')).toBe(true);
    // POP3 has no literals: the same bytes are one long line there.
    const p = new LineGuard('pop3', 100);
    expect(p.accept('a APPEND INBOX {500}\r\n' + 'y'.repeat(300))).toBe(false);
  });
});
