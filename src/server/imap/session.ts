import { normalizeMailboxName } from '../../mail/store';
import type { ByteString, StoreEvent } from '../../mail/types';
import { PRE_AUTH_CAPABILITIES } from '../../protocol/imap/capabilities';
import { formatTagged, formatUntaggedAll } from '../../protocol/imap/formatter';
import { ImapFramer, type FrameEvent } from '../../protocol/imap/framing';
import type { MailboxView } from '../../protocol/imap/mailbox-view';
import { refuseMailboxName } from '../../protocol/imap/mailbox-names';
import { Args, ImapParseError, parseCommand, readTag, type Token } from '../../protocol/imap/parser';
import { IMAP_COMMANDS, type RegistryEntry } from '../../protocol/imap/registry';
import type { CommandResult, ImapContext, ImapState } from '../../protocol/imap/types';
import { ChartRunner } from '../chart';
import type { ProtocolSession, SessionFactory, SessionHost, SessionView } from '../types';
import { imapSessionMachine, isIdleValue, topState, type ImapMachineEvent } from './machine';

/** Longest command line we read (octets outside literals), like Dovecot's imap_max_line_length. */
export const MAX_LINE_LENGTH = 65536;
/** Largest literal in any command but APPEND (a mailbox name, a search string...). */
export const MAX_LITERAL_SIZE = 65536;
/** Largest message APPEND accepts; larger ones get NO [TOOBIG] before any octet is sent. */
export const MAX_APPEND_SIZE = 20 * 1024 * 1024;

export const IMAP_GREETING_TEXT = 'POP vs IMAP Lab IMAP server ready.';

/** Dovecot's words when a selected mailbox vanished under a session; it then disconnects. */
const INCONSISTENT_BYE = '* BYE IMAP session state is inconsistent, please relogin.\r\n';

/**
 * Before login Dovecot's imap-login holds about 1 KiB of unparsed input: a longer tag, argument
 * run or literal makes it hang up with this (measured: 1025 octets after "tag command " pass).
 */
export const LOGIN_INPUT_LIMIT = 1025;
const INPUT_BUFFER_FULL_BYE = '* BYE Input buffer full, aborting (command line too long before login)\r\n';

/** True when a command before login would overflow imap-login's input buffer. */
function overflowsLoginBuffer(text: ByteString): boolean {
  const head = /^(\S*)(?: [A-Za-z]+(?: |$))?/.exec(text)!;
  if (head[1].length > LOGIN_INPUT_LIMIT) return true;
  // Physical lines and literal contents, each on its own.
  let at = head[0].length;
  const re = /\{(\d+)\+?\}\r\n/g;
  re.lastIndex = at;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index - at > LOGIN_INPUT_LIMIT || Number(m[1]) > LOGIN_INPUT_LIMIT) return true;
    at = m.index + m[0].length + Number(m[1]);
    re.lastIndex = at;
  }
  return text.length - at > LOGIN_INPUT_LIMIT;
}

/** Dovecot's words (imap-login and imap alike) when it hangs up on a client that keeps sending bad commands. */
export const TOO_MANY_BAD_COMMANDS_BYE = '* BYE Too many invalid IMAP commands.\r\n';

/**
 * When the server hangs up on bad commands, as Dovecot 2.3 does (measured against
 * dovecot-imapd on loopback). 0 turns a limit off.
 *
 * - `notAuthenticated` (Dovecot's imap-login, CLIENT_MAX_BAD_COMMANDS = 3): the bad command
 *   that brings the count to the limit gets `* BYE Too many invalid IMAP commands.` instead of
 *   its BAD, and the connection closes. Counted: an unknown command (which includes every
 *   command that needs a login), wrong arguments, an invalid tag, an empty line. Not counted:
 *   syntax the tokenizer rejects (a missing quote or parenthesis), a failed or cancelled
 *   LOGIN/AUTHENTICATE. Nothing resets the count before login.
 * - `authenticated` (Dovecot's imap process, 20): every BAD counts, syntax errors included,
 *   except "No mailbox selected"; the BAD that brings the count to the limit is sent, then the
 *   BYE. Any other reply (OK, NO, or that BAD) starts the count again.
 */
