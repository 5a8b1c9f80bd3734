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
import { detach } from './summary';
import { recordTranscript } from './transcript';
import type { ImapClient } from './imap';
import type { DeviceData, TranscriptChunk } from './types';
import { takeImapResponse, takePop3Reply, type ImapResponse, type Pop3Reply } from './wire';

/** What the world gives a device: a way to reach the server, the clock, and the event log. */
export interface DeviceEnv {
  connect(protocol: Protocol, client: string): Connection;
  now(): number;
  emit(event: DeviceEvent): void;
  /** Called when bytes arrive while the device waits in IMAP IDLE: the world lets it react after the current step. */
  attention(device: string): void;
  /** Transcript bound in lines: at most 2 x limit are kept, oldest entries first out (transcript.ts). */
  transcriptLimit: number;
  /**
   * Makes the IMAP half of a device's mail app. It is injected rather than imported so the page
   * can load IMAP's code only when a device first needs it; without it an IMAP check reports
   * "unavailable".
   */
  imapClient?: (env: DeviceEnv, data: DeviceData) => ImapClient;
  /** Octets of each downloaded copy kept on the device (for reading it); 0 or absent = none. */
  keepBytes?: number;
  /** The sequence number the next world event will get: transcript entries carry it, so an event links to its lines. */
  nextSeq?(): number;
}

export class LinkError extends Error {}

/** The bytes a device keeps of a downloaded copy, per its world's setting (a copy, not a slice). */
export function keptBytes(env: DeviceEnv, raw: string): string | undefined {
  const n = env.keepBytes ?? 0;
  if (n <= 0) return undefined;
  // Concatenated with '' so V8 makes a flat copy instead of a view that keeps a whole reply alive.
  return (raw.length > n ? raw.slice(0, n) : raw).concat('');
}

/** Thrown when an IMAP server answers NO/BAD where the client cannot go on. */
export class ImapFailure extends Error {}

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
    readonly device: string,
    private readonly env: DeviceEnv,
    private readonly transcript: TranscriptChunk[],
    pending: ByteString = '',
    /** A terminal's link: bytes the server sends unasked (IDLE pushes, BYE) are shown at once. */
    private readonly live = false,
  ) {
    this.buffer = pending;
    this.unsubscribe.push(
      connection.onOutput((bytes) => {
        this.buffer += bytes;
        if (this.idling && !this.busy) env.attention(device);
        if (this.live && !this.busy) this.flushIncoming();
      }),
      connection.onClose(() => {
        this.closed = true;
      }),
    );
    if (connection.closed) this.closed = true;
  }

  /** Writes one transcript entry (a command line, or a reply's lines joined by CRLF). */
  note(dir: TranscriptChunk['dir'], text: string): void {
    recordTranscript(
      this.transcript,
      dir,
      text,
      this.env.now(),
      this.env.transcriptLimit,
      this.env.nextSeq?.(),
    );
  }

  /** A reply or response as one 'S' entry: its bytes without the final CRLF. */
  private noteLines(raw: ByteString): void {
    this.note('S', raw.endsWith('\r\n') ? raw.slice(0, -2) : raw);
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
      // A copy when the reply is long: a view of the first line would keep the whole reply (a
      // message) alive as long as the event is kept (summary.ts `detach`).
      line: eol < 0 ? raw : raw.length > 512 ? detach(raw.slice(0, eol)) : raw.slice(0, eol),
      octets: raw.length,
    });
  }

  /** Raw bytes typed by a learner (manual mode): sent as they are, output recorded line by line. */
  sendRaw(bytes: ByteString): ByteString {
    if (this.closed) throw new LinkError('connection is closed');
    const body = bytes.endsWith('\r\n') ? bytes.slice(0, -2) : bytes;
    this.note('C', body);
    for (const line of body.split('\r\n'))
      this.env.emit({ type: 'device.command', device: this.device, protocol: this.protocol, line });
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
