/**
 * What the first screen needs from the core, as one small interface. The app
 * passes the real engine (`real-engine.ts`); tests may pass the same real
 * engine or a tiny stand-in. The UI never reaches into the store beyond this.
 */
import type { MailStore } from '../mail/store';
import type { ByteString } from '../mail/types';
import type { CommandDoc } from '../protocol/types';
import type { ConnectOptions, Connection, Protocol, ServerListener } from '../server/types';

export interface MailServerLike {
  connect(protocol: Protocol, options?: ConnectOptions): Connection;
  subscribe(listener: ServerListener): () => void;
}

/** States and transitions of a session machine, for the diagram and the badge. */
export interface SessionDiagram {
  states: readonly { id: string; commands: readonly string[]; description?: string; final?: boolean }[];
  transitions: readonly { from: string; to: string; label: string; description?: string }[];
}

export interface ProtocolInfo {
  /** Every command of the protocol, in registry order. */
  commands: readonly CommandDoc[];
  /** Commands legal in a session state. */
  legalIn(state: string): readonly CommandDoc[];
  diagram: SessionDiagram;
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
}