export interface ImapBadCommandLimits {
  notAuthenticated: number;
  authenticated: number;
}

export const DOVECOT_IMAP_BAD_COMMAND_LIMITS: Readonly<ImapBadCommandLimits> = {
  notAuthenticated: 3,
  authenticated: 20,
};

/**
 * Dovecot waits this long after a change before an IDLE session looks at the mailbox (its
 * mailbox watch delay, measured: 0.50 s), so changes made together reach the client as one
 * batch: a message flagged and expunged within it gets only its EXPUNGE.
 */
export const DOVECOT_IDLE_NOTIFY_DELAY_MS = 500;

export interface ImapSessionOptions {
  badCommandLimits?: Partial<ImapBadCommandLimits>;
  /**
   * How long an IDLE session waits after a change before it reports what changed, in
   * (real) milliseconds. 0, the default, reports each change at once, which the lab and its
   * virtual clock rely on; the TCP server uses DOVECOT_IDLE_NOTIFY_DELAY_MS.
   */
  idleNotifyDelayMs?: number;
}

/**
 * How a reply counts toward the bad-command limit: `bad` always counts; `syntax` (the tokenizer
 * refused the line) and `failed` (a BAD from a handler, e.g. a cancelled AUTHENTICATE) count
 * only after login; `neutral` (No mailbox selected) never counts; `good` resets after login.
 */
type Verdict = 'good' | 'bad' | 'syntax' | 'failed' | 'neutral';

interface Pending {
  tag: string;
  entry: RegistryEntry;
  resume: (line: string) => CommandResult;
}

/**
 * One IMAP connection: framing, the gate, the command handlers and the state machine.
 * Every reply goes through `complete`, which adds what other sessions changed (the view's
 * queued updates) before the tagged line.
 */
