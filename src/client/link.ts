/**
 * One device's live connection: the bytes it sends and receives, every line
 * written to the device transcript, every reply announced as an event.
 *
 * Connections answer synchronously from inside `send()`, so a reply is
 * complete when `send()` returns; a reply that is not complete by then means
 * the server is broken or gone, and the link reports it as an error instead
 * of waiting (which keeps the world deterministic).
 */
import type { ByteString } from '../mail/types';
import type { Connection, Protocol } from '../server/types';
import type { DeviceEvent } from './events';
import type { TranscriptLine } from './types';
import { takeImapResponse, takePop3Reply, type ImapResponse, type Pop3Reply } from './wire';

/** What the world gives a device: a way to reach the server, the clock, and the event log. */
export interface DeviceEnv {
  connect(protocol: Protocol, client: string): Connection;
  now(): number;
  emit(event: DeviceEvent): void;
  /** Called when bytes arrive while the device waits in IMAP IDLE: the world lets it react after the current step. */
  attention(device: string): void;
  /** Most transcript lines a device keeps (older ones are dropped). */
  transcriptLimit: number;
}

export class LinkError extends Error {}

export class Link {
  buffer: ByteString = '';
  closed = false;
  /** True while the device itself is sending; pushes arriving then are part of its own exchange. */
  busy = false;
  /** Set by the IMAP client while it waits in IDLE: unexpected bytes then ask for attention. */
  idling = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    readonly connection: Connection,
    readonly protocol: Protocol,
    private readonly device: string,
    private readonly env: DeviceEnv,
    private readonly transcript: TranscriptLine[],
    pending: ByteString = '',
  ) {
    this.buffer = pending;
    this.unsubscribe.push(
      connection.onOutput((bytes) => {
        this.buffer += bytes;
        if (this.idling && !this.busy) env.attention(device);
      }),
      connection.onClose(() => {
        this.closed = true;
      }),
    );
    if (connection.closed) this.closed = true;
  }

  /** Writes a transcript line, trimming the oldest when over the limit. */
  note(dir: TranscriptLine['dir'], text: string): void {
    const t = this.transcript;
    t.push({ dir, text, at: this.env.now() });
    const limit = this.env.transcriptLimit;
    if (t.length > limit * 2) t.splice(0, t.length - limit);
  }

  /**
   * The lines of `raw` as 'S' transcript lines. The result is exactly that of calling `note`
   * for every line, but only the lines the bounded transcript keeps are made into objects: a
   * downloaded message is often far longer than the transcript.
   */
  private noteLines(raw: ByteString): void {
    const body = raw.endsWith('\r\n') ? raw.slice(0, -2) : raw;
    const t = this.transcript;
    const limit = this.env.transcriptLimit;
    let lines = 1;
    for (let i = body.indexOf('\r\n'); i >= 0; i = body.indexOf('\r\n', i + 2)) lines++;
    // How long the transcript ends up: note() trims back to `limit` whenever it passes 2 * limit.
    let length = t.length;
    for (let i = 0; i < lines; i++) if (++length > limit * 2) length = limit;
    const fresh = Math.min(length, lines);
    const old = length - fresh;
    if (t.length > old) t.splice(0, t.length - old);
    let start = 0;
    for (let skip = lines - fresh; skip > 0; skip--) start = body.indexOf('\r\n', start) + 2;
    if (fresh === 0) return;
    const at = this.env.now();
    for (const text of (start ? body.slice(start) : body).split('\r\n')) t.push({ dir: 'S', text, at });
  }

  /** Sends one command line (CRLF added). `shown` replaces the line in transcript and events (passwords stay visible: it is a lab). */
  write(line: string): void {
    if (this.closed) throw new LinkError('connection is closed');
    this.note('C', line);
    this.env.emit({ type: 'device.command', device: this.device, protocol: this.protocol, line });
    this.busy = true;
    try {
      this.connection.send(line + '\r\n');
    } finally {
      this.busy = false;
    }
  }

  /** Takes the next POP3 reply from what has arrived. */
  pop3Reply(multiLine: boolean): Pop3Reply {
    const taken = takePop3Reply(this.buffer, multiLine);
    if (!taken)
      throw new LinkError(this.closed ? 'connection closed by server' : 'incomplete reply from server');
    this.buffer = taken.rest;
    this.noteLines(taken.reply.raw);
    this.announce(taken.reply.raw);
    return taken.reply;
  }

  /** Takes the next IMAP response, or null when nothing complete has arrived. */
  imapResponse(): ImapResponse | null {
    const taken = takeImapResponse(this.buffer);
    if (!taken) return null;
    this.buffer = taken.rest;
    this.noteLines(taken.response.raw);
    this.announce(taken.response.raw);
    return taken.response;
  }

  private announce(raw: ByteString): void {
    const eol = raw.indexOf('\r\n');
    this.env.emit({
      type: 'device.reply',
      device: this.device,
      protocol: this.protocol,
      line: eol < 0 ? raw : raw.slice(0, eol),
      octets: raw.length,
    });
  }

  /** Raw bytes typed by a learner (manual mode): sent as they are, output recorded line by line. */
  sendRaw(bytes: ByteString): ByteString {
    if (this.closed) throw new LinkError('connection is closed');
    const body = bytes.endsWith('\r\n') ? bytes.slice(0, -2) : bytes;
    for (const line of body.split('\r\n')) {
      this.note('C', line);
      this.env.emit({ type: 'device.command', device: this.device, protocol: this.protocol, line });
    }
    this.busy = true;
    try {
      this.connection.send(bytes);
    } finally {
      this.busy = false;
    }
    return this.flushIncoming();
  }

  /** Records whatever arrived unasked (a greeting, a BYE) without sending anything. */
  flushIncoming(): ByteString {
    const out = this.buffer;
    this.buffer = '';
    if (out.length) {
      this.noteLines(out);
      this.announce(out);
    }
    return out;
  }

  /** Stops listening; closes the connection unless the server already did. */
  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    if (!this.connection.closed) this.connection.close();
    this.closed = true;
  }
}
