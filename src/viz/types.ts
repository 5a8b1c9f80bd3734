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
   * IMAP: the sequence number in this session (RFC 9051 §2.3.1.2), null while the
   * session has not been told about the message (no mailbox selected, EXISTS pending).
   */
  number: number | null;
  subject: string;
  from: string;
  /** Size in octets, as STAT/LIST report it. */
  size: number;
  seen: boolean;
  /** Sent to the device by RETR in the current session (the server keeps its copy). */
  retrieved: boolean;
  /** Marked for deletion by DELE in the current POP3 session (gone at QUIT), or IMAP's \\Deleted flag. */
  marked: boolean;
  /** IMAP only: the message's flags and keywords as the server stores them (RFC 9051 §2.3.2). */
  flags?: readonly string[];
}

export interface FolderViewModel {
  name: string;
  messages: number;
  unseen: number;
  /** The mailbox the IMAP session has selected. */
  selected: boolean;
}

export interface MailboxViewModel {
  /** Cards in maildrop order (IMAP: UID order, which is sequence order). */
  cards: readonly MessageCard[];
  /** Absent for POP3 (one maildrop); 'imap' draws UIDs and flags. */
  protocol?: 'pop3' | 'imap';
  /** IMAP: the mailbox shown (the selected one, INBOX before SELECT). */
  mailbox?: string;
  /** IMAP: whether a mailbox is selected at all. */
  selected?: boolean;
  /** IMAP: every mailbox of the account with its counts. */
  folders?: readonly FolderViewModel[];
}

/** A message a device holds locally: its own copy, kept after the server copy is gone. */
export interface DeviceCard {
  /** Same key as the server card it was copied from, so the copy can fly from it. */
  id: string;
  subject: string;
  from: string;
  size: number;
  /** IMAP: what FETCH gave the device ("headers", "whole message", "part 2"); POP3 RETR is always whole. */
  part?: string;
}

export interface DeviceViewModel {
  cards: readonly DeviceCard[];
}

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