export class ImapSession implements ProtocolSession {
  /** This session's run of the IMAP state chart (machine.ts; it names no actions). */
  readonly chart: ChartRunner<typeof imapSessionMachine>;
  private readonly framer: ImapFramer;
  private readonly ctx: ImapContext & { tag: string };
  private continuation: Pending | null = null;
  private idleTag: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private ended = false;
  /** The reply for a literal the framer was told to refuse. */
  private literalRefusal: ByteString | null = null;
  private readonly limits: ImapBadCommandLimits;
  /** Bad commands so far, counted the way Dovecot counts them (see ImapBadCommandLimits). */
  private badCommands = 0;
  private readonly idleNotifyDelayMs: number;
  /** Pending IDLE report (see ImapSessionOptions.idleNotifyDelayMs). */
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: SessionHost,
    options: ImapSessionOptions = {},
  ) {
    this.limits = { ...DOVECOT_IMAP_BAD_COMMAND_LIMITS, ...options.badCommandLimits };
    this.idleNotifyDelayMs = options.idleNotifyDelayMs ?? 0;
    this.chart = new ChartRunner(imapSessionMachine, () => {});
    this.framer = new ImapFramer({
      maxLineLength: MAX_LINE_LENGTH,
      acceptLiteral: (prefix, size) => {
        this.literalRefusal = this.checkLiteral(prefix, size);
        return this.literalRefusal === null;
      },
    });
    this.ctx = new SessionContext(host, this.chart);
  }

  get state(): string {
    return this.ended ? 'Logout' : stateOf(this.chart.snapshot);
  }

  /** True while the client is in IDLE (updates are pushed at once). */
  get idling(): boolean {
    return !this.ended && idleOf(this.chart.snapshot);
  }

  get user(): string | null {
    return this.ctx.user;
  }

  /** The selected mailbox's view (sequence numbers as this session knows them), or null. */
  get selected(): MailboxView | null {
    return this.ctx.selected;
  }

  inspect(): SessionView {
    const view = this.ended ? null : this.ctx.selected;
    return {
      user: this.ctx.user,
      mailbox: view?.name ?? null,
      uids: view ? [...view.uids] : [],
      marked: [],
      idling: this.idling,
    };
  }

  start(): void {
    this.unsubscribe = this.host.store.subscribe((e) => this.onStoreEvent(e));
    this.write(`* OK [CAPABILITY ${PRE_AUTH_CAPABILITIES.join(' ')}] ${IMAP_GREETING_TEXT}\r\n`);
  }

  receive(bytes: ByteString): void {
    if (this.ended) return;
    this.framer.push(bytes);
    for (;;) {
      if (this.ended) return;
      const ev = this.framer.next();
      if (!ev) return;
      this.onFrame(ev);
    }
  }

  dropped(): void {
    this.finish(null);
  }

  // ---------------------------------------------------------------------------------------------

  private write(bytes: ByteString): void {
    if (!this.ended) this.host.write(bytes);
  }

  private send(event: ImapMachineEvent): void {
    const from = this.state;
    this.chart.send(event);
    const to = this.state;
    if (from !== to)
      this.host.emit({ type: 'session.state', connection: this.host.id, protocol: 'imap', from, to });
  }

  /**
   * Writes a command's final reply, counting it toward the bad-command limit. Before login
   * the limit's BYE replaces the reply; after login it follows it.
   */
  private reply(bytes: ByteString, verdict: Verdict): void {
    const before = this.ctx.state === 'Not Authenticated';
    const counts = verdict === 'bad' || (!before && (verdict === 'syntax' || verdict === 'failed'));
    if (!counts) {
      if (!before) this.badCommands = 0;
      this.write(bytes);
      return;
    }
    this.badCommands++;
    const limit = before ? this.limits.notAuthenticated : this.limits.authenticated;
    if (limit <= 0 || this.badCommands < limit) {
      this.write(bytes);
      return;
    }
    this.write(before ? TOO_MANY_BAD_COMMANDS_BYE : bytes + TOO_MANY_BAD_COMMANDS_BYE);
    this.finish('bad-input');
  }

  private finish(reason: 'logout' | 'dropped' | 'bad-input' | null): void {
    if (this.ended) return;
    this.cancelIdleReport();
    this.send({ type: 'session.end' });
    this.ended = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.ctx.selected = null;
    if (reason) this.host.end(reason);
  }

  /** Store changes: queued in the view; written at once while IDLE (RFC 2177). */
  private onStoreEvent(e: StoreEvent): void {
    const view = this.ctx.selected;
    if (this.ended || !view) return;
    if (!view.onStoreEvent(e, this.host.id)) return;
    if (!this.idling) return;
    if (this.idleNotifyDelayMs > 0) {
      this.idleTimer ??= setTimeout(() => {
        this.idleTimer = null;
        if (this.idling) this.reportWhileIdle();
      }, this.idleNotifyDelayMs);
      return;
    }
    this.reportWhileIdle();
  }

  private cancelIdleReport(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Writes what changed while the client is in IDLE (RFC 2177). */
  private reportWhileIdle(): void {
    const view = this.ctx.selected;
    if (!view) return;
    if (view.gone) {
      this.write(INCONSISTENT_BYE);
      this.finish('dropped');
      return;
    }
    const out = view.flush(true);
    if (out.length) this.write(formatUntaggedAll(out));
  }

  private onFrame(ev: FrameEvent): void {
    switch (ev.type) {
      case 'continue':
        // RFC 9051 §7.5: the command continuation request for a synchronizing literal.
        this.write('+ OK\r\n');
        return;
      case 'too-long': {
        if (this.ctx.state === 'Not Authenticated') {
          this.write(INPUT_BUFFER_FULL_BYE);
          this.finish('bad-input');
          return;
        }
        const tag = readTag(ev.head)?.tag;
        this.reply(
          tag ? formatTagged(tag, 'BAD', 'Command line too long') : '* BAD Command line too long\r\n',
          'bad',
        );
        return;
      }
      case 'literal-refused':
        if (this.host.tracesWire !== false)
          this.host.emit({
            type: 'command',
            connection: this.host.id,
            protocol: 'imap',
            line: commandLine(ev.text),
          });
        {
          const refusal = this.literalRefusal ?? '* BAD Literal refused\r\n';
          this.literalRefusal = null;
          if (ev.fatal) {
            // The client is sending the octets anyway and there are too many to skip: answer the
            // command, then hang up (RFC 7888 §4; Dovecot: "* BYE Literal size too large").
            this.write(refusal + '* BYE Literal size too large\r\n');
            this.finish('bad-input');
            return;
          }
          this.reply(refusal, /^\S+ BAD /.test(refusal) ? 'bad' : 'good');
        }
        return;
      case 'line':
        if (this.host.tracesWire !== false)
          this.host.emit({
            type: 'command',
            connection: this.host.id,
            protocol: 'imap',
            line: commandLine(ev.text),
          });
        if (this.continuation) this.onContinuationLine(ev.text);
        else if (this.idleTag !== null) this.onIdleLine(ev.text);
        else this.onCommand(ev.text);
        return;
      case 'command':
        this.onCommand(ev.text);
        return;
    }
  }

  /**
   * Decides, before the client sends a literal's octets, whether the command can still
   * succeed (as Dovecot does: it answers APPEND to a missing mailbox without asking for the
   * message). Returns the reply that refuses it, or null to accept.
   */
  private checkLiteral(prefix: ByteString, size: number): ByteString | null {
    const t = readTag(prefix);
    if (!t) return '* BAD Error in IMAP command received by server: invalid tag.\r\n';
    const tag = t.tag;
    const m = /^\S+ (UID )?([A-Za-z]+)/.exec(prefix);
    const name = m ? (m[1] ? 'UID ' : '') + m[2].toUpperCase() : '';
    const entry = IMAP_COMMANDS.get(name);
    if (!entry) return formatTagged(tag, 'BAD', `Error in IMAP command ${name}: Unknown command.`);
    if (!entry.command.states.includes(this.ctx.state))
      return formatTagged(tag, 'BAD', `${entry.doc.name} is not allowed in the ${this.ctx.state} state`);
    if (name === 'APPEND') {
      // Like Dovecot, check everything before the message before asking for it: a bad flag or
      // date is BAD, a missing mailbox NO [TRYCREATE], an empty message NO (measured).
      const head = prefix.replace(/ ?~?\{\d+\+?\}$/, '');
      let first: Token | undefined;
      try {
        first = parseCommand(head).args[0];
      } catch {
        /* the full parse will report it */
      }
      // Only when the literal is the message (not a mailbox name sent as a literal).
      if (first && first.t !== 'literal') {
        try {
          const fake = parseCommand(prefix.replace(/~?\{\d+\+?\}$/, '{0}') + '\r\n');
          entry.command.parse(new Args(fake.args, fake.args.length), this.ctx, false);
        } catch (e) {
          if (!(e instanceof ImapParseError)) throw e;
          return formatTagged(tag, 'BAD', `Error in IMAP command APPEND: ${e.message}`);
        }
        const mailbox = normalizeMailboxName(first.t === 'list' ? '' : first.v);
        const refused = refuseMailboxName(this.ctx, mailbox);
        if (refused) return formatTagged(tag, 'NO', refused.text, refused.code);
        if (!this.host.store.getMailbox(this.ctx.user!, mailbox))
          return formatTagged(tag, 'NO', `Mailbox doesn't exist: ${mailbox}`, 'TRYCREATE');
      }
      if (size === 0) return formatTagged(tag, 'NO', "Can't save a zero byte message");
      if (size > MAX_APPEND_SIZE)
        return formatTagged(tag, 'NO', `Message too large (limit ${MAX_APPEND_SIZE} octets)`, 'TOOBIG');
      return null;
    }
    if (size > MAX_LITERAL_SIZE)
      return formatTagged(tag, 'BAD', `Literal too large (limit ${MAX_LITERAL_SIZE} octets)`);
    return null;
  }

  private onContinuationLine(line: string): void {
    const p = this.continuation!;
    this.continuation = null;
    this.framer.mode = 'command';
    this.complete(
      p.tag,
      p.entry,
      guard(p.entry.doc.name, () => p.resume(line)),
    );
  }

  private onIdleLine(line: string): void {
    const tag = this.idleTag!;
    this.idleTag = null;
    // DONE does not look at the mailbox again: a change still inside Dovecot's notify delay is
    // reported after the next command instead (measured).
    this.cancelIdleReport();
    this.framer.mode = 'command';
    this.send({ type: 'idle.done' });
    if (line.toUpperCase() !== 'DONE') {
      this.reply(formatTagged(tag, 'BAD', 'Expected DONE.'), 'failed');
      return;
    }
    this.badCommands = 0;
    this.write(formatTagged(tag, 'OK', 'Idle completed.'));
  }

  private onCommand(text: ByteString): void {
    if (this.host.tracesWire !== false)
      this.host.emit({
        type: 'command',
        connection: this.host.id,
        protocol: 'imap',
        line: commandLine(text),
      });
    if (text === '') {
      this.reply('* BAD Empty command line.\r\n', 'bad');
      return;
    }
    if (this.ctx.state === 'Not Authenticated' && overflowsLoginBuffer(text)) {
      this.write(INPUT_BUFFER_FULL_BYE);
      this.finish('bad-input');
      return;
    }
    if (this.ctx.selected?.gone) {
      this.write(INCONSISTENT_BYE);
      this.finish('dropped');
      return;
    }
    const t = readTag(text);
    if (!t) {
      this.reply('* BAD Error in IMAP command received by server: invalid tag.\r\n', 'bad');
      return;
    }
    const tag = t.tag;
    let name = '';
    // Before login Dovecot forgives what its tokenizer rejects, not a wrong argument list.
    let verdict: Verdict = 'syntax';
    try {
      const parsed = parseCommand(text, t);
      name = parsed.name;
      verdict = 'bad';
      const entry = IMAP_COMMANDS.get(parsed.name);
      if (!entry) {
        this.reply(formatTagged(tag, 'BAD', `Error in IMAP command ${parsed.name}: Unknown command.`), 'bad');
        return;
      }
      const state = this.ctx.state;
      if (!entry.command.states.includes(state)) {
        const noMailbox = state === 'Authenticated' && entry.command.states.includes('Selected');
        const why = noMailbox
          ? 'No mailbox selected'
          : `${entry.doc.name} is not allowed in the ${state} state`;
        this.reply(formatTagged(tag, 'BAD', why), noMailbox ? 'neutral' : 'bad');
        return;
      }
      this.ctx.tag = tag;
      const args = new Args(parsed.args, text.length);
      const p = entry.command.parse(args, this.ctx, entry.uid);
      const result = handleGuarded(entry, this.ctx, p);
      this.complete(tag, entry, result);
    } catch (e) {
      if (!(e instanceof ImapParseError)) throw e;
      const where = name ? `Error in IMAP command ${name}: ` : 'Error in IMAP command: ';
      this.reply(
        formatTagged(tag, 'BAD', `${where}${e.message}${e.pos > 0 ? ` (at octet ${e.pos})` : ''}`),
        verdict,
      );
    }
  }

  /** Writes a command's outcome: its untagged data, the queued updates, then the tagged line. */
  private complete(tag: string, entry: RegistryEntry, result: CommandResult): void {
    if (result.continuation) {
      this.continuation = { tag, entry, resume: result.continuation.resume };
      this.framer.mode = 'line';
      this.write(`+ ${result.continuation.prompt}\r\n`);
      return;
    }
    if (result.effect === 'idle' && result.status === 'OK') {
      this.idleTag = tag;
      this.framer.mode = 'line';
      this.send({ type: 'idle.start' });
      const view = this.ctx.selected;
      const updates = view ? formatUntaggedAll(view.flush(true)) : '';
      this.write('+ idling\r\n' + updates);
      return;
    }
    let out = result.untagged ? formatUntaggedAll(result.untagged) : '';
    switch (result.effect) {
      case 'login':
        this.send({ type: 'auth.ok' });
        break;
      case 'select':
        this.send({ type: 'mailbox.select' });
        break;
      case 'deselect':
        this.send({ type: 'mailbox.deselect' });
        break;
    }
    const view = this.ctx.selected;
    if (
      result.effect !== 'logout' &&
      view &&
      result.status !== 'BAD' &&
      entry.command.reportsChanges !== false
    ) {
      const allowExpunge = entry.command.allowExpunge?.(entry.uid) ?? true;
      out += formatUntaggedAll(view.flush(allowExpunge));
    }
    if (result.effect === 'logout') {
      this.write(out + formatTagged(tag, result.status, result.text, result.code));
      this.finish('logout');
      return;
    }
    if (result.effect === 'disconnect') {
      this.write(
        out + formatTagged(tag, result.status, result.text, result.code) + `* BYE ${result.bye ?? ''}\r\n`,
      );
      this.finish('dropped');
      return;
    }
    this.reply(
      out + formatTagged(tag, result.status, result.text, result.code),
      result.status === 'BAD' ? 'failed' : 'good',
    );
  }
}

