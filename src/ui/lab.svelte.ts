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
import type { Connection, Protocol, ProtocolSession, ServerEvent } from '../server/types';
import type { DeviceCard, MailboxViewModel, MessageCard, StateDiagramViewModel } from '../viz/types';
import type { ImapSessionView, ImapSupport, LabEngine, MailServerLike, ProtocolInfo } from './engine';
import { Transcript, type TranscriptEntry } from './transcript';
import { hangupReason, type CloseReason } from './hangup';

const MAILBOX = 'INBOX';
const DEVICE = 'laptop';
const NAMES: Record<Protocol, string> = { pop3: 'POP3', imap: 'IMAP' };
const NO_VIEW: ImapSessionView = { mailbox: null, uids: [], idling: false };

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
  /** The protocol the laptop speaks now. */
  protocol = $state.raw<Protocol>('pop3');
  /** True while the IMAP code is being fetched after the learner asked for IMAP. */
  switching = $state.raw(false);
  /** The IMAP session's selected mailbox, sequence order and IDLE (empty under POP3). */
  view = $state.raw<ImapSessionView>(NO_VIEW);
  /** Why the server closed the connection, in plain words; null while connected or before any close. */
  hangup = $state.raw<string | null>(null);
  /** Counts resets: views that animate the session's history start over when it changes. */
  epoch = $state.raw(0);
  #seq = 0;
  /** How the current connection ended (from the server's `connection.closed`), and its last reply line. */
  #closeReason: CloseReason | null = null;
  #lastLine = '';
  #imap: ImapSupport | null = null;
  /** Highest "a<n>" tag seen, so the lab's own tags continue the learner's (a1, a2, ...). */
  #lastTag = 0;
  /** The server asked for more (a "+" continuation) or the last line announced a literal. */
  #continuing = false;

  readonly user: string;
  readonly password: string;

  #engine: LabEngine;
  #store!: MailStore;
  #server!: MailServerLike;
  #connection: Connection | null = null;
  #session: ProtocolSession | undefined;
  /** The mailbox the laptop's IMAP copies came from (retrieved marks only apply there). */
  #retrievedFrom = MAILBOX;
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

  /** The current protocol's registry, legal commands and diagram. */
  get #info(): ProtocolInfo {
    return this.protocol === 'imap' && this.#imap ? this.#imap : this.#engine.pop3;
  }

  get commands(): readonly CommandDoc[] {
    return this.#info.commands;
  }

  /** Commands legal right now (none without a connection: there is nobody to talk to). */
  get legal(): readonly CommandDoc[] {
    if (!this.state) return [];
    if (this.protocol === 'imap' && this.view.idling && this.#imap) return [this.#imap.done];
    return this.#info.legalIn(this.state);
  }

  /** IMAP's part of the server panel, once IMAP's code is there. */
  get imapUi(): ImapSupport['Folders'] | null {
    return this.protocol === 'imap' ? (this.#imap?.Folders ?? null) : null;
  }

  /** How IMAP cards look, once IMAP's code is there. */
  get imapCardStyle(): ImapSupport['cardStyle'] | null {
    return this.#imap?.cardStyle ?? null;
  }

  /** The session state as shown: IMAP's IDLE is a sub-state ("Selected.IDLE"). */
  get shownState(): string | null {
    if (!this.state) return null;
    return this.protocol === 'imap' && this.view.idling ? `${this.state}.IDLE` : this.state;
  }

  get connected(): boolean {
    return this.state !== null;
  }

  /** The diagram with the current state; after the session ends it rests on the machine's final state. */
  get diagram(): StateDiagramViewModel {
    const d = this.#info.diagram;
    return {
      states: d.states,
      transitions: d.transitions,
      current: this.shownState ?? this.trail.at(-1)?.state ?? null,
    };
  }

  /**
   * The server's mailbox as cards, re-read whenever the store or the marks change. Under IMAP
   * it is the mailbox the session selected (INBOX before SELECT), numbered in this session's
   * own sequence order, with the folder list beside it.
   */
  get server(): MailboxViewModel {
    this.#watch();
    if (this.protocol === 'imap' && this.#imap) return this.#imapServer();
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

  #imapServer(): MailboxViewModel {
    const imap = this.#imap!;
    const view = this.view;
    // Copies FETCH made in another mailbox are not marked on this one's cards.
    const retrieved = view.mailbox === this.#retrievedFrom ? [...this.#retrieved] : [];
    return imap.mailboxView(this.#store, this.user, view, retrieved, this.#engine.summarize);
  }

  /**
   * Sends one command line as the laptop would: the text as UTF-8 octets plus CRLF
   * (RFC 1939 §3, RFC 9051 §2.2). Under IMAP a line that starts with a command gets the next
   * tag (the transcript says so); DONE, continuation data and literal octets go as typed. After
   * the session ended the laptop first opens a new connection, so typing on is never a dead end.
   */
  send(line: string): void {
    if (!this.#connection || this.#connection.closed) {
      this.#log.note(
        this.protocol === 'imap'
          ? this.#imap!.notes.reopen
          : 'Opening a new connection to the POP3 server (a new session starts in AUTHORIZATION).',
      );
      this.#connect();
    }
    const connection = this.#connection!;
    let wire = line;
    if (this.protocol === 'imap' && this.#imap) {
      const raw = this.#continuing || this.view.idling;
      if (!raw) {
        const tagged = this.#imap.addTag(line, `a${this.#lastTag + 1}`);
        if (tagged.added) this.#log.note(this.#imap.notes.tagged(tagged.added));
        wire = tagged.line;
        const n = /^a(\d+)\s/i.exec(wire);
        if (n) this.#lastTag = Math.max(this.#lastTag, Number(n[1]));
      }
      // A line ending in {n} or {n+} announces n octets that follow (RFC 9051 §4.3); the next
      // line typed is those octets, not a new command.
      this.#continuing = /\{\d+\+?\}$/.test(wire);
    }
    this.#log.client(wire);
    connection.send(utf8ToByteString(wire) + '\r\n');
    this.#sync();
  }

  /**
   * Switches the laptop to the other protocol. The open connection is dropped as a lost
   * connection would be (no QUIT or LOGOUT: POP3 removes nothing, RFC 1939 §6), then the laptop
   * connects with the other protocol to the same server and store. IMAP's code is fetched the
   * first time.
   */
  async switchProtocol(protocol: Protocol): Promise<void> {
    if (protocol === this.protocol || this.switching) return;
    if (protocol === 'imap' && !this.#imap) {
      this.switching = true;
      try {
        this.#imap = await this.#engine.loadImap();
      } finally {
        this.switching = false;
      }
      this.#server.setSessionFactory('imap', this.#imap.factory);
    }
    const old = this.#connection;
    this.#connection = null;
    if (old && !old.closed) {
      old.close();
      this.#log.note(
        // Either way IMAP's code is loaded by now (switching to IMAP loads it first).
        old.protocol === 'pop3' ? this.#imap!.notes.leftPop3 : this.#imap!.notes.leftImap,
      );
    }
    this.#marked.clear();
    this.#retrieved.clear();
    this.protocol = protocol;
    this.view = NO_VIEW;
    this.#continuing = false;
    this.#announce();
    this.#connect();
    this.#sync();
    this.#notify();
  }

  /** Opens a new connection after the last one ended. */
  reconnect(): void {
    if (this.#connection && !this.#connection.closed) return;
    this.#log.note(`Reconnecting: a new ${NAMES[this.protocol]} session.`);
    this.#connect();
    this.#sync();
  }

  /** A fresh mailbox, server and connection: everything as when the page opened. */
  reset(): void {
    this.dispose();
    this.#log.clear();
    this.laptop = [];
    this.trail = [];
    this.epoch++;
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
    if (this.#imap) this.#server.setSessionFactory('imap', this.#imap.factory);
    this.#announce();
    this.#connect();
    this.#sync();
  }

  #announce(): void {
    this.#log.note(
      this.protocol === 'imap'
        ? this.#imap!.notes.connect(this.user, this.password)
        : `The laptop connects to the POP3 server (port 110). Log in as ${this.user} / ${this.password}.`,
    );
  }

  #connect(): void {
    const connection = this.#server.connect(this.protocol, { client: DEVICE });
    this.#connection = connection;
    this.#session = connection.session;
    this.#marked.clear();
    this.#retrieved.clear();
    this.#continuing = false;
    this.#closeReason = null;
    this.#lastLine = '';
    this.hangup = null;
    this.#enter(connection.state);
    this.#cleanup.push(
      connection.onOutput((bytes) => {
        this.#log.server(bytes);
        const lines = bytes.split('\r\n').filter((l) => l !== '');
        if (lines.length) this.#lastLine = lines[lines.length - 1];
        if (connection.protocol === 'imap') this.#onImapOutput(bytes);
        this.#sync();
      }),
    );
    this.#cleanup.push(
      connection.onClose(() => {
        if (this.#connection !== connection) return;
        this.#marked.clear();
        this.#retrieved.clear();
        const { what, why } = hangupReason(connection.protocol, this.#closeReason, this.#lastLine);
        this.hangup = what;
        this.#log.note(`${what} ${why ? `${why} ` : ''}Press Reconnect, or type a command to connect again.`);
        this.#sync();
        this.#notify();
      }),
    );
    // The greeting may already have been written during connect(); catch up on state.
    this.#sync();
  }

  /** IMAP replies: a continuation request, and FETCH body data (the laptop now holds a copy). */
  #onImapOutput(bytes: string): void {
    if (/(?:^|\n)\+(?: [^\r\n]*)?\r\n$/.test(bytes)) this.#continuing = true;
    else if (/(?:^|\n)[*a-zA-Z0-9]/.test(bytes)) this.#continuing = false;
    const imap = this.#imap;
    const view = imap?.inspect(this.#session) ?? NO_VIEW;
    if (!imap || !view.mailbox) return;
    for (const { uid, part } of imap.copiesIn(bytes, view)) {
      this.#retrieved.add(uid);
      this.#retrievedFrom = view.mailbox;
      this.#copyToLaptop(uid, view.mailbox, part);
    }
    this.#notify();
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
    } else if (e.type === 'connection.closed') {
      this.#closeReason = e.reason;
    } else if (e.type === 'session.state') {
      this.#enter(e.to);
      this.#sync();
    }
  }

  /** RETR gave the laptop its own copy: it keeps it whatever happens on the server later. */
  #copyToLaptop(uid: number, mailbox = MAILBOX, part?: string): void {
    const id = `${mailbox}:${uid}`;
    const had = this.laptop.find((c) => c.id === id);
    // A whole message replaces a header-only copy; otherwise the first copy stays.
    if (had && (had.part === undefined || had.part === 'whole message' || part !== 'whole message')) return;
    const message = this.#store.getMessage(this.user, mailbox, uid);
    if (!message) return;
    const { subject, from } = this.#engine.summarize(message.raw);
    const card: DeviceCard = { id, subject, from, size: message.raw.length, ...(part ? { part } : {}) };
    this.laptop = had ? this.laptop.map((c) => (c.id === id ? card : c)) : [...this.laptop, card];
  }

  #enter(state: string): void {
    if (this.trail.at(-1)?.state === state) return;
    this.trail = [...this.trail.slice(-19), { seq: ++this.#seq, state }];
  }

  #sync(): void {
    const c = this.#connection;
    this.state = c && !c.closed ? c.state : null;
    this.transcript = this.#log.entries;
    if (this.protocol === 'imap' && this.#imap) {
      const v = c && !c.closed ? this.#imap.inspect(this.#session) : NO_VIEW;
      const old = this.view;
      if (
        v.mailbox !== old.mailbox ||
        v.idling !== old.idling ||
        v.uids.length !== old.uids.length ||
        v.uids.some((u, i) => u !== old.uids[i])
      ) {
        this.view = v;
        this.#notify();
      }
      // IDLE is a sub-state the machine enters without a top-level change: walk it on the diagram.
      const shown = this.shownState;
      if (shown) this.#enter(shown);
    }
  }

  #notify(): void {
    for (const w of [...this.#watchers]) w();
  }
}
