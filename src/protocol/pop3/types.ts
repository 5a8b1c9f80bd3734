import type { ByteString } from '../../mail/types';
import type { CommandDoc } from '../types';
import type { Maildrop } from './maildrop';

/** The session states of RFC 1939 §3. */
export const POP3_STATES = ['AUTHORIZATION', 'TRANSACTION', 'UPDATE'] as const;
export type Pop3State = (typeof POP3_STATES)[number];

/**
 * Longest command line we take after login, in octets before CR LF. RFC 2449 §4 caps commands
 * at 255 octets but lets servers be lenient; Dovecot 2.3.19's pop3 process answers "-ERR Input
 * line too long." to a line of 2047 octets or more and hangs up (measured on loopback), and so
 * do we.
 */
export const POP3_MAX_LINE_LENGTH = 2046;

/**
 * Before login Dovecot's pop3-login reads the keyword (at most 8 octets, and the space after a
 * keyword of 8 or fewer) and then holds at most 1024 octets of what follows; a longer line gets
 * "-ERR Input buffer full, aborting" and the connection is closed (measured: "USER " + 1024
 * octets is taken, + 1025 is not; a bare word of 1032 octets is taken, 1033 is not).
 */
export const POP3_LOGIN_MAX_KEYWORD = 8;
export const POP3_LOGIN_MAX_ARGS_LENGTH = 1024;

/** True when `line` (no CR LF) is longer than Dovecot's pop3-login takes before login. */
export function exceedsLoginLineLimit(line: ByteString): boolean {
  const space = line.indexOf(' ');
  const consumed = space >= 0 && space <= POP3_LOGIN_MAX_KEYWORD ? space + 1 : POP3_LOGIN_MAX_KEYWORD;
  return line.length - consumed > POP3_LOGIN_MAX_ARGS_LENGTH;
}

/**
 * Consecutive bad commands after which the server answers one more "-ERR" and hangs up, as
 * Dovecot 2.3.19 does (measured). Before login (pop3-login) the 3rd unknown command in a row
 * closes the connection; any command pop3-login knows (USER, PASS, APOP, CAPA, STLS, QUIT),
 * even when it fails, starts the count again, and AUTH (with its SASL lines) leaves it as it
 * is. After login (the pop3 process) every -ERR counts, every +OK starts again, and the 21st
 * -ERR in a row closes the connection. 0 means "never".
 */
export interface Pop3BadCommandLimits {
  authorization: number;
  transaction: number;
}
export const DOVECOT_BAD_COMMAND_LIMITS: Readonly<Pop3BadCommandLimits> = {
  authorization: 3,
  transaction: 21,
};

/** The keywords Dovecot's pop3-login understands; any other line before login is "unknown". */
export const POP3_LOGIN_KEYWORDS: ReadonlySet<string> = new Set([
  'USER',
  'PASS',
  'APOP',
  'AUTH',
  'CAPA',
  'STLS',
  'QUIT',
]);

/** SASL mechanisms offered by AUTH (RFC 5034) and listed in CAPA as "SASL PLAIN LOGIN". */
export const POP3_SASL_MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type Pop3SaslMechanism = (typeof POP3_SASL_MECHANISMS)[number];

/**
 * What the session machine is told after a command: the semantic events of the state chart.
 * Handlers return them as data; the session sends them to the machine.
 */
export type Pop3SemanticEvent =
  /** USER named a mailbox (RFC 1939 §7); PASS must follow. */
  | { type: 'auth.user'; user: string }
  /** AUTH without initial response: the next line is the client's SASL response (RFC 5034 §4). */
  | {
      type: 'auth.challenge';
      mechanism: Pop3SaslMechanism;
      /** LOGIN: the user name the client has sent; the password comes next. */
      user?: string;
    }
  /** Authentication failed or was aborted: forget USER and any SASL exchange. */
  | { type: 'auth.failed' }
  /** Authentication succeeded and the maildrop is open and locked (RFC 1939 §4). */
  | { type: 'auth.ok'; user: string; maildrop: Maildrop }
  /** QUIT (RFC 1939 §5 in AUTHORIZATION, §6 in TRANSACTION: enter UPDATE). */
  | { type: 'quit' };

/** Something observers should know (the server turns these into ServerEvents). */
export type Pop3Notice =
  { type: 'marked'; uid: number; deleted: boolean } | { type: 'retrieved'; uid: number };

