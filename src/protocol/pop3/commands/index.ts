import type { Pop3Command } from '../types';
import { apop } from './apop';
import { auth } from './auth';
import { capa } from './capa';
import { dele } from './dele';
import { list } from './list';
import { noop } from './noop';
import { pass } from './pass';
import { quit } from './quit';
import { retr } from './retr';
import { rset } from './rset';
import { stat } from './stat';
import { top } from './top';
import { uidl } from './uidl';
import { user } from './user';

/** Every POP3 command, in the order a learner meets them. Adding a command is adding a file here. */
export const pop3Commands: readonly Pop3Command[] = [
  user,
  pass,
  apop,
  auth,
  capa,
  stat,
  list,
  retr,
  dele,
  noop,
  rset,
  quit,
  top,
  uidl,
];

const byName = new Map(pop3Commands.map((c) => [c.name, c]));

/** Looks a command up by name, ignoring ASCII case (RFC 1939 §3: keywords are case-insensitive). */
export function findPop3Command(name: string): Pop3Command | undefined {
  // Only ASCII letters fold: "ß".toUpperCase() is "SS", and no non-ASCII spelling is a keyword.
  if (!/^[A-Za-z]{1,8}$/.test(name)) return undefined;
  return byName.get(name.toUpperCase());
}

/** The commands legal in a state, in registry order (for completion and the state diagram). */
export function pop3CommandsLegalIn(state: string): Pop3Command[] {
  return pop3Commands.filter((c) => (c.states as readonly string[]).includes(state));
}
