import type { ByteString } from '../../mail/types';
import { claimRecentUpTo } from '../../protocol/imap/mailbox-view';
import { executePop3Line, overlongReply } from '../../protocol/pop3/engine';
import { formatPop3Reply } from '../../protocol/pop3/format';
import { Maildrop } from '../../protocol/pop3/maildrop';
import {
  DOVECOT_BAD_COMMAND_LIMITS,
  type Pop3SaslMechanism,
  POP3_LOGIN_KEYWORDS,
  POP3_MAX_LINE_LENGTH,
  err,
  exceedsLoginLineLimit,
  type Pop3BadCommandLimits,
  type Pop3Context,
  type Pop3Reply,
  type Pop3State,
} from '../../protocol/pop3/types';
import { LineReader } from '../../protocol/wire';
import { ChartRunner, type ChartAction } from '../chart';
import type { ProtocolSession, SessionFactory, SessionHost, SessionView } from '../types';
import { pop3SessionMachine, type Pop3MachineEvent, type Pop3MachineState } from './machine';

/** What the greeting says before the APOP timestamp (Dovecot: "+OK Dovecot ready."). */
export const POP3_GREETING_TEXT = 'POP vs IMAP Lab ready.';

let bannerCounter = 0;

/** What a POP3 session can be configured with (the server passes it to every session). */
export interface Pop3SessionOptions {
  /** Consecutive bad commands that close the connection; Dovecot's values by default. */
  badCommandLimits?: Partial<Pop3BadCommandLimits>;
}

/** The extra line Dovecot sends before hanging up on too many bad commands (measured). */
export const POP3_TOO_MANY_BAD_COMMANDS: Readonly<Record<'AUTHORIZATION' | 'TRANSACTION', string>> = {
  AUTHORIZATION: '-ERR Too many invalid bad commands.\r\n',
  TRANSACTION: '-ERR Too many bad commands.\r\n',
};

/**
 * The APOP timestamp (RFC 1939 §7): "<process-ID.clock@hostname>", unique per connection. We
 * have no process, so the number is the connection's own (from its id) and the clock is the
 * virtual clock in seconds.
 */
export function apopBanner(host: Pick<SessionHost, 'id' | 'now' | 'hostname'>): string {
  const m = /(\d+)$/.exec(host.id);
  const n = m ? m[1] : String(++bannerCounter);
  return `<${n}.${Math.floor(host.now() / 1000)}@${host.hostname}>`;
}

/**
 * One POP3 connection: reads lines from the wire, runs each through the engine, writes exactly
 * one reply per line, and tells the state machine what happened. Runs synchronously: every
 * reply is written before `receive` returns.
 */
export class Pop3Session implements ProtocolSession {
  /** This session's run of the POP3 state chart (machine.ts). */
  readonly chart: ChartRunner<typeof pop3SessionMachine>;
  readonly banner: string;
  private readonly reader = new LineReader({ maxLineLength: POP3_MAX_LINE_LENGTH });
  private lastState: Pop3MachineState = 'AUTHORIZATION';
  private failure: unknown = null;
  private readonly limits: Pop3BadCommandLimits;
  /** Bad commands in a row, counted the way Dovecot counts them (see Pop3BadCommandLimits). */
  private badCommands = 0;
  /** USER's argument in AUTHORIZATION; the logged-in user from TRANSACTION on. */
  private userName: string | null = null;
  /** The session's numbered snapshot of INBOX, from login to the end. */
  private drop: Maildrop | null = null;
  /** SASL mechanism whose response the next line carries. */
  private sasl: Pop3SaslMechanism | null = null;
  private saslUser: string | null = null;

  constructor(
    private readonly host: SessionHost,
    options: Pop3SessionOptions = {},
  ) {
    this.limits = { ...DOVECOT_BAD_COMMAND_LIMITS, ...options.badCommandLimits };
    this.banner = apopBanner(host);
    this.chart = new ChartRunner(pop3SessionMachine, (action, event) => this.perform(action, event));
  }

  /** No SASL exchange is under way (AUTH ended, or USER started another login). */
  private endSasl(): void {
    this.sasl = null;
    this.saslUser = null;
  }