/** A handler's answer, as data. One formatter (`formatPop3Reply`) turns it into bytes. */
export interface Pop3Reply {
  ok: boolean;
  /** RFC 2449 §8 response code, written in brackets after the status: "IN-USE", "AUTH", "SYS/TEMP". */
  code?: string;
  /** Free text after the status (and code). */
  text: string;
  /** Multi-line body, one entry per line without CRLF; dot-stuffed by the formatter (RFC 1939 §3). */
  lines?: readonly ByteString[];
  /** Multi-line body as raw CRLF octets (a message or part of one); dot-stuffed by the formatter. */
  body?: ByteString;
  /**
   * The handler vouches that `body` ends with CRLF and has no line starting with "." (a UIDL
   * listing: every line starts with a digit), so the formatter sends it as it is.
   */
  bodyNeedsNoStuffing?: boolean;
  /**
   * The reply's bytes, made ahead by the handler: exactly what `formatPop3Reply` writes for the
   * rest of this reply (tests hold the two equal). A reply sent again and again (a maildrop's
   * UIDL listing, a message every device retrieves) is then formatted once, as one flat string
   * the client reads without copying it first.
   */
  wire?: ByteString;
  /** A SASL continuation ("+ " and base64 challenge, RFC 5034 §4) instead of +OK/-ERR. */
  continuation?: boolean;
  /** State-chart event this command causes. */
  event?: Pop3SemanticEvent;
  /** Things that happened, for observers. */
  notices?: readonly Pop3Notice[];
}

/** What a handler may read and the one thing it may ask for (opening the maildrop). */
export interface Pop3Context {
  readonly state: Pop3State;
  /** USER's argument while in AUTHORIZATION, the logged-in user in TRANSACTION. */
  readonly user: string | null;
  /** The session's snapshot of the maildrop (TRANSACTION only). */
  readonly maildrop: Maildrop | null;
  /** The APOP timestamp from the greeting, e.g. "<12.1700000000@mail.example.org>" (RFC 1939 §7). */
  readonly banner: string;
  /** Mechanism whose client response the next line carries (after "+ "), or null. */
  readonly sasl: Pop3SaslMechanism | null;
  /** LOGIN: the user name already sent (the next line is the password), or null. */
  readonly saslUser: string | null;
  checkPassword(user: string, password: string): boolean;
  /** The shared secret APOP needs (RFC 1939 §7); undefined when there is no such user. */
  secretOf(user: string): string | undefined;
  /**
   * Takes the exclusive maildrop lock (RFC 1939 §8) and snapshots INBOX. Null when another
   * session holds the lock.
   */
  openMaildrop(user: string): Maildrop | null;
}

/** How a command's arguments are read, before its handler runs (the gate checks them). */
export type Pop3ArgGrammar =
  /** No arguments. Dovecot ignores anything after the keyword (measured: "STAT x" is +OK), so do we. */
  | { kind: 'none' }
  /** The rest of the line, verbatim, possibly empty (USER, PASS: a password may hold spaces). */
  | { kind: 'rest' }
  /** Space-separated words. */
  | { kind: 'words'; min: number; max: number }
  /** A message number, required or optional (RFC 1939 "msg"). */
  | { kind: 'msg'; optional: boolean }
  /** A message number and a non-negative line count (TOP msg n). */
  | { kind: 'msg-count' };

/** Arguments after the gate: only the fields of the command's grammar are filled. */
export interface Pop3Args {
  /** Message number, checked to exist and not be marked deleted. */
  msg: number | null;
  /** TOP's line count (may exceed the body; huge values mean "all"). */
  count: number | null;
  words: readonly string[];
  rest: ByteString;
}

export interface Pop3Command extends CommandDoc {
  readonly states: readonly Pop3State[];
  readonly args: Pop3ArgGrammar;
  handler(ctx: Pop3Context, args: Pop3Args): Pop3Reply;
}

/** Convenience constructors for replies. */
export function ok(text: string, extra: Omit<Pop3Reply, 'ok' | 'text'> = {}): Pop3Reply {
  return { ok: true, text, ...extra };
}
export function err(
  text: string,
  code?: string,
  extra: Omit<Pop3Reply, 'ok' | 'text' | 'code'> = {},
): Pop3Reply {
  return code === undefined ? { ok: false, text, ...extra } : { ok: false, code, text, ...extra };
}
