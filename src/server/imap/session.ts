import { createActor, type Actor } from 'xstate';
import { normalizeMailboxName } from '../../mail/store';
import type { ByteString, StoreEvent } from '../../mail/types';
import { PRE_AUTH_CAPABILITIES } from '../../protocol/imap/capabilities';
import { formatTagged, formatUntagged } from '../../protocol/imap/formatter';
import { ImapFramer, type FrameEvent } from '../../protocol/imap/framing';
import type { MailboxView } from '../../protocol/imap/mailbox-view';
import { Args, ImapParseError, parseCommand, readTag } from '../../protocol/imap/parser';
import { IMAP_COMMANDS, type RegistryEntry } from '../../protocol/imap/registry';
import type { CommandResult, ImapContext, ImapState } from '../../protocol/imap/types';
import type { ProtocolSession, SessionFactory, SessionHost } from '../types';
import { imapSessionMachine, isIdleValue, topState } from './machine';

/** Longest command line we read (octets outside literals), like Dovecot's imap_max_line_length. */
export const MAX_LINE_LENGTH = 65536;
/** Largest literal in any command but APPEND (a mailbox name, a search string...). */
export const MAX_LITERAL_SIZE = 65536;
/** Largest message APPEND accepts; larger ones get NO [TOOBIG] before any octet is sent. */
export const MAX_APPEND_SIZE = 20 * 1024 * 1024;

export const IMAP_GREETING_TEXT = 'POP vs IMAP Lab IMAP server ready.';

