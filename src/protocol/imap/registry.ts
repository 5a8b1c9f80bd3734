/**
 * The command registry: one entry per command name a client can type. UID forms share their
 * module with the plain form (the handler gets `uid = true`).
 */
import type { CommandDoc } from '../types';
import { append } from './commands/append';
import { authenticate } from './commands/authenticate';
import { capability } from './commands/capability';
import { close, unselect } from './commands/close';
import { copy, move } from './commands/copy';
import { create } from './commands/create';
import { del } from './commands/delete';
import { enable } from './commands/enable';
import { expunge } from './commands/expunge';
import { fetch } from './commands/fetch';
import { id } from './commands/id';
import { idle } from './commands/idle';
import { list, lsub, xlist } from './commands/list';
import { login } from './commands/login';
import { logout } from './commands/logout';
import { namespace } from './commands/namespace';
import { check, noop } from './commands/noop';
import { rename } from './commands/rename';
import { search } from './commands/search';
import { examine, select } from './commands/select';
import { status } from './commands/status';
import { store } from './commands/store';
import { subscribe, unsubscribe } from './commands/subscribe';
import type { ImapCommand } from './types';

export interface RegistryEntry {
  command: ImapCommand<unknown>;
  uid: boolean;
  doc: CommandDoc;
}

const modules = [
  capability,
  noop,
  logout,
  login,
  authenticate,
  enable,
  id,
  namespace,
  select,
  examine,
  create,
  del,
  rename,
  subscribe,
  unsubscribe,
  list,
  lsub,
  xlist,
  status,
  append,
  idle,
  check,
  close,
  unselect,
  expunge,
  search,
  fetch,
  store,
  copy,
  move,
] as ImapCommand<unknown>[];

export const IMAP_COMMANDS: ReadonlyMap<string, RegistryEntry> = (() => {
  const map = new Map<string, RegistryEntry>();
  for (const c of modules) {
    map.set(c.doc.name, { command: c, uid: false, doc: c.doc });
    if (c.uidDoc) map.set(c.uidDoc.name, { command: c, uid: true, doc: c.uidDoc });
  }
  return map;
})();

/** Every command's documentation (plain and UID forms), for completion, hover and the reference page. */
export const IMAP_COMMAND_DOCS: readonly CommandDoc[] = [...IMAP_COMMANDS.values()].map((e) => e.doc);

/** Names of the commands legal in a state (as the learner-facing diagram lists them). */
export function commandsLegalIn(state: string): string[] {
  return [...IMAP_COMMANDS.values()]
    .filter((e) => (e.command.states as readonly string[]).includes(state))
    .map((e) => e.doc.name);
}
