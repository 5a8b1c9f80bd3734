/**
 * Plain view-models the D3 views draw. They are built in src/ui from server
 * events and store snapshots; the views never see XState or the store.
 */

/** States and transitions of a session machine, read from its definition. */
export interface SessionDiagram {
  /** A state with a `parent` is drawn as a small box inside its parent (IMAP's IDLE inside Selected). */
  states: readonly {
    id: string;
    commands: readonly string[];
    description?: string;
    final?: boolean;
    parent?: string;
  }[];
  transitions: readonly { from: string; to: string; label: string; description?: string }[];
}

/** The session state diagram, drawn from the machine definition, with the current state lit. */
export interface StateDiagramViewModel extends SessionDiagram {
  /** Current state id, or null when no session is open. */
  current: string | null;
}

export interface RenderOptions {
  /** Milliseconds per animation step; 0 when the learner prefers reduced motion or in tests. */
  duration?: number;
}

// ---- the world view (several devices around one server) ----------------------------------

/** A small word on a message item: what matters about it right now. */
export interface ItemTag {
  text: string;
  tone: 'device' | 'server' | 'danger' | 'muted';
  /** Longer explanation (tooltip). */
  title?: string;
}

/** One message in a device's or the server's list, keyed so the D3 join maps change to motion. */
export interface MessageItem {
  /** Stable key: a device's local copy id ("d12"), or mailbox + UID on the server ("INBOX:4"). */
  key: string;
  /** Message-ID: a copy flies from the server item with the same one. */
  messageId: string;
  subject: string;
  from: string;
  /** Octets. */
  size: number;
  unread: boolean;
  flagged: boolean;
  /** Server items: the position in the folder (the message number a fresh POP3 session would use). */
  number?: number;
  /** Server items: the UID. */
  uid?: number;
  tags: readonly ItemTag[];
}

/** What an item's controls ask: the four actions, and "open" (the subject: read the message). */
export type ItemAction = 'read' | 'unread' | 'flag' | 'unflag' | 'delete' | 'move' | 'open';

export interface MessageListViewModel {
  /** The items drawn (a window of the folder when it is long). */
  items: readonly MessageItem[];
  /** Messages in the folder, drawn or not. */
  total: number;
  /** Per-item buttons (Mark read, Flag, Delete, Move); off on the server and in read-only views. */
  actions: boolean;
  /** Where "Move" can put a message. */
  moveTargets: readonly string[];
}

/**
 * One row of the sequence diagram (issue 7). The lead builds these from the world's event log /
 * the transcript of the selected device: one `command` per line the client sent, one `reply` per
 * server response (its first line in `text`, the whole count in `lines`), a `state` whenever the
 * session entered a state, and a `note` for what is not on the wire (connection opened, dropped).
 * Order is wire order, oldest first.
 */
export interface SequenceItem {
  /** Stable key (the world event / transcript sequence number). */
  key: string;
  kind: 'command' | 'reply' | 'state' | 'note';
  /** Command line, first line of a reply, a state name ("TRANSACTION"), or a note ("connection dropped"). */
  text: string;
  /** Replies: ok (+OK / tagged OK), err (-ERR / NO / BAD), untagged (IMAP "*"), continue (IMAP "+"). */
  status?: 'ok' | 'err' | 'untagged' | 'continue';
  /** Replies: how many lines (a multi-line reply is drawn as a thicker arrow with "+N lines"). */
  lines?: number;
  /** A short explanation for the tooltip / accessible description (e.g. the command's one-line summary). */
  title?: string;
}

/**
 * The exchange of one device with the server. `items` may be the whole session; the wrapper
 * (`ui/SequenceDiagram.svelte`) hands the renderer only the newest `SEQUENCE_WINDOW` of them.
 */
export interface SequenceViewModel {
  /** The client lifeline's name ("Laptop"). */
  client: string;
  /** The server lifeline's name ("POP3 server"). */
  server: string;
  items: SequenceItem[];
}

/** The server's storage at one moment of virtual time. */
export interface StoragePoint {
  /** Virtual time, epoch milliseconds (UTC). */
  at: number;
  /** Octets the server stores for the account. */
  bytes: number;
  messages: number;
}

/** Storage over time under one protocol; points in time order, each the level from `at` on (a step). */
export interface StorageSeries {
  id: string;
  label: string;
  points: StoragePoint[];
}

export interface StorageChartViewModel {
  /** Usually POP3 and IMAP. */
  series: StorageSeries[];
  /** Octets included in the plan; null = no free allowance (every octet is billed). */
  quotaBytes: number | null;
  /** Cost of storage above the quota, per GB (1024^3 bytes) per 30-day month. */
  pricePerGBMonth: number;
  /** Virtual time of the current scrub position (a vertical marker), or null. */
  marker: number | null;
}
