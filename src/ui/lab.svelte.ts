/**
 * The bridge between the engine (store, server, one connection) and the
 * screen. Svelte 5 runes: `$state.raw` snapshot fields replaced wholesale, and
 * `createSubscriber` to re-read the store only while something on screen
 * watches it. Views get plain view-models from here and never see the engine.
 */
import { createSubscriber } from 'svelte/reactivity';
import { utf8ToByteString } from '../mail/store';
import type { MailStore } from '../mail/store';
import type { CommandDoc } from '../protocol/types';
import type { Connection, ServerEvent } from '../server/types';
import type { DeviceCard, MailboxViewModel, MessageCard, StateDiagramViewModel } from '../viz/types';
import type { LabEngine, MailServerLike } from './engine';
import { Transcript, type TranscriptEntry } from './transcript';

const MAILBOX = 'INBOX';
const DEVICE = 'laptop';

export class LabSession {
  /** What crossed the wire, plus the lab's notes. */
  transcript = $state.raw<readonly TranscriptEntry[]>([]);
  /** Messages the laptop holds: its own copies, kept after the server's are gone. */
  laptop = $state.raw<readonly DeviceCard[]>([]);
  /** The POP3 session state, or null when the laptop is not connected. */
  state = $state.raw<string | null>(null);
  /**
   * Every state the session entered, in order (AUTHORIZATION, TRANSACTION, UPDATE, closed...).
   * UPDATE lasts only inside QUIT's reply, so the diagram walks this trail to show it.
   */
  trail = $state.raw<readonly { seq: number; state: string }[]>([]);
  #seq = 0;

  readonly user: string;
  readonly password: string;

  #engine: LabEngine;
  #store!: MailStore;
  #server!: MailServerLike;
  #connection: Connection | null = null;
  #log = new Transcript();
  // Plain sets on purpose: the server view is re-read through createSubscriber (#notify), and
  // a reactive set would make the view-model depend on two notification paths.
  /** Messages DELE marked in the current session. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #marked = new Set<number>();
  /** Messages RETR sent in the current session. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #retrieved = new Set<number>();
  #cleanup: (() => void)[] = [];
  /** Listeners of createSubscriber; store and server events for the current engine are relayed to them. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #watchers = new Set<() => void>();
  #watch = createSubscriber((update) => {
    this.#watchers.add(update);
    return () => this.#watchers.delete(update);
  });

  constructor(engine: LabEngine) {
    this.#engine = engine;
    this.user = engine.account.user;
    this.password = engine.account.password;
    this.#start();
  }

  get commands(): readonly CommandDoc[] {
    return this.#engine.pop3.commands;
  }

  /** Commands legal right now (none without a connection: there is nobody to talk to). */
  get legal(): readonly CommandDoc[] {
    return this.state ? this.#engine.pop3.legalIn(this.state) : [];
  }

  get connected(): boolean {
    return this.state !== null;
  }

  /** The diagram with the current state; after the session ends it rests on the machine's final state. */
  get diagram(): StateDiagramViewModel {
    const d = this.#engine.pop3.diagram;
    return {
      states: d.states,
      transitions: d.transitions,
      current: this.state ?? this.trail.at(-1)?.state ?? null,
    };
  }

  /** The server's maildrop as cards, re-read whenever the store or the marks change. */
  get server(): MailboxViewModel {
    this.#watch();
    const mailbox = this.#store.getMailbox(this.user, MAILBOX);
    const cards: MessageCard[] = (mailbox?.messages ?? []).map((m, i) => {
      const { subject, from } = this.#engine.summarize(m.raw);
      return {
        id: `${MAILBOX}:${m.uid}`,
        uid: m.uid,
        number: i + 1,
        subject,
        from,
        size: m.raw.length,
        seen: m.flags.includes('\\Seen'),
        retrieved: this.#retrieved.has(m.uid),
        marked: this.#marked.has(m.uid),
      };
    });
    return { cards };
  }

