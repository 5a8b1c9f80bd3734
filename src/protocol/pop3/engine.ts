import type { ByteString } from '../../mail/types';
import { continueAuth } from './commands/auth';
import { findPop3Command } from './commands/index';
import { err, type Pop3Args, type Pop3Command, type Pop3Context, type Pop3Reply } from './types';

/**
 * The gate in front of every handler. It checks, from the command's own metadata, everything a
 * handler would otherwise have to: known keyword, legal in this state, argument count, numbers
 * that are numbers, message numbers that exist and are not marked deleted. Handlers may then
 * assume a well-formed call. Every refusal is a "-ERR" that changes nothing.
 *
 * Where RFC 1939 leaves room, this does what Dovecot 2.3.19 does (measured on loopback): the
 * keyword ends at the first space; arguments may be separated by several spaces but a trailing
 * space is "noise"; a tab is not a separator; leading zeros are fine ("LIST 01").
 */

export type GateResult = { ok: true; command: Pop3Command; args: Pop3Args } | { ok: false; reply: Pop3Reply };

const DIGITS = /^[0-9]+$/;

/** A refusal (a module function, not a closure per line: the gate runs for every command). */
function fail(reply: Pop3Reply): GateResult {
  return { ok: false, reply };
}

/** Parses and checks one command line (without CRLF) for the current state. */
export function gatePop3Command(ctx: Pop3Context, line: ByteString): GateResult {
  // Dovecot reads command lines as C strings: everything from a NUL on is never seen
  // (measured: "STAT\0x" is "+OK 5 640", "LIST 1\0 2" is "LIST 1"). We do the same.
  const nul = line.indexOf('\0');
  if (nul >= 0) line = line.slice(0, nul);
  const space = line.indexOf(' ');
  const name = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);
  if (name === '') return fail(err('Unknown command. Type a command such as CAPA.'));
  const command = findPop3Command(name);
  if (!command) return fail(err(`Unknown command: ${printable(name)}`));
  if (!command.states.includes(ctx.state)) {
    return fail(
      err(
        ctx.state === 'AUTHORIZATION'
          ? `${command.name} is only valid after login (TRANSACTION state); log in with USER and PASS first.`
          : `${command.name} is only valid before login (AUTHORIZATION state).`,
      ),
    );
  }
  const args: Pop3Args = { msg: null, count: null, words: [], rest };
  const grammar = command.args;
  if (grammar.kind === 'none' || grammar.kind === 'rest') return { ok: true, command, args };

  const trimmed = rest.replace(/^ +/, '');
  const words = trimmed === '' ? [] : trimmed.split(/ +/);
  if (grammar.kind === 'words') {
    if (words.length < grammar.min || words.length > grammar.max) return fail(err('Invalid parameters.'));
    args.words = words;
    return { ok: true, command, args };
  }

  // msg / msg-count
  if (words.length === 0) {
    if (grammar.kind === 'msg' && grammar.optional) return { ok: true, command, args };
    return fail(err(`Invalid message number: ${command.name} needs a message number (${command.syntax}).`));
  }
  if (!DIGITS.test(words[0])) return fail(err(`Invalid message number: ${printable(words[0])}`));
  const maildrop = ctx.maildrop!;
  const n = Number(words[0]);
  if (!maildrop.exists(n)) return fail(err(`There's no message ${printable(words[0])}.`));
  if (maildrop.isDeleted(n)) return fail(err('Message is deleted.'));
  args.msg = n;
  if (grammar.kind === 'msg') {
    if (words.length > 1)
      return fail(err(`Noise after message number: ${printable(words.slice(1).join(' '))}`));
    return { ok: true, command, args };
  }
  if (words.length < 2) return fail(err('Invalid size: TOP needs a message number and a number of lines.'));
  if (!DIGITS.test(words[1])) return fail(err(`Invalid size: ${printable(words[1])}`));
  // Dovecot reads the count as a 64-bit number (measured: 18446744073709551615 is taken,
  // 99999999999999999999 is "-ERR Size too large").
  if (exceedsUint64(words[1])) return fail(err(`Size too large: ${printable(words[1])}`));
  if (words.length > 2) return fail(err(`Noise after size: ${printable(words.slice(2).join(' '))}`));
  // 2^64-1 is Dovecot's own "no limit", the value RETR uses internally: TOP then answers
  // exactly like RETR, "+OK n octets" and \Seen at QUIT included (measured). Infinity says so.
  args.count = isUint64Max(words[1]) ? Infinity : Number(words[1]);
  return { ok: true, command, args };
}

/**
 * Runs one command line: the SASL response when AUTH is waiting for one, otherwise gate then
 * handler. Always returns exactly one reply.
 */
export function executePop3Line(ctx: Pop3Context, line: ByteString): Pop3Reply {
  if (ctx.sasl) return continueAuth(ctx, line);
  const gate = gatePop3Command(ctx, line);
  if (!gate.ok) return gate.reply;
  return gate.command.handler(ctx, gate.args);
}

/**
 * The reply to a line longer than the state allows (POP3_MAX_LINE_LENGTH after login,
 * `exceedsLoginLineLimit` before). Dovecot's texts, measured; the server closes the connection
 * after it.
 */
export function overlongReply(ctx: Pick<Pop3Context, 'state'>): Pop3Reply {
  return ctx.state === 'AUTHORIZATION' ? err('Input buffer full, aborting') : err('Input line too long.');
}

const UINT64_MAX = '18446744073709551615';

function isUint64Max(digits: string): boolean {
  return digits.replace(/^0+/, '') === UINT64_MAX;
}

/** True when a string of digits is above 2^64 - 1. */
function exceedsUint64(digits: string): boolean {
  const d = digits.replace(/^0+/, '');
  return d.length > UINT64_MAX.length || (d.length === UINT64_MAX.length && d > UINT64_MAX);
}

/** Error text echoes what the client sent, with control and non-ASCII octets made visible. */
function printable(s: ByteString): string {
  const cut = s.length > 40 ? s.slice(0, 40) + '...' : s;
  return cut.replace(/[^\x20-\x7e]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}
