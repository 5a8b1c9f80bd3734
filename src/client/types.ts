/**
 * Plain, serializable data of a simulated device: what a mail app keeps on
 * disk (its local messages, folders, UIDL memory, offline queue) plus its
 * settings and transcript. Live connections are never part of it.
 */
import type { Protocol } from '../server/types';

export type DeviceKind = 'phone' | 'laptop' | 'workpc' | 'tablet';
export const DEVICE_KINDS: readonly DeviceKind[] = ['phone', 'laptop', 'workpc', 'tablet'];

/** POP3 options as common mail apps name them. */
export interface Pop3Settings {
  /** "Leave messages on server": without it, every retrieved message gets DELE before QUIT. */
  leaveOnServer: boolean;
  /** "Remove from server after N days" (only with leaveOnServer); null = keep forever. */
  removeAfterDays: number | null;
  /** "Remove from server when deleted here" (only with leaveOnServer). */
  removeWhenDeletedHere: boolean;
}

export interface ImapSettings {
  /** "poll": NOOP on each check; "idle": stay in IDLE and get changes pushed at once (RFC 2177). */
  mode: 'poll' | 'idle';
  /** Delete = move to Trash (what most apps do), or mark \Deleted and EXPUNGE at once. */
  deleteAction: 'trash' | 'expunge';
}

export interface DeviceSettings {
  /** Automatic check interval in virtual minutes; null = only when asked. */
  checkEveryMinutes: number | null;
  pop3: Pop3Settings;
  imap: ImapSettings;
}

export const DEFAULT_SETTINGS: DeviceSettings = {
  checkEveryMinutes: null,
  pop3: { leaveOnServer: false, removeAfterDays: null, removeWhenDeletedHere: false },
  imap: { mode: 'poll', deleteAction: 'trash' },
};

/** One message as the device holds it. */
export interface LocalMessage {
  /** Device-local id, stable for the life of this copy ("d1"...). */
  key: string;
  /** Local folder; POP3 devices download into "INBOX" and file locally. */
  folder: string;
  messageId: string;
  subject: string;
  from: string;
  /** Octets as downloaded. */
  size: number;
  /** Local flags (IMAP flag names: \Seen, \Flagged, ...). */
  flags: string[];
  /** Virtual time the device downloaded this copy. */
  fetchedAt: number;
  /** IMAP: UID of the server copy in `folder` (RFC 9051 §2.3.1.1). */
  uid?: number;
  /** POP3: unique-id listing of the server copy (RFC 1939 §7 UIDL). */
  uidl?: string;
  /** The octets as downloaded, when the world keeps them (the page's reader); absent in long simulations. */
  raw?: string;
}

/** A local folder; for IMAP also what the device last knew of the server mailbox. */
export interface LocalFolder {
  name: string;
  uidValidity?: number;
  uidNext?: number;
  /** Whether the folder exists on the server (IMAP) or only here (POP3 local folders). */
  localOnly?: boolean;
}

/** Something done on a device while offline, replayed against the IMAP server when back (IMAP only). */
export type QueuedAction =
  | { type: 'flags'; folder: string; uid: number; add: string[]; remove: string[] }
  /** `expunge`: \Deleted and EXPUNGE even when the app moves deleted mail to Trash. */
  | { type: 'delete'; folder: string; uid: number; expunge?: boolean }
  | { type: 'move'; folder: string; uid: number; to: string }
  | { type: 'create'; name: string };

/** One display line of a transcript (`transcriptLines` in transcript.ts). */
export interface TranscriptLine {
  /** "C" client to server, "S" server to client, "*" a note by the device (connect, drop). */
  dir: 'C' | 'S' | '*';
  text: string;
  at: number;
  /** Sequence number of the world event recorded with this entry (its command or reply event), when known. */
  seq?: number;
}

/**
 * One stored transcript entry: a command line, or a whole reply/response as it arrived with its
 * lines joined by CRLF (no final CRLF). A one-line entry is exactly a TranscriptLine, so saved
 * worlds from before entries held several lines load unchanged.
 */
export type TranscriptChunk = TranscriptLine;

export interface DeviceData {
  id: string;
  name: string;
  kind: DeviceKind;
  user: string;
  password: string;
  protocol: Protocol;
  settings: DeviceSettings;
  online: boolean;
  lost: boolean;
  /** Manual devices never check on their own: the learner types raw commands. */
  manual: boolean;
  folders: LocalFolder[];
  messages: LocalMessage[];
  nextKey: number;
  /** POP3 memory: UIDL -> virtual time first downloaded. The only memory a POP3 client has. */
  uidlSeen: Record<string, number>;
  /** POP3 UIDLs deleted here, to DELE on the next check ("remove from server when deleted here"). */
  pendingServerDeletes: string[];
  /** IMAP actions made offline, replayed in order when back online. */
  queue: QueuedAction[];
  /** What crossed the wire, one entry per command / reply; read lines with `transcriptLines`. */
  transcript: TranscriptChunk[];
  lastCheckAt: number | null;
  nextCheckAt: number | null;
}

/** Where a device action targets: a Message-ID (as on the device), or every message in INBOX. */
export type MessageRef = string;