  /**
   * Sends one command line as the laptop would: the text as UTF-8 octets plus
   * CRLF (RFC 1939 §3). After QUIT the laptop first opens a new connection, so
   * typing on is never a dead end; the transcript says so.
   */
  send(line: string): void {
    if (!this.#connection || this.#connection.closed) {
      this.#log.note('Opening a new connection to the POP3 server (a new session starts in AUTHORIZATION).');
      this.#connect();
    }
    const connection = this.#connection!;
    this.#log.client(line);
    connection.send(utf8ToByteString(line) + '\r\n');
    this.#sync();
  }

  /** Opens a new connection after the last one ended. */
  reconnect(): void {
    if (this.#connection && !this.#connection.closed) return;
    this.#log.note('Reconnecting: a new POP3 session.');
    this.#connect();
    this.#sync();
  }

  /** A fresh mailbox, server and connection: everything as when the page opened. */
  reset(): void {
    this.dispose();
    this.#log.clear();
    this.laptop = [];
    this.trail = [];
    this.#start();
    this.#notify();
  }

  dispose(): void {
    for (const c of this.#cleanup.splice(0)) c();
    const connection = this.#connection;
    this.#connection = null;
    connection?.close();
    this.#marked.clear();
    this.#retrieved.clear();
  }

  #start(): void {
    this.#store = this.#engine.createStore();
    this.#server = this.#engine.createServer(this.#store);
    this.#cleanup.push(this.#store.subscribe(() => this.#notify()));
    this.#cleanup.push(this.#server.subscribe((e) => this.#onServerEvent(e)));
    this.#log.note(
      `The laptop connects to the POP3 server (port 110). Log in as ${this.user} / ${this.password}.`,
    );
    this.#connect();
    this.#sync();
  }

  #connect(): void {
    const connection = this.#server.connect('pop3', { client: DEVICE });
    this.#connection = connection;
    this.#marked.clear();
    this.#retrieved.clear();
    this.#enter(connection.state);
    this.#cleanup.push(
      connection.onOutput((bytes) => {
        this.#log.server(bytes);
        this.#sync();
      }),
    );
    this.#cleanup.push(
      connection.onClose(() => {
        if (this.#connection !== connection) return;
        this.#marked.clear();
        this.#retrieved.clear();
        this.#log.note(
          'The server closed the connection. Press Reconnect, or type a command to connect again.',
        );
        this.#sync();
        this.#notify();
      }),
    );
    // The greeting may already have been written during connect(); catch up on state.
    this.#sync();
  }

  #onServerEvent(e: ServerEvent): void {
    if (!this.#connection || !('connection' in e) || e.connection !== this.#connection.id) return;
    if (e.type === 'pop3.marked') {
      if (e.deleted) this.#marked.add(e.uid);
      else this.#marked.delete(e.uid);
      this.#notify();
    } else if (e.type === 'pop3.retrieved') {
      this.#retrieved.add(e.uid);
      this.#copyToLaptop(e.uid);
      this.#notify();
    } else if (e.type === 'session.state') {
      this.#enter(e.to);
      this.#sync();
    }
  }

  /** RETR gave the laptop its own copy: it keeps it whatever happens on the server later. */
  #copyToLaptop(uid: number): void {
    const id = `${MAILBOX}:${uid}`;
    if (this.laptop.some((c) => c.id === id)) return;
    const message = this.#store.getMessage(this.user, MAILBOX, uid);
    if (!message) return;
    const { subject, from } = this.#engine.summarize(message.raw);
    this.laptop = [...this.laptop, { id, subject, from, size: message.raw.length }];
  }

  #enter(state: string): void {
    if (this.trail.at(-1)?.state === state) return;
    this.trail = [...this.trail.slice(-19), { seq: ++this.#seq, state }];
  }

  #sync(): void {
    const c = this.#connection;
    this.state = c && !c.closed ? c.state : null;
    this.transcript = this.#log.entries;
  }

  #notify(): void {
    for (const w of [...this.#watchers]) w();
  }
}
