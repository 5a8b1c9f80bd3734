import { createActor, fromTransition, type Actor } from 'xstate';
import type { MailStore } from '../mail/store';
import type { ByteString } from '../mail/types';
import type {
  ConnectOptions,
  Connection,
  Protocol,
  ProtocolSession,
  ServerEvent,
  ServerListener,
  SessionFactory,
  SessionHost,
} from './types';

/**
 * The mail server: the actor that owns the store, opens a session for every connection, holds
 * the maildrop locks and fans events out to whoever listens (the UI, lessons, the TCP bridge).
 *
 * Its bookkeeping (open connections, locks) is an XState machine, so the whole server can be
 * inspected like every other actor. Connections stay synchronous: bytes sent to a connection are
 * answered before `send` returns, which is what makes transcripts and tests deterministic.
 */

export interface ServerContext {
  /** user -> id of the connection holding that maildrop's lock (RFC 1939 §8). */
  locks: Readonly<Record<string, string>>;
  /** Ids of the open connections, in opening order. */
  connections: readonly string[];
}

export type ServerMachineEvent =
  | { type: 'connection.open'; id: string }
  | { type: 'connection.close'; id: string }
  | { type: 'lock.acquire'; user: string; holder: string }
  | { type: 'lock.release'; user: string; holder: string };

/**
 * The bookkeeping as one pure reducer: an XState transition actor (`fromTransition`), so the
 * server is inspected like every other actor (`actor.getSnapshot().context`). It used to be a
 * statechart with a single state; a POP3 check sends it four events (open, lock, unlock,
 * close), and running the statechart algorithm for each cost more than the whole UIDL
 * exchange of a check (docs/world.md, round 4).
 */
export function nextServerContext(context: ServerContext, event: ServerMachineEvent): ServerContext {
  switch (event.type) {
    case 'connection.open':
      return { ...context, connections: [...context.connections, event.id] };
    case 'connection.close': {
      // A closing connection never keeps a lock, whatever its session did.
      let locks = context.locks;
      for (const user in locks)
        if (locks[user] === event.id) {
          locks = Object.fromEntries(Object.entries(locks).filter(([, holder]) => holder !== event.id));
          break;
        }
      return { locks, connections: context.connections.filter((c) => c !== event.id) };
    }
    case 'lock.acquire':
      if (Object.hasOwn(context.locks, event.user)) return context;
      return { ...context, locks: { ...context.locks, [event.user]: event.holder } };
    case 'lock.release': {
      if (!Object.hasOwn(context.locks, event.user) || context.locks[event.user] !== event.holder)
        return context;
      const locks = { ...context.locks };
      delete locks[event.user];
      return { ...context, locks };
    }
  }
  return context;
}

export const mailServerLogic = fromTransition(nextServerContext, {
  locks: {},
  connections: [],
} as ServerContext);

/** @deprecated The bookkeeping is `mailServerLogic` now (a transition actor); this is the same logic. */
export const mailServerMachine = mailServerLogic;

export interface ServerConnection extends Connection {
  /** Who connected (a device id, "tcp 127.0.0.1:5555"), as given to `connect`. */
  readonly client?: string;
  /** The protocol session behind this connection (POP3: a Pop3Session with its actor). */
  readonly session: ProtocolSession;
}

export interface ConnectionInfo {
  id: string;
  protocol: Protocol;
  state: string;
  client?: string;
  /** The logged-in user, when the session knows one. */
  user?: string;
}

export interface MaildropLocks {
  holder(user: string): string | undefined;
  held(): { user: string; holder: string }[];
}

export interface MailServerOptions {
  store: MailStore;
  /** Virtual clock in ms; defaults to the store's clock. */
  now?: () => number;
  /** Used in greetings (the APOP timestamp). */
  hostname?: string;
  /**
   * The session implementation of each protocol. `createMailServer` in ./server fills in both;
   * the page passes POP3 only and adds IMAP with `setSessionFactory` once its code has loaded.
   */
  sessionFactories?: Partial<Record<Protocol, SessionFactory>>;
}