/** Dovecot's words when a selected mailbox vanished under a session; it then disconnects. */
const INCONSISTENT_BYE = '* BYE IMAP session state is inconsistent, please relogin.\r\n';

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
  readonly actor: Actor<typeof imapSessionMachine>;
  private readonly framer: ImapFramer;
  private readonly ctx: ImapContext & { tag: string };
  private continuation: Pending | null = null;
  private idleTag: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private ended = false;
  /** The reply for a literal the framer was told to refuse. */
  private literalRefusal: ByteString | null = null;

  constructor(private readonly host: SessionHost) {
    this.actor = createActor(imapSessionMachine).start();
    this.framer = new ImapFramer({
      maxLineLength: MAX_LINE_LENGTH,
      acceptLiteral: (prefix, size) => {
        this.literalRefusal = this.checkLiteral(prefix, size);
        return this.literalRefusal === null;
      },
    });
    const actor = this.actor;
    this.ctx = {
      id: host.id,
      store: host.store,
      now: host.now,
      get state(): ImapState {
        return topState(actor.getSnapshot().value);
      },
      user: null,
      selected: null,
      enabled: new Set(),
      tag: '',
      askedCapability: false,
    };
  }

  get state(): string {
    return this.ended ? 'Logout' : topState(this.actor.getSnapshot().value);
  }

  /** True while the client is in IDLE (updates are pushed at once). */
  get idling(): boolean {
    return !this.ended && isIdleValue(this.actor.getSnapshot().value);
  }

  get user(): string | null {
    return this.ctx.user;
  }

  /** The selected mailbox's view (sequence numbers as this session knows them), or null. */
  get selected(): MailboxView | null {
    return this.ctx.selected;
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

  private send(event: Parameters<typeof this.actor.send>[0]): void {
    const from = this.state;
    this.actor.send(event);
    const to = this.state;
    if (from !== to)
      this.host.emit({ type: 'session.state', connection: this.host.id, protocol: 'imap', from, to });
  }

  private finish(reason: 'logout' | 'dropped' | null): void {
    if (this.ended) return;
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
    if (view.gone) {
      this.write(INCONSISTENT_BYE);
      this.finish('dropped');
      return;
    }
    const out = view.flush(true);
    if (out.length) this.write(out.map(formatUntagged).join(''));
  }

  private onFrame(ev: FrameEvent): void {
    switch (ev.type) {
      case 'continue':
        // RFC 9051 §7.5: the command continuation request for a synchronizing literal.
        this.write('+ OK\r\n');
        return;
      case 'too-long': {
        const tag = readTag(ev.head)?.tag;
        this.write(
          tag ? formatTagged(tag, 'BAD', 'Command line too long') : '* BAD Command line too long\r\n',
        );
        return;
      }
      case 'literal-refused':
        this.host.emit({
          type: 'command',
          connection: this.host.id,
          protocol: 'imap',
          line: commandLine(ev.text),
        });
        this.write(this.literalRefusal ?? '* BAD Literal refused\r\n');
        this.literalRefusal = null;
        return;
      case 'line':
        this.host.emit({ type: 'command', connection: this.host.id, protocol: 'imap', line: commandLine(ev.text) });
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
      if (size > MAX_APPEND_SIZE)
        return formatTagged(tag, 'NO', `Message too large (limit ${MAX_APPEND_SIZE} octets)`, 'TOOBIG');
      // The mailbox is the first argument; if it is complete and missing, say so now.
      try {
        const parsed = parseCommand(prefix.replace(/ ?~?\{\d+\+?\}$/, ''));
        const first = parsed.args[0];
        if (
          first &&
          first.t !== 'literal' &&
          parsed.args.length > 0 &&
          (parsed.args.length > 1 || /\s\S*$/.test(prefix))
        ) {
          const mailbox = normalizeMailboxName(first.t === 'list' ? '' : first.v);
          if (!this.host.store.getMailbox(this.ctx.user!, mailbox))
            return formatTagged(tag, 'NO', `Mailbox doesn't exist: ${mailbox}`, 'TRYCREATE');
        }
      } catch {
        /* the full parse will report it */
      }
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
    this.framer.mode = 'command';
    this.send({ type: 'idle.done' });
    const view = this.ctx.selected;
    const updates = view ? view.flush(true).map(formatUntagged).join('') : '';
    if (line.toUpperCase() !== 'DONE') {
      this.write(updates + formatTagged(tag, 'BAD', 'Expected DONE.'));
      return;
    }
    this.write(updates + formatTagged(tag, 'OK', 'Idle completed.'));
  }

  private onCommand(text: ByteString): void {
    this.host.emit({ type: 'command', connection: this.host.id, protocol: 'imap', line: commandLine(text) });
    if (text === '') {
      this.write('* BAD Empty command line.\r\n');
      return;
    }
    if (this.ctx.selected?.gone) {
      this.write(INCONSISTENT_BYE);
      this.finish('dropped');
      return;
    }
    const t = readTag(text);
    if (!t) {
      this.write('* BAD Error in IMAP command received by server: invalid tag.\r\n');
      return;
    }
    const tag = t.tag;
    let name = '';
    try {
      const parsed = parseCommand(text);
      name = parsed.name;
      const entry = IMAP_COMMANDS.get(parsed.name);
      if (!entry) {
        this.write(formatTagged(tag, 'BAD', `Error in IMAP command ${parsed.name}: Unknown command.`));
        return;
      }
      const state = this.ctx.state;
      if (!entry.command.states.includes(state)) {
        const why =
          state === 'Authenticated' && entry.command.states.includes('Selected')
            ? 'No mailbox selected'
            : `${entry.doc.name} is not allowed in the ${state} state`;
        this.write(formatTagged(tag, 'BAD', why));
        return;
      }
      this.ctx.tag = tag;
      const args = new Args(parsed.args, text.length);
      const p = entry.command.parse(args, this.ctx, entry.uid);
      const result = guard(entry.doc.name, () => entry.command.handle(this.ctx, p, entry.uid));
      this.complete(tag, entry, result);
    } catch (e) {
      if (!(e instanceof ImapParseError)) throw e;
      const where = name ? `Error in IMAP command ${name}: ` : 'Error in IMAP command: ';
      this.write(formatTagged(tag, 'BAD', `${where}${e.message}${e.pos > 0 ? ` (at octet ${e.pos})` : ''}`));
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
      const updates = view ? view.flush(true).map(formatUntagged).join('') : '';
      this.write('+ idling\r\n' + updates);
      return;
    }
    let out = (result.untagged ?? []).map(formatUntagged).join('');
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
    if (result.effect !== 'logout' && view && result.status !== 'BAD') {
      const allowExpunge = entry.command.allowExpunge?.(entry.uid) ?? true;
      out += view.flush(allowExpunge).map(formatUntagged).join('');
    }
    this.write(out + formatTagged(tag, result.status, result.text, result.code));
    if (result.effect === 'logout') this.finish('logout');
  }
}

/** Parse errors raised inside a handler (e.g. a sequence number out of range) become BAD there. */
function guard(name: string, run: () => CommandResult): CommandResult {
  try {
    return run();
  } catch (e) {
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
}

/** The command as shown in event logs: literal contents elided after 200 octets. */
function commandLine(text: ByteString): string {
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

export const createImapSession: SessionFactory = (host) => new ImapSession(host);
