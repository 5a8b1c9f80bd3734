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

export type ItemAction = 'read' | 'unread' | 'flag' | 'unflag' | 'delete' | 'move';

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