/**
 * The RFC's state name and the IDLE flag of each chart snapshot, worked out once per snapshot:
 * ChartRunner hands out the same few snapshot objects to every session, and the gate asks for
 * the state several times per command.
 */
const stateNames = new WeakMap<object, { state: ImapState; idle: boolean }>();
function describeSnapshot(snapshot: { value: unknown }): { state: ImapState; idle: boolean } {
  let d = stateNames.get(snapshot);
  if (!d)
    stateNames.set(snapshot, (d = { state: topState(snapshot.value), idle: isIdleValue(snapshot.value) }));
  return d;
}
const stateOf = (snapshot: { value: unknown }): ImapState => describeSnapshot(snapshot).state;
const idleOf = (snapshot: { value: unknown }): boolean => describeSnapshot(snapshot).idle;

/**
 * What handlers see of a session. A class: an object literal with a `state` getter made a slow
 * (dictionary) object of every context, and every handler reads it.
 */
class SessionContext implements ImapContext {
  readonly id: string;
  readonly store: ImapContext['store'];
  readonly now: () => number;
  user: string | null = null;
  selected: MailboxView | null = null;
  readonly enabled = new Set<string>();
  tag = '';
  askedCapability = false;

  constructor(
    host: SessionHost,
    private readonly chart: ChartRunner<typeof imapSessionMachine>,
  ) {
    this.id = host.id;
    this.store = host.store;
    this.now = host.now;
  }

