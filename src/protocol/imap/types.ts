/**
 * Contracts between the IMAP session (src/server/imap) and the command modules
 * (src/protocol/imap/commands). Handlers get the session context explicitly and return
 * data; one compiler in the session writes the bytes.
 */
import type { MailStore } from '../../mail/store';
import type { CommandDoc } from '../types';
import { untaggedStatus, type Untagged } from './formatter';
import { trackModseqs, type MailboxView } from './mailbox-view';
import type { Args } from './parser';

/** RFC 9051 §3 session states, in the RFC's own words. IDLE is a sub-state of the two middle ones. */
export type ImapState = 'Not Authenticated' | 'Authenticated' | 'Selected' | 'Logout';

export interface ImapContext {
  /** Session id; store changes made by this session carry it as their origin. */
  readonly id: string;
  readonly store: MailStore;
  readonly now: () => number;
  readonly state: ImapState;
  /** The logged-in user, once authenticated. */
  user: string | null;
  selected: MailboxView | null;
  /** Extensions turned on with ENABLE (RFC 5161), upper case, e.g. "IMAP4REV2". */
  readonly enabled: Set<string>;
  /** Tag of the command being handled (ESEARCH repeats it). */
  readonly tag: string;
  /**
   * The client asked CAPABILITY before logging in. Dovecot then answers LOGIN with an untagged
   * CAPABILITY instead of the response code (such clients may ignore codes).
   */
  askedCapability: boolean;
}

/** What the session machine should do after a command (see src/server/imap/machine.ts). */
export type SessionEffect = 'login' | 'select' | 'deselect' | 'logout' | 'idle' | 'disconnect';

export interface CommandResult {
  status: 'OK' | 'NO' | 'BAD';
  /** Response code without brackets, e.g. "READ-WRITE" or "APPENDUID 12 5". */
  code?: string;
  text: string;
  untagged?: Untagged[];
  effect?: SessionEffect;
  /** With effect 'disconnect': the text of the `* BYE` written after the tagged reply. */
  bye?: string;
  /**
   * The command needs another line from the client before it completes (AUTHENTICATE):
   * the session sends `+ prompt` and hands the next line to `resume`.
   */
  continuation?: { prompt: string; resume: (line: string) => CommandResult };
}

export interface ImapCommand<P = unknown> {
  /** Documentation of the plain form (and of the UID form, for commands that have one). */
  doc: CommandDoc;
  uidDoc?: CommandDoc;
  /** States in which the command is legal; the gate answers others before parsing. */
  states: readonly ImapState[];
  /** Reads and checks the arguments; throws ImapParseError (answered with BAD). */
  parse(args: Args, ctx: ImapContext, uid: boolean): P;
  handle(ctx: ImapContext, parsed: P, uid: boolean): CommandResult;
  /**
   * May EXPUNGE responses queued from other sessions be sent right after this command?
   * Not after FETCH, STORE, SEARCH, COPY or MOVE by sequence number (RFC 9051 §7.5.1).
   */
  allowExpunge?: (uid: boolean) => boolean;
  /**
   * Does the session report what other sessions changed in the selected mailbox after this
   * command (true when absent)? Dovecot does after the commands that sync the mailbox (NOOP,
   * CHECK, FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE, APPEND, IDLE...), not after those that
   * only look at the mailbox list or the session (STATUS, LIST, LSUB, CREATE, DELETE, RENAME,
   * SUBSCRIBE, UNSUBSCRIBE, NAMESPACE, ID, ENABLE, CAPABILITY): the changes wait (measured).
   */
  reportsChanges?: boolean;
}

export const ok = (text: string, untagged: Untagged[] = [], code?: string): CommandResult => ({
  status: 'OK',
  text,
  untagged,
  code,
});
export const no = (text: string, code?: string, untagged: Untagged[] = []): CommandResult => ({
  status: 'NO',
  text,
  code,
  untagged,
});
export const bad = (text: string, code?: string): CommandResult => ({ status: 'BAD', text, code });

/** CONDSTORE (RFC 7162) is on for this session. */
export function isCondstore(ctx: ImapContext): boolean {
  return ctx.enabled.has('CONDSTORE');
}

/**
 * A CONDSTORE-enabling command (RFC 7162 §3.1: ENABLE, SELECT (CONDSTORE), MODSEQ in FETCH or
 * SEARCH, CHANGEDSINCE, UNCHANGEDSINCE, STATUS or LIST-STATUS with HIGHESTMODSEQ) turns it on.
 * When a mailbox is already selected the client learns its HIGHESTMODSEQ then, as Dovecot sends
 * it (before the command's own data): as the session knows the mailbox, or, when no CONDSTORE
 * session had opened the mailbox before, as it is now (Dovecot starts tracking it then).
 */
export function enableCondstore(ctx: ImapContext): Untagged[] {
  if (isCondstore(ctx)) return [];
  ctx.enabled.add('CONDSTORE');
  const view = ctx.selected;
  if (!view) return [];
  view.condstore = true;
  const highest = trackModseqs(ctx.store, ctx.user!, view.name)
    ? view.knownHighestModseq()
    : (ctx.store.getMailbox(ctx.user!, view.name)?.highestModSeq ?? view.knownHighestModseq());
  return [untaggedStatus('OK', 'Highest', `HIGHESTMODSEQ ${highest}`)];
}

/** A CONDSTORE session opens this mailbox (STATUS, COPY or APPEND to it): Dovecot tracks its MODSEQs from now on. */
export function noteCondstoreUse(ctx: ImapContext, mailbox: string): void {
  if (isCondstore(ctx)) trackModseqs(ctx.store, ctx.user!, mailbox);
}

/** The session's flavour of IMAP: rev2 once the client sent ENABLE IMAP4rev2. */
export function isRev2(ctx: ImapContext): boolean {
  return ctx.enabled.has('IMAP4REV2');
}
