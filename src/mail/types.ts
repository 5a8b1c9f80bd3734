/**
 * Core mail types. Everything here is plain data so a whole store can be
 * serialized to JSON, diffed and replayed.
 */

/**
 * Message bytes held as a "byte string": every char code is one octet (0..255),
 * exactly as on the wire. `raw.length` is the size in octets (RFC 1939 sizes,
 * IMAP RFC822.SIZE). Convert with `bytesToByteString` / `byteStringToBytes`.
 */
export type ByteString = string;

/** IMAP system flags (RFC 9051 §2.3.2). Keywords are any other atom. */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;

/** RFC 6154 special-use attributes. */
export type SpecialUse = '\\Sent' | '\\Drafts' | '\\Trash' | '\\Archive' | '\\Junk' | '\\All' | '\\Flagged';

export interface StoredMessage {
  /** Unique identifier within the mailbox; strictly ascending, never reused (RFC 9051 §2.3.1.1). */
  uid: number;
  /** Exact RFC 5322 bytes with CRLF line ends. */
  raw: ByteString;
  /** Flags in canonical spelling (system flags as in SYSTEM_FLAGS), no duplicates. */
  flags: string[];
  /** Internal date, milliseconds since the epoch (virtual clock). */
  internalDate: number;
  /** Modification sequence of the last change (RFC 7162), for CONDSTORE later. */
  modseq: number;
}

export interface MailboxData {
  name: string;
  /** Hierarchy delimiter is always "/" in this store (like Dovecot's default with fs layout). */
  uidValidity: number;
  uidNext: number;
  highestModSeq: number;
  specialUse: SpecialUse | null;
  /** Ordered by UID ascending. */
  messages: StoredMessage[];
}

export interface AccountData {
  user: string;
  password: string;
  /** Ordered by creation; INBOX is always first. */
  mailboxes: MailboxData[];
  /**
   * Subscribed names, in the order they were subscribed. A subscription belongs to the name, not
   * to the mailbox: it stays when the mailbox is deleted or renamed (RFC 9051 §6.3.7).
   */
  subscriptions: string[];
  /**
   * Every level of every mailbox name ("Work", "Work/2025"), oldest first, as Dovecot's mailbox
   * list index keeps them: a level stays while a mailbox is at or under it, a renamed mailbox
   * is new. LIST shows siblings newest first in this order.
   */
  listOrder: string[];
}

export interface StoreData {
  version: 1;
  /** Next UIDVALIDITY handed to a newly created mailbox. */
  nextUidValidity: number;
  accounts: AccountData[];
}

/** Who made a change: a session id, a device id, "delivery" or "system". */
export type Origin = string;

export type StoreEvent =
  | { type: 'mailbox.created'; user: string; mailbox: string; origin?: Origin }
  | { type: 'mailbox.deleted'; user: string; mailbox: string; origin?: Origin }
  | { type: 'mailbox.renamed'; user: string; from: string; to: string; origin?: Origin }
  | { type: 'mailbox.subscribed'; user: string; mailbox: string; subscribed: boolean; origin?: Origin }
  | { type: 'message.delivered'; user: string; mailbox: string; uid: number; size: number; origin?: Origin }
  | {
      type: 'flags.changed';
      user: string;
      mailbox: string;
      uid: number;
      flags: string[];
      modseq: number;
      origin?: Origin;
    }
  | { type: 'message.expunged'; user: string; mailbox: string; uids: number[]; origin?: Origin };

export type StoreListener = (event: StoreEvent) => void;
