/**
 * IMAP command framing (RFC 9051 §2.2.1, §4.3; RFC 7888 LITERAL+).
 *
 * A client command is one line, except that a string may be sent as a literal: the line ends
 * in `{n}` (synchronizing: the client waits for our `+` continuation before sending the n
 * octets) or `{n+}` (non-synchronizing: the octets follow at once). After the octets the
 * command goes on, possibly with more literals, until a line ends without one.
 *
 * The framer takes bytes in any split and hands out events one at a time (`next()`), so the
 * session can change mode between events (IDLE waits for a bare `DONE` line, AUTHENTICATE for
 * a base64 line: `mode = 'line'` turns literal detection off).
 *
 * Sizes are bounded before any octet is taken: a line longer than `maxLineLength` is dropped
 * up to its end, and a literal larger than `literalLimit(commandSoFar)` is refused. A refused
 * synchronizing literal is never sent by a well-behaved client (it waits for `+`), so the next
 * line is a new command; the octets of a refused non-synchronizing literal are read and thrown
 * away, with the rest of that command, so the connection stays usable.
 */
import type { ByteString } from '../../mail/types';

export type FrameEvent =
  /** A whole command: lines joined with CRLF after each literal announcement, literal octets inline, no final CRLF. */
  | { type: 'command'; text: ByteString }
  /** A plain line (mode 'line'). */
  | { type: 'line'; text: ByteString }
  /** A synchronizing literal was accepted: the server must now send a `+` continuation. */
  | { type: 'continue'; size: number }
  /** A line over the length limit; `head` is its beginning (for the tag). */
  | { type: 'too-long'; head: ByteString }
  /**
   * A literal refused before any octet of it was taken (over the size limit, or the command
   * already failed, e.g. APPEND to a missing mailbox); `text` is the command up to `{n}`.
   */
  | { type: 'literal-refused'; text: ByteString; size: number; nonSync: boolean; fatal: boolean };

export interface FramerOptions {
  maxLineLength: number;
  /** Whether to accept a literal of `size` octets announced at the end of `commandSoFar`. */
  acceptLiteral: (commandSoFar: ByteString, size: number) => boolean;
  /**
   * The largest refused non-synchronizing literal whose octets are read and thrown away. A larger
   * one (or a size past 2^53) cannot be skipped in reasonable time, so the refusal is `fatal`: the
   * session says BYE and closes, as RFC 7888 §4 allows and Dovecot does.
   */
  maxDiscard?: number;
}

/** Default for `maxDiscard`: 64 MiB. */
export const MAX_DISCARDED_LITERAL = 64 * 1024 * 1024;

const LITERAL_AT_END = /\{(\d{1,20})(\+?)\}$/;

export class ImapFramer {
  mode: 'command' | 'line' = 'command';
  private buf: ByteString = '';
  /** Where to resume looking for LF in `buf`. */
  private scan = 0;
  /** Command assembled so far (when inside a multi-part command). */
  private pending: ByteString = '';
  /** Octets of literal still to take into `pending`. */
  private literalLeft = 0;
  /** Octets still to discard (refused non-synchronizing literal). */
  private discardLeft = 0;
  /** Drop input up to the next LF (over-long line, rest of a refused command). */
  private discardLine = false;

  constructor(private readonly options: FramerOptions) {}

  push(bytes: ByteString): void {
    this.buf += bytes;
  }

  /** True while a command has been started but not finished (literal or continuation pending). */
  get midCommand(): boolean {
    return this.pending !== '' || this.literalLeft > 0;
  }

  next(): FrameEvent | null {
    for (;;) {
      if (this.discardLeft > 0) {
        const n = Math.min(this.discardLeft, this.buf.length);
        this.buf = this.buf.slice(n);
        this.discardLeft -= n;
        if (this.discardLeft > 0) return null;
        this.discardLine = true;
        this.scan = 0;
      }
      if (this.literalLeft > 0) {
        if (this.buf.length < this.literalLeft) {
          // Take what we have now so `buf` never holds a huge literal twice.
          this.pending += this.buf;
          this.literalLeft -= this.buf.length;
          this.buf = '';
          return null;
        }
        this.pending += this.buf.slice(0, this.literalLeft);
        this.buf = this.buf.slice(this.literalLeft);
        this.literalLeft = 0;
        this.scan = 0;
      }
      const lf = this.buf.indexOf('\n', this.scan);
      if (lf < 0) {
        this.scan = this.buf.length;
        if (!this.discardLine && this.pending.length + this.buf.length > this.options.maxLineLength) {
          const head = (this.pending + this.buf).slice(0, 200);
          this.pending = '';
          this.buf = '';
          this.scan = 0;
          this.discardLine = true;
          return { type: 'too-long', head };
        }
        if (this.discardLine) {
          this.buf = '';
          this.scan = 0;
        }
        return null;
      }
      let line = this.buf.slice(0, lf);
      this.buf = this.buf.slice(lf + 1);
      this.scan = 0;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (this.discardLine) {
        this.discardLine = false;
        continue;
      }
      if (this.mode === 'line' && this.pending === '') return { type: 'line', text: line };
      const text = this.pending + line;
      if (text.length > this.options.maxLineLength + literalOctets(this.pending)) {
        this.pending = '';
        return { type: 'too-long', head: text.slice(0, 200) };
      }
      const m = LITERAL_AT_END.exec(line);
      if (!m) {
        this.pending = '';
        return { type: 'command', text };
      }
      const size = Number(m[1]);
      const nonSync = m[2] === '+';
      const safe = Number.isSafeInteger(size);
      // Always ask, so the session can word its refusal (a 20-digit size is "too big" too).
      const accepted = this.options.acceptLiteral(text, safe ? size : Number.MAX_SAFE_INTEGER);
      if (!safe || !accepted) {
        this.pending = '';
        const fatal = nonSync && (!safe || size > (this.options.maxDiscard ?? MAX_DISCARDED_LITERAL));
        if (nonSync && !fatal) {
          this.discardLeft = size;
          // The rest of the refused command's line goes too (Dovecot reads it silently).
          if (this.discardLeft === 0) this.discardLine = true;
        }
        return { type: 'literal-refused', text, size, nonSync, fatal };
      }
      this.pending = text + '\r\n';
      this.literalLeft = size;
      if (size === 0) {
        // Nothing to wait for; a zero-length synchronizing literal still needs its `+`.
        if (!nonSync) return { type: 'continue', size };
        continue;
      }
      if (!nonSync) return { type: 'continue', size };
    }
  }
}

/** Octets of literal data inside an assembled command prefix (they do not count as line length). */
function literalOctets(pending: ByteString): number {
  let total = 0;
  const re = /\{(\d{1,20})\+?\}\r\n/g;
  for (let m = re.exec(pending); m; m = re.exec(pending)) {
    total += Number(m[1]);
    re.lastIndex += Number(m[1]);
  }
  return total;
}