export interface MailServer {
  readonly store: MailStore;
  readonly hostname: string;
  readonly locks: MaildropLocks;
  readonly actor: Actor<typeof mailServerLogic>;
  connect(protocol: Protocol, options?: ConnectOptions): ServerConnection;
  /**
   * Hears every server event. With `{ wire: false }` the listener is not told of `command` and
   * `reply` (every line in and out): a simulation that keeps its own transcripts skips them, and
   * when no listener wants them they are not even made.
   */
  subscribe(listener: ServerListener, options?: { wire?: boolean }): () => void;
  /** True when some listener wants `command` and `reply` events. */
  readonly tracesWire: boolean;
  connections(): ConnectionInfo[];
  connection(id: string): ServerConnection | undefined;
  /** Installs (or replaces) the session implementation of a protocol, e.g. after a lazy import. */
  setSessionFactory(protocol: Protocol, factory: SessionFactory): void;
  /** Whether `connect(protocol)` can be called now. */
  supports(protocol: Protocol): boolean;
}

export function createMailServer(options: MailServerOptions): MailServer {
  const { store } = options;
  const now = options.now ?? (() => store.now());
  const hostname = options.hostname ?? 'localhost';
  const factories: Partial<Record<Protocol, SessionFactory>> = { ...options.sessionFactories };
  const actor = createActor(mailServerLogic).start();
  const listeners = new Set<ServerListener>();
  /** Listeners as arrays, rebuilt on (un)subscribe: one for every event, one for `command`/`reply` too. */
  let all: ServerListener[] = [];
  let wire: ServerListener[] = [];
  const wireListeners = new Set<ServerListener>();
  const rebuild = () => {
    all = [...listeners];
    wire = all.filter((l) => wireListeners.has(l));
  };
  const open = new Map<string, ConnectionImpl>();
  let counter = 0;

  // Never changed in place (rebuild makes new arrays), so a listener that unsubscribes while an
  // event is delivered does not make the loop skip another listener.
  const emit = (event: ServerEvent): void => {
    const to = event.type === 'command' || event.type === 'reply' ? wire : all;
    for (let i = 0; i < to.length; i++) to[i](event);
  };

  const locks: SessionHost['locks'] & MaildropLocks = {
    acquire(user, holder) {
      actor.send({ type: 'lock.acquire', user, holder });
      return actor.getSnapshot().context.locks[user] === holder;
    },
    release(user, holder) {
      actor.send({ type: 'lock.release', user, holder });
    },
    holder(user) {
      const locks = actor.getSnapshot().context.locks;
      return Object.hasOwn(locks, user) ? locks[user] : undefined;
    },
    held() {
      return Object.entries(actor.getSnapshot().context.locks).map(([user, holder]) => ({ user, holder }));
    },
  };

  /** What every connection shares: made once, not per connection (a year opens twenty thousand). */
  const deps: ConnectionDeps = {
    store,
    now,
    hostname,
    emit,
    tracesWire: () => wire.length > 0,
    locks,
    onEnd: (c, reason) => {
      open.delete(c.id);
      // Locks die with the connection, even if the session forgot one (RFC 1939 §8).
      for (const { user, holder } of locks.held()) {
        if (holder === c.id) {
          locks.release(user, holder);
          emit({ type: 'lock.released', connection: c.id, user });
        }
      }
      actor.send({ type: 'connection.close', id: c.id });
      emit({ type: 'connection.closed', connection: c.id, protocol: c.protocol, reason });
    },
  };

  const server: MailServer = {
    store,
    hostname,
    locks,
    actor,
    setSessionFactory(protocol, factory) {
      factories[protocol] = factory;
    },
    supports(protocol) {
      return factories[protocol] !== undefined;
    },
    connect(protocol, connectOptions = {}) {
      const factory = factories[protocol];
      if (!factory) throw new Error(`no ${protocol} session implementation is installed on this server`);
      const id = `${protocol}-${++counter}`;
      const conn = new ConnectionImpl(id, protocol, connectOptions.client, deps);
      open.set(id, conn);
      actor.send({ type: 'connection.open', id });
      emit({ type: 'connection.opened', connection: id, protocol, client: connectOptions.client });
      conn.start(factory);
      return conn;
    },
    subscribe(listener, subscribeOptions = {}) {
      listeners.add(listener);
      if (subscribeOptions.wire !== false) wireListeners.add(listener);
      rebuild();
      return () => {
        const had = listeners.delete(listener);
        wireListeners.delete(listener);
        rebuild();
        return had;
      };
    },
    get tracesWire() {
      return wire.length > 0;
    },
    connections() {
      return [...open.values()].map((c) => c.info());
    },
    connection(id) {
      return open.get(id);
    },
  };
  return server;
}