  /** Does what the chart names, as it names it (see pop3SessionMachine). */
  private perform(action: ChartAction, event: Pop3MachineEvent | null): void {
    const host = this.host;
    switch (action.type) {
      case 'enterState': {
        const to = (action.params as { state: Pop3MachineState }).state;
        if (to === this.lastState) return;
        const from = this.lastState;
        this.lastState = to;
        host.emit({ type: 'session.state', connection: host.id, protocol: 'pop3', from, to });
        return;
      }
      case 'rememberUser':
        if (event?.type === 'auth.user') this.userName = event.user;
        this.endSasl();
        return;
      case 'awaitSaslResponse':
        if (event?.type === 'auth.challenge') {
          this.sasl = event.mechanism;
          this.saslUser = event.user ?? null;
        }
        return;
      case 'forgetUser':
        this.userName = null;
        this.endSasl();
        return;
      case 'openMaildrop':
        if (event?.type === 'auth.ok') {
          this.userName = event.user;
          this.drop = event.maildrop;
          // Dovecot's POP3 login opens INBOX read-write: its messages stop being \Recent for
          // IMAP sessions that select it later (measured).
          const last = event.maildrop.lastUid;
          if (last) claimRecentUpTo(host.store, event.user, 'INBOX', last);
        }
        this.endSasl();
        return;
      case 'commitUpdate': {
        const maildrop = this.drop;
        if (!maildrop) return;
        const deleted = new Set(maildrop.deletedUids());
        const seen = maildrop.retrievedUids().filter((uid) => !deleted.has(uid));
        if (seen.length) host.store.setFlags(maildrop.user, 'INBOX', seen, 'add', ['\\Seen'], host.id);
        if (deleted.size) host.store.expunge(maildrop.user, 'INBOX', [...deleted], host.id);
        return;
      }
      case 'releaseLock': {
        const maildrop = this.drop;
        if (!maildrop) return;
        host.locks.release(maildrop.user, host.id);
        host.emit({ type: 'lock.released', connection: host.id, user: maildrop.user });
        return;
      }
    }
  }

  /** Sends the chart an event; an action that throws ends the session (as an actor stops on an error). */
  private send(event: Pop3MachineEvent): void {
    if (this.failure !== null) return;
    try {
      this.chart.send(event);
    } catch (e) {
      this.failure = e;
    }
  }

  get state(): Pop3MachineState {
    return this.lastState;
  }

  /** The logged-in user, once in TRANSACTION. */
  get user(): string | null {
    return this.drop ? this.drop.user : null;
  }

  /** The session's numbered view of the maildrop (null before login). */
  get maildrop(): Maildrop | null {
    return this.drop;
  }

  inspect(): SessionView {
    const drop = this.closed ? null : this.maildrop;
    const uids: number[] = [];
    const marked: number[] = [];
    if (drop)
      for (let n = 1; n <= drop.count; n++) {
        uids.push(drop.uid(n));
        if (drop.isDeleted(n)) marked.push(drop.uid(n));
      }
    return { user: this.user, mailbox: drop ? 'INBOX' : null, uids, marked, idling: false };
  }

  start(): void {
    // RFC 1939 §4: the greeting is a positive response; the timestamp makes APOP possible.
    this.write(`+OK ${POP3_GREETING_TEXT} ${this.banner}\r\n`);
  }

  receive(bytes: ByteString): void {
    if (this.closed) return;
    this.reader.push(bytes);
    for (let item = this.reader.next(); item && !this.closed; item = this.reader.next()) {
      if (item.type === 'line') this.handleLine(item.line);
      else if (item.type === 'overlong')
        this.hangUp(formatPop3Reply(overlongReply({ state: this.lastState as Pop3State })));
    }
  }

  dropped(): void {
    if (this.closed) return;
    this.send({ type: 'connection.drop' });
  }

  private get closed(): boolean {
    return this.lastState === 'closed' || this.failure !== null;
  }

  private handleLine(line: ByteString): void {
    if (this.host.tracesWire !== false)
      this.host.emit({ type: 'command', connection: this.host.id, protocol: 'pop3', line });
    const before = this.lastState;
    if (before === 'AUTHORIZATION' && exceedsLoginLineLimit(line)) {
      this.hangUp(formatPop3Reply(overlongReply({ state: this.lastState as Pop3State })));
      return;
    }
    const ctx = this.context();
    const saslLine = ctx.sasl !== null;
    let reply: Pop3Reply;
    try {
      reply = executePop3Line(ctx, line);
    } catch {
      // A bug must not take the session down: RFC 3206 §4 [SYS/TEMP] says "try again later".
      reply = err('Internal error; nothing was done.', 'SYS/TEMP');
    }
    this.answer(reply);
    if (this.closed || (before !== 'AUTHORIZATION' && before !== 'TRANSACTION')) return;
    const verdict = before === 'AUTHORIZATION' ? loginVerdict(line, saslLine) : reply.ok ? 'good' : 'bad';
    if (verdict === 'good') this.badCommands = 0;
    else if (verdict === 'bad') {
      this.badCommands++;
      const limit = before === 'AUTHORIZATION' ? this.limits.authorization : this.limits.transaction;
      if (limit > 0 && this.badCommands >= limit) this.hangUp(POP3_TOO_MANY_BAD_COMMANDS[before]);
    }
  }

