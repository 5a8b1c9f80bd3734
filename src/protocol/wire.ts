import type { ByteString } from '../mail/types';

/**
 * Line framing shared by POP3 and IMAP.
 *
 * Both protocols send commands as lines ended by CRLF (RFC 1939 §3, RFC 9051 §2.2). Real clients
 * sometimes send a bare LF; like Dovecot we accept it and strip a CR that comes right before the
 * LF. A line longer than `maxLineLength` octets is reported once (with its first octets, so IMAP
 * can still read the tag) and the rest of it is thrown away up to its LF: the reader never holds
 * more than one line's worth of octets plus the chunk being pushed.
 *
 * IMAP literals (`{n}` / `{n+}`, RFC 9051 §4.3) are raw octets that may contain CRLF; after
 * reading a line that announces one, call `readBytes(n)` and the next item is those n octets.
 */

export type WireItem =
  /** A complete line without its CR LF. */
  | { type: 'line'; line: ByteString }
  /** A line that grew past the limit; `head` holds its first `maxLineLength` octets. */
  | { type: 'overlong'; head: ByteString }
  /** Exactly the n octets asked for with `readBytes(n)`. */
  | { type: 'bytes'; bytes: ByteString };

export interface LineReaderOptions {
  /** Maximum octets in a line, not counting the CR LF. */
  maxLineLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 8192;

export class LineReader {
  readonly maxLineLength: number;
  /** Octets received and not yet handed out. */
  private buf = '';
  /** Read position inside `buf` (we slice lazily to avoid copying on every line). */
  private pos = 0;
  /** Where to resume looking for LF inside buf (so a long partial line is not rescanned). */
  private scanFrom = 0;
  /** Octets still owed to a `readBytes(n)` request; -1 when reading lines. */
  private literalLeft = -1;
  /** Set after an over-long line was reported: drop octets up to and including the next LF. */
  private skipping = false;

  constructor(options: LineReaderOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  /** Octets held and not yet returned by `next()`. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  /** True while a `readBytes(n)` request is still waiting for octets. */
  get readingBytes(): boolean {
    return this.literalLeft >= 0;
  }

  push(chunk: ByteString): void {
    if (chunk.length === 0) return;
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.scanFrom -= this.pos;
      this.pos = 0;
    }
    this.buf += chunk;
  }

  /** Asks for the next `n` octets as one `bytes` item (an IMAP literal). */
  readBytes(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`readBytes: bad octet count ${n}`);
    this.literalLeft = n;
  }

  /** The next complete item, or null when more input is needed. */
  next(): WireItem | null {
    if (this.literalLeft >= 0) {
      if (this.buf.length - this.pos < this.literalLeft) return null;
      const bytes = this.buf.slice(this.pos, this.pos + this.literalLeft);
      this.pos += this.literalLeft;
      this.scanFrom = this.pos;
      this.literalLeft = -1;
      return { type: 'bytes', bytes };
    }
    for (;;) {
      const from = Math.max(this.scanFrom, this.pos);
      const lf = this.buf.indexOf('\n', from);
      if (this.skipping) {
        if (lf < 0) {
          // Drop everything: the rest of an over-long line is never buffered.
          this.buf = '';
          this.pos = 0;
          this.scanFrom = 0;
          return null;
        }
        this.pos = lf + 1;
        this.scanFrom = this.pos;
        this.skipping = false;
        continue;
      }
      if (lf < 0) {
        // Allow one extra octet for a CR that may be followed by the LF in the next chunk.
        if (this.buf.length - this.pos > this.maxLineLength + 1) return this.overlong();
        this.scanFrom = this.buf.length;
        return null;
      }
      let end = lf;
      if (end > this.pos && this.buf.charCodeAt(end - 1) === 13) end--;
      if (end - this.pos > this.maxLineLength) return this.overlong();
      const line = this.buf.slice(this.pos, end);
      this.pos = lf + 1;
      this.scanFrom = this.pos;
      if (this.pos === this.buf.length) {
        this.buf = '';
        this.pos = 0;
        this.scanFrom = 0;
      }
      return { type: 'line', line };
    }
  }

  private overlong(): WireItem {
    const head = this.buf.slice(this.pos, this.pos + this.maxLineLength);
    this.skipping = true;
    // Keep only what follows the head; the skip loop drops it up to the LF.
    this.pos += this.maxLineLength;
    this.scanFrom = this.pos;
    return { type: 'overlong', head };
  }
}
