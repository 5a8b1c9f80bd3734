/**
 * The terminal transcript: what crossed the wire, line by line. `C:` lines are
 * what the device sent, `S:` lines what the server answered (a multi-line reply
 * stays one group so the view can fold a long RETR), notes explain what the lab
 * did (connected, reconnected, reset) and are never mistaken for protocol bytes.
 */
import type { ByteString } from '../mail/types';

export type TranscriptEntry =
  | { kind: 'C'; id: number; text: string; seq?: number }
  | { kind: 'S'; id: number; lines: readonly string[]; seq?: number }
  | { kind: 'note'; id: number; text: string; seq?: number };

const CONTROL_PICTURES: Record<number, string> = { 0: '\u2400', 0x7f: '\u2421' };

/**
 * Bytes as readable text: UTF-8 where the bytes are valid UTF-8 (what modern
 * mail holds), otherwise one char per octet; control bytes other than TAB are
 * shown as visible symbols (U+2400 block) so nothing typed or stored can hide.
 */
export function displayBytes(bytes: ByteString): string {
  let text = bytes;
  if (/[\x80-\xff]/.test(bytes)) {
    try {
      const octets = Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 0xff);
      text = new TextDecoder('utf-8', { fatal: true }).decode(octets);
    } catch {
      text = bytes;
    }
  }
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => {
    const code = c.charCodeAt(0);
    return CONTROL_PICTURES[code] ?? String.fromCharCode(0x2400 + code);
  });
}

/** Accumulates transcript entries; a pure value holder the Svelte bridge wraps. */
export class Transcript {
  private items: TranscriptEntry[] = [];
  private partial = '';
  private nextId = 1;

  get entries(): readonly TranscriptEntry[] {
    return this.items;
  }

  client(line: string): void {
    this.flushPartial();
    this.items = [...this.items, { kind: 'C', id: this.nextId++, text: line }];
  }

  note(text: string): void {
    this.flushPartial();
    this.items = [...this.items, { kind: 'note', id: this.nextId++, text }];
  }

  /** Server bytes in any chunking; complete CRLF lines join the reply group in progress. */
  server(bytes: ByteString): void {
    const data = this.partial + bytes;
    const parts = data.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (parts.length) this.appendServerLines(parts.map(displayBytes));
  }

  clear(): void {
    this.items = [];
    this.partial = '';
  }

  private flushPartial(): void {
    if (this.partial) {
      this.appendServerLines([displayBytes(this.partial)]);
      this.partial = '';
    }
  }

  private appendServerLines(lines: string[]): void {
    const last = this.items[this.items.length - 1];
    if (last?.kind === 'S') {
      this.items = [...this.items.slice(0, -1), { ...last, lines: [...last.lines, ...lines] }];
    } else {
      this.items = [...this.items, { kind: 'S', id: this.nextId++, lines }];
    }
  }
}

export type LineKind = 'ok' | 'err' | '';

/**
 * How each server line is coloured: POP3 "+OK" green and "-ERR" red (RFC 1939 §3); IMAP "OK"
 * green and "NO"/"BAD" red, tagged or untagged (RFC 9051 §7.1). Lines inside an IMAP literal
 * ({n} at the end of a line announces n octets of message data, §4.3) are data, never coloured,
 * so a message body line such as "a1 NO thanks" stays plain.
 */
export function lineKinds(lines: readonly string[]): LineKind[] {
  let literal = 0;
  return lines.map((line) => {
    if (literal > 0) {
      // The text shown may be decoded UTF-8: count its octets again, plus the CRLF.
      literal = Math.max(0, literal - new TextEncoder().encode(line).length - 2);
      return '';
    }
    const announced = /\{(\d+)\+?\}$/.exec(line);
    if (announced) literal = Number(announced[1]);
    if (line.startsWith('+OK')) return 'ok';
    if (line.startsWith('-ERR')) return 'err';
    const status = /^(?:\*|[^\s*+(){%"\\\]]+) (OK|NO|BAD)\b/.exec(line);
    if (status) return status[1] === 'OK' ? 'ok' : 'err';
    return '';
  });
}