  /**
   * The server gives up on this client (Dovecot's behaviour, measured): one last line, then the
   * connection closes as if it had been dropped. Nothing is committed (no UPDATE: RFC 1939 §6
   * only enters it on QUIT) and the maildrop lock is released.
   */
  private hangUp(lastLine: ByteString): void {
    this.write(lastLine);
    this.send({ type: 'connection.drop' });
    this.host.end('bad-input');
  }

  private answer(reply: Pop3Reply): void {
    const host = this.host;
    if (reply.notices) {
      const user = this.user ?? '';
      for (const n of reply.notices) {
        if (n.type === 'marked')
          host.emit({ type: 'pop3.marked', connection: host.id, user, uid: n.uid, deleted: n.deleted });
        else host.emit({ type: 'pop3.retrieved', connection: host.id, user, uid: n.uid });
      }
    }
    // The state change comes first: for QUIT in TRANSACTION the UPDATE state removes the
    // messages before the +OK goes out (RFC 1939 §6).
    if (reply.event) this.send(reply.event);
    if (this.failure !== null) {
      this.write(formatPop3Reply(err('Some deleted messages were not removed.', 'SYS/TEMP')));
      this.host.end('quit');
      return;
    }
    this.write(formatPop3Reply(reply));
    if (this.lastState === 'closed') host.end('quit');
  }

  private write(bytes: ByteString): void {
    this.host.write(bytes);
  }

  /** What handlers see: made once per session, its fields refreshed per line. */
  private handlerContext: HandlerContext | null = null;

  private context(): Pop3Context {
    const ctx = (this.handlerContext ??= new HandlerContext(this.host, this.banner));
    ctx.state = this.lastState as Pop3State;
    ctx.user = this.userName;
    ctx.maildrop = this.drop;
    ctx.sasl = this.sasl;
    ctx.saslUser = this.saslUser;
    return ctx;
  }
}

/**
 * A session's Pop3Context: a class, so a session makes one object and no closures (a year of
 * simulated mail opens twenty thousand POP3 sessions).
 */
class HandlerContext implements Pop3Context {
  state: Pop3State = 'AUTHORIZATION';
  user: string | null = null;
  maildrop: Maildrop | null = null;
  sasl: Pop3SaslMechanism | null = null;
  saslUser: string | null = null;

  constructor(
    private readonly host: SessionHost,
    readonly banner: string,
  ) {}

  checkPassword(user: string, password: string): boolean {
    return this.host.store.checkPassword(user, password);
  }

  secretOf(user: string): string | undefined {
    return this.host.store.getPassword(user);
  }

  openMaildrop(user: string): Maildrop | null {
    const host = this.host;
    if (!host.locks.acquire(user, host.id)) {
      host.emit({ type: 'lock.refused', connection: host.id, user });
      return null;
    }
    host.emit({ type: 'lock.taken', connection: host.id, user });
    const inbox = host.store.getMailbox(user, 'INBOX');
    return new Maildrop(user, inbox?.uidValidity ?? 0, inbox?.messages ?? []);
  }
}

/**
 * How Dovecot's pop3-login judges a line before login: an unknown keyword is bad, a keyword it
 * knows starts the count again even when it fails, and AUTH with its SASL lines is neutral.
 */
function loginVerdict(line: ByteString, saslLine: boolean): 'good' | 'bad' | 'neutral' {
  if (saslLine) return 'neutral';
  const nul = line.indexOf('\0');
  const text = nul >= 0 ? line.slice(0, nul) : line;
  const space = text.indexOf(' ');
  const keyword = (space < 0 ? text : text.slice(0, space)).toUpperCase();
  if (keyword === 'AUTH') return 'neutral';
  return POP3_LOGIN_KEYWORDS.has(keyword) ? 'good' : 'bad';
}

/** A POP3 session factory with options (bad-command limits); Dovecot's behaviour by default. */
export function createPop3SessionFactory(options: Pop3SessionOptions = {}): SessionFactory {
  return (host) => new Pop3Session(host, options);
}

export const createPop3Session: SessionFactory = createPop3SessionFactory();
