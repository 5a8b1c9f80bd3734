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
