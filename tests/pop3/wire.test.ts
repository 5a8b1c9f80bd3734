import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, type WireItem } from '../../src/protocol/wire';

function drain(r: LineReader): WireItem[] {
  const out: WireItem[] = [];
  for (let i = r.next(); i; i = r.next()) out.push(i);
  return out;
}

function readAll(chunks: string[], maxLineLength = 16): WireItem[] {
  const r = new LineReader({ maxLineLength });
  const out: WireItem[] = [];
  for (const c of chunks) {
    r.push(c);
    out.push(...drain(r));
  }
  return out;
}

describe('LineReader', () => {
  it('splits on CRLF and on bare LF, keeping a CR that is not before LF', () => {
    expect(readAll(['a\r\nb\nc\rd\r\n', 'tail'])).toEqual([
      { type: 'line', line: 'a' },
      { type: 'line', line: 'b' },
      { type: 'line', line: 'c\rd' },
    ]);
  });

  it('keeps a partial line until its end arrives', () => {
    const r = new LineReader();
    r.push('STA');
    expect(r.next()).toBeNull();
    expect(r.buffered).toBe(3);
    r.push('T\r');
    expect(r.next()).toBeNull();
    r.push('\nNO');
    expect(r.next()).toEqual({ type: 'line', line: 'STAT' });
    expect(r.next()).toBeNull();
    expect(r.buffered).toBe(2);
  });

  it('reports an over-long line once, with its head, and skips the rest of it', () => {
    expect(readAll(['0123456789abcdefXYZ', 'more more', ' more\r\nok\r\n'])).toEqual([
      { type: 'overlong', head: '0123456789abcdef' },
      { type: 'line', line: 'ok' },
    ]);
  });

  it('never buffers more than the limit plus one chunk while skipping', () => {
    const r = new LineReader({ maxLineLength: 100 });
    r.push('x'.repeat(150));
    expect(drain(r)).toEqual([{ type: 'overlong', head: 'x'.repeat(100) }]);
    for (let i = 0; i < 100; i++) {
      r.push('y'.repeat(1000));
      expect(r.next()).toBeNull();
      expect(r.buffered).toBe(0);
    }
    r.push('\r\nend\r\n');
    expect(drain(r)).toEqual([{ type: 'line', line: 'end' }]);
  });

  it('accepts a line of exactly the limit, with or without CR', () => {
    const line = 'z'.repeat(16);
    expect(readAll([line + '\r', '\n', line + '\n'])).toEqual([
      { type: 'line', line },
      { type: 'line', line },
    ]);
  });

  it('reads n raw octets on request (IMAP literals), CRLF included', () => {
    const r = new LineReader();
    r.push('A1 APPEND INBOX {5}\r\nab\r');
    expect(r.next()).toEqual({ type: 'line', line: 'A1 APPEND INBOX {5}' });
    r.readBytes(5);
    expect(r.readingBytes).toBe(true);
    expect(r.next()).toBeNull();
    r.push('\ncd\r\n');
    expect(r.next()).toEqual({ type: 'bytes', bytes: 'ab\r\nc' });
    expect(r.next()).toEqual({ type: 'line', line: 'd' });
    r.readBytes(0);
    expect(r.next()).toEqual({ type: 'bytes', bytes: '' });
    expect(() => r.readBytes(-1)).toThrow(RangeError);
  });

  it('gives the same items however the same bytes are chunked', () => {
    const byteString = fc
      .array(fc.constantFrom('a', 'b', ' ', '\r', '\n', '.', '\0', '\xff'), { maxLength: 120 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(byteString, fc.array(fc.nat(120), { maxLength: 10 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(bytes.slice(prev, p));
          prev = p;
        }
        chunks.push(bytes.slice(prev));
        expect(readAll(chunks, 8)).toEqual(readAll([bytes], 8));
      }),
    );
  });

  it('round-trips any list of short lines', () => {
    const line = fc
      .array(fc.constantFrom('a', ' ', '\r', '\t', '\x80'), { maxLength: 8 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        // A CR at the very end of a line would merge with the CRLF; the wire cannot carry that.
        const clean = lines.map((l) => l.replace(/\r$/, ''));
        expect(readAll([clean.map((l) => l + '\r\n').join('')], 8)).toEqual(
          clean.map((l) => ({ type: 'line', line: l })),
        );
      }),
    );
  });
});
