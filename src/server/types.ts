import type { ByteString } from '../mail/types';

export type Protocol = 'pop3' | 'imap';

/**
 * One client connection to the in-page (or TCP-bridged) server. Bytes in,
 * bytes out, exactly as on a socket. Output is delivered synchronously from
 * within `send()` (and from store changes, e.g. IMAP IDLE pushes).
 */
export interface Connection {
  readonly id: string;
  /** The protocol session behind an in-page connection (absent over other transports). */
  readonly session?: ProtocolSession;
  readonly protocol: Protocol;
  /** Name of the current session state as the protocol names it (e.g. "AUTHORIZATION", "Selected"). */
  readonly state: string;
  readonly closed: boolean;
  /** Bytes from the client; may hold part of a line, one line, or many (pipelining). */
  send(bytes: ByteString): void;
  /** The client went away (socket closed / device lost). Never counts as QUIT/LOGOUT. */
  close(): void;
  onOutput(listener: (bytes: ByteString) => void): () => void;
  onClose(listener: () => void): () => void;
}

export interface ConnectOptions {
  /** Shown in logs and events: a device id or "tcp 127.0.0.1:5555". */
  client?: string;
}

/** Events the server announces besides store changes; the UI and lessons consume them. */
export type ServerEvent =
  | { type: 'connection.opened'; connection: string; protocol: Protocol; client?: string }
  | {
      type: 'connection.closed';
      connection: string;
      protocol: Protocol;
      /** 'bad-input': the server hung up on a client that sent too many bad commands or an over-long line. */
      reason: 'quit' | 'logout' | 'dropped' | 'timeout' | 'bad-input';
    }
  | { type: 'session.state'; connection: string; protocol: Protocol; from: string; to: string }
  | { type: 'command'; connection: string; protocol: Protocol; line: string }
  | { type: 'reply'; connection: string; protocol: Protocol; bytes: ByteString }
  | { type: 'lock.taken'; connection: string; user: string }
  | { type: 'lock.released'; connection: string; user: string }
  | { type: 'lock.refused'; connection: string; user: string }
  | { type: 'pop3.marked'; connection: string; user: string; uid: number; deleted: boolean }
  | { type: 'pop3.retrieved'; connection: string; user: string; uid: number };

export type ServerListener = (event: ServerEvent) => void;

/**
 * What the server gives each protocol session. Sessions never touch sockets
 * or the DOM; they read bytes from `receive()` and answer through `write()`.
 */
export interface SessionHost {
  readonly id: string;
  readonly store: import('../mail/store').MailStore;
  /** Virtual clock (ms since epoch). */
  readonly now: () => number;
  /** Server host name used in greetings (e.g. the APOP banner). */
  readonly hostname: string;
  /** Sends bytes to the client. */
  write(bytes: ByteString): void;
  /** Closes the connection from the server side (after QUIT/LOGOUT, idle timeout, fatal error). */
  end(reason: 'quit' | 'logout' | 'timeout' | 'dropped' | 'bad-input'): void;
  /** Announces a server event (state change, lock taken, message marked...). */
  emit(event: ServerEvent): void;
  /**
   * False when no listener wants `command`/`reply` events: a session may then skip making them.
   * Absent means true.
   */
  readonly tracesWire?: boolean;
  /** Exclusive maildrop locks (RFC 1939 §8): one POP3 session per user at a time. */
  readonly locks: {
    acquire(user: string, holder: string): boolean;
    release(user: string, holder: string): void;
    holder(user: string): string | undefined;
  };
}

/** What a session knows that the wire alone does not show at a glance (for the lab's views). */
export interface SessionView {
  /** The logged-in user, or null before login. */
  user: string | null;
  /** POP3: the maildrop (INBOX) once logged in; IMAP: the selected mailbox. Null otherwise. */
  mailbox: string | null;
  /**
   * The session's own numbering: message number (POP3, RFC 1939 §5) or sequence number (IMAP,
   * RFC 9051 §2.3.1.2) n is the message with UID `uids[n - 1]`.
   */
  uids: readonly number[];
  /** POP3: UIDs marked with DELE in this session (removed only at QUIT). */
  marked: readonly number[];
  /** IMAP: true while in IDLE (RFC 2177). */
  idling: boolean;
}

export interface ProtocolSession {
  /** Current state in the protocol's own words. */
  readonly state: string;
  /** The session's view for the lab's screens (a snapshot; cheap enough to call after every step). */
  inspect?(): SessionView;
  /** Sends the greeting. */
  start(): void;
  /** Bytes from the client (any split: partial lines, several lines). */
  receive(bytes: ByteString): void;
  /** The connection was lost without QUIT/LOGOUT: release locks, commit nothing. */
  dropped(): void;
}

export type SessionFactory = (host: SessionHost) => ProtocolSession;