type EndReason = 'quit' | 'logout' | 'timeout' | 'dropped' | 'bad-input';

interface ConnectionDeps {
  store: MailStore;
  now: () => number;
  hostname: string;
  emit: (event: ServerEvent) => void;
  /** Whether anyone listens to `command`/`reply` events. */
  tracesWire: () => boolean;
  locks: SessionHost['locks'];
  onEnd: (connection: ConnectionImpl, reason: EndReason) => void;
}

/**
 * What a session sees of its connection. A class, not an object literal with a `tracesWire`
 * getter: V8 keeps such a literal's getter (and so the connection, its session and maildrop)
 * reachable from old space, so every session of a year survived into the old generation
 * (measured: about 100 MB promoted per simulated POP3 year, and the scavenges that copied it).
 */
class ConnectionHost implements SessionHost {
  readonly id: string;
  readonly store: MailStore;
  readonly now: () => number;
  readonly hostname: string;
  readonly locks: SessionHost['locks'];
  readonly emit: (event: ServerEvent) => void;

  constructor(
    private readonly connection: ConnectionImpl,
    private readonly deps: ConnectionDeps,
  ) {
    this.id = connection.id;
    this.store = deps.store;
    this.now = deps.now;
    this.hostname = deps.hostname;
    this.locks = deps.locks;
    this.emit = deps.emit;
  }

  get tracesWire(): boolean {
    return this.deps.tracesWire();
  }

  write(bytes: ByteString): void {
    this.connection.output(bytes);
  }

  end(reason: EndReason): void {
    this.connection.finish(reason);
  }
}

class ConnectionImpl implements ServerConnection {
  private outputListeners = new Set<(bytes: ByteString) => void>();
  /** `outputListeners` as an array, rebuilt when it changes (output is hot: every reply). */
  private outputList: Array<(bytes: ByteString) => void> = [];
  private closeListeners = new Set<() => void>();
  /** Output written before anyone listened (the greeting); handed to the first listener. */
  private held: ByteString[] | null = [];
  private ended = false;
  private sessionRef: ProtocolSession | null = null;

  constructor(
    readonly id: string,
    readonly protocol: Protocol,
    readonly client: string | undefined,
    private readonly deps: ConnectionDeps,
  ) {}

  start(factory: SessionFactory): void {
    const host = new ConnectionHost(this, this.deps);
    this.sessionRef = factory(host);
    this.sessionRef.start();
  }

  get session(): ProtocolSession {
    return this.sessionRef!;
  }

  get state(): string {
    return this.sessionRef?.state ?? 'closed';
  }

  get closed(): boolean {
    return this.ended;
  }

  send(bytes: ByteString): void {
    if (this.ended) return;
    this.sessionRef!.receive(bytes);
  }

  close(): void {
    if (this.ended) return;
    this.sessionRef!.dropped();
    this.finish('dropped');
  }

  onOutput(listener: (bytes: ByteString) => void): () => void {
    this.outputListeners.add(listener);
    this.outputList = [...this.outputListeners];
    if (this.held) {
      const held = this.held;
      this.held = null;
      for (const b of held) listener(b);
    }
    return () => {
      const had = this.outputListeners.delete(listener);
      this.outputList = [...this.outputListeners];
      return had;
    };
  }

  onClose(listener: () => void): () => void {
    if (this.ended) {
      listener();
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  info(): ConnectionInfo {
    const user = (this.sessionRef as { user?: string | null } | null)?.user ?? undefined;
    const info: ConnectionInfo = { id: this.id, protocol: this.protocol, state: this.state };
    if (this.client !== undefined) info.client = this.client;
    if (user) info.user = user;
    return info;
  }

  /** The session's bytes to the client (through its host). */
  output(bytes: ByteString): void {
    if (this.ended) return;
    if (this.deps.tracesWire())
      this.deps.emit({ type: 'reply', connection: this.id, protocol: this.protocol, bytes });
    if (this.held) this.held.push(bytes);
    else {
      const to = this.outputList;
      for (let i = 0; i < to.length; i++) to[i](bytes);
    }
  }

  /** Ends the connection (the session's `host.end`, or `close`). */
  finish(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.deps.onEnd(this, reason);
    for (const l of [...this.closeListeners]) l();
    this.closeListeners.clear();
  }
}