  get state(): ImapState {
    return stateOf(this.chart.snapshot);
  }
}

/** A command's handler run under `guard` (a function, not a closure per command). */
function handleGuarded(entry: RegistryEntry, ctx: ImapContext, parsed: unknown): CommandResult {
  try {
    return entry.command.handle(ctx, parsed, entry.uid);
  } catch (e) {
    return guardFailure(entry.doc.name, e);
  }
}

/** Parse errors raised inside a handler (e.g. a sequence number out of range) become BAD there. */
function guard(name: string, run: () => CommandResult): CommandResult {
  try {
    return run();
  } catch (e) {
    return guardFailure(name, e);
  }
}

function guardFailure(name: string, e: unknown): CommandResult {
  if (e instanceof ImapParseError)
    return { status: 'BAD', text: `Error in IMAP command ${name}: ${e.message}` };
  // A bug must not take the connection (and the page) down: answer NO and log it.
  console.error('IMAP handler failed', e);
  return {
    status: 'NO',
    code: 'SERVERBUG',
    text: 'Internal error occurred. Refer to server log for more information.',
  };
}

/** The command as shown in event logs: literal contents elided after 200 octets. */
function commandLine(text: ByteString): string {
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

/** A session factory with the given options (bad-command limits); Dovecot's values by default. */
export function createImapSessionFactory(options: ImapSessionOptions = {}): SessionFactory {
  return (host) => new ImapSession(host, options);
}

export const createImapSession: SessionFactory = createImapSessionFactory();
