/**
 * Plain view-models the D3 views draw. They are built in src/ui from server
 * events and store snapshots; the views never see XState or the store.
 */

/** One message as a card. `id` is the stable key: mailbox name + UID (e.g. "INBOX:3"). */
export interface MessageCard {
  id: string;
  uid: number;
  /**
   * The POP3 message number a learner types (RETR 1). Numbers are fixed for a
   * session (RFC 1939 §4); outside a session it is the position in the maildrop.
   */
  number: number;
  subject: string;
  from: string;
  /** Size in octets, as STAT/LIST report it. */
  size: number;
  seen: boolean;
  /** Sent to the device by RETR in the current session (the server keeps its copy). */
  retrieved: boolean;
  /** Marked for deletion by DELE in the current POP3 session; gone at QUIT (UPDATE). */
  marked: boolean;
}

export interface MailboxViewModel {
  /** Cards in maildrop order. */
  cards: readonly MessageCard[];
}

/** A message a device holds locally: its own copy, kept after the server copy is gone. */
export interface DeviceCard {
  /** Same key as the server card it was copied from, so the copy can fly from it. */
  id: string;
  subject: string;
  from: string;
  size: number;
}

export interface DeviceViewModel {
  cards: readonly DeviceCard[];
}

/** The session state diagram, drawn from the machine definition. */
export interface StateDiagramViewModel {
  states: readonly { id: string; commands: readonly string[]; description?: string; final?: boolean }[];
  transitions: readonly { from: string; to: string; label: string; description?: string }[];
  /** Current state id, or null when no session is open. */
  current: string | null;
}

export interface RenderOptions {
  /** Milliseconds per animation step; 0 when the learner prefers reduced motion or in tests. */
  duration?: number;
}
