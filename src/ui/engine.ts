/**
 * What the first screen needs from the core, as one small interface. The app
 * passes the real engine (`real-engine.ts`); tests may pass the same real
 * engine or a tiny stand-in. The UI never reaches into the store beyond this.
 */
import type { MailStore } from '../mail/store';
import type { ByteString } from '../mail/types';
import type { CommandDoc } from '../protocol/types';
import type { Component } from 'svelte';
import type { ImapCardStyle } from '../viz/cards';
import type { MailboxViewModel, SessionDiagram } from '../viz/types';
import type {
  ConnectOptions,
  Connection,
  Protocol,
  ProtocolSession,
  ServerListener,
  SessionFactory,
} from '../server/types';

export interface MailServerLike {
  /** The connection; `session` is the protocol session behind it (the IMAP view reads its state). */
  connect(protocol: Protocol, options?: ConnectOptions): Connection & { readonly session?: ProtocolSession };
  subscribe(listener: ServerListener): () => void;
  /** Installs a protocol's session code once it has loaded (IMAP arrives by dynamic import). */
  setSessionFactory(protocol: Protocol, factory: SessionFactory): void;
  supports(protocol: Protocol): boolean;
}

/** States and transitions of a session machine, for the diagram and the badge. */
export type { SessionDiagram };

export interface ProtocolInfo {
  /** Every command of the protocol, in registry order. */
  commands: readonly CommandDoc[];
  /** Commands legal in a session state. */
  legalIn(state: string): readonly CommandDoc[];
  diagram: SessionDiagram;
}

/** What an IMAP session knows that the wire alone does not show at a glance. */
export interface ImapSessionView {
  /** The selected mailbox, or null in Not Authenticated / Authenticated. */
  mailbox: string | null;
  /** UIDs in this session's sequence order: sequence number n is `uids[n - 1]` (RFC 9051 §2.3.1.2). */
  uids: readonly number[];
  /** True while IDLE (RFC 2177): only DONE is accepted. */
  idling: boolean;
}

/** The IMAP half of the lab, loaded by dynamic import when the laptop first switches to IMAP. */
export interface ImapSupport extends ProtocolInfo {
  factory: SessionFactory;
  inspect(session: ProtocolSession | undefined): ImapSessionView;
  /** DONE, the one line legal while IDLE (it is not a command: it has no tag). */
  done: CommandDoc;
  /**
   * Messages an IMAP reply hands the client (FETCH body data), with what part of each:
   * "headers", "whole message" or "part 2". `view` maps sequence numbers to UIDs.
   */
  copiesIn(reply: string, view: ImapSessionView): { uid: number; part: string }[];
  /**
   * The server panel under IMAP: the selected mailbox (INBOX before SELECT) numbered in the
   * session's own sequence order, each card with its UID and flags, and the folder list.
   */
  mailboxView(
    store: MailStore,
    user: string,
    view: ImapSessionView,
    retrieved: readonly number[],
    summarize: LabEngine['summarize'],
  ): MailboxViewModel;
  /** How IMAP cards look (UID, flags as tags). */
  cardStyle: ImapCardStyle;
  /** The server panel's IMAP part (folder list with counts, legend). */
  Folders: Component<{ vm: MailboxViewModel }>;
  /** What the transcript says when the lab does something on the learner's behalf under IMAP. */
  notes: {
    connect(user: string, password: string): string;
    reopen: string;
    tagged(tag: string): string;
    /** The laptop dropped its POP3 connection to switch to IMAP. */
    leftPop3: string;
    /** The laptop dropped its IMAP connection to switch to POP3. */
    leftImap: string;
  };
  /** Adds the next tag to a line that starts with a command (`LOGIN ...` → `a1 LOGIN ...`). */
  addTag(line: string, nextTag: string): { line: string; added: string | null };
}

export interface LabEngine {
  /** The account the starting maildrop belongs to (shown on screen: what to type first). */
  account: { user: string; password: string };
  /** The starting maildrop (alice / wonderland and her messages). */
  createStore(): MailStore;
  createServer(store: MailStore): MailServerLike;
  /** Decoded subject and sender for a card. */
  summarize(raw: ByteString): { subject: string; from: string };
  pop3: ProtocolInfo;
  /** Loads the IMAP engine, its command registry and diagram (kept out of the first load). */
  loadImap(): Promise<ImapSupport>;
}
