/**
 * The IMAP half of the page, fetched when a device first uses IMAP: the server's session code,
 * the devices' IMAP mail app, the command registry with its docs, and the diagram drawn from
 * the session machine. The first load carries POP3 alone.
 */
import { ImapClient } from '../../client/imap';
import { addTag } from '../../editor/imap-language';
import { commandsLegalIn, IMAP_COMMAND_DOCS } from '../../protocol/imap/registry';
import type { CommandDoc } from '../../protocol/types';
import { describeImapMachine } from '../../server/imap/machine';
import { createImapSession } from '../../server/imap/session';
import type { SessionDiagram } from '../../viz/types';
import type { ImapSupport } from './engine';

/** Arrow labels: the command that makes each of the machine's semantic events happen. */
const EVENT_LABELS: Record<string, string> = {
  'auth.ok': 'LOGIN',
  'mailbox.select': 'SELECT',
  'mailbox.deselect': 'CLOSE',
  'session.end': 'LOGOUT',
};

const top = (id: string) => id.split('.')[0];

/**
 * RFC 9051 §3 as the learner sees it: Not Authenticated → Authenticated ⇄ Selected → Logout,
 * with IDLE (RFC 2177) drawn inside Authenticated and Selected. The machine's "Ready" sub-states
 * only mean "waiting for a command" and are folded into their parent.
 */
export function imapDiagram(): SessionDiagram {
  const machine = describeImapMachine();
  const states = machine.states
    .filter((s) => !s.id.endsWith('.Ready'))
    .map((s) => ({
      id: s.id,
      commands: s.commands,
      description: s.description,
      final: s.final,
      ...(s.parent ? { parent: s.parent } : {}),
    }));
  const seen = new Set<string>();
  const transitions: SessionDiagram['transitions'][number][] = [];
  const finals = new Set(states.filter((s) => s.final).map((s) => s.id));
  const order = states.filter((s) => !s.parent).map((s) => s.id);
  for (const t of machine.transitions) {
    const from = top(t.from);
    const to = top(t.to);
    // IDLE/DONE stay inside a state (drawn as the inner box); re-SELECT is a self-loop.
    if (from === to) continue;
    // LOGOUT is legal everywhere; one arrow from the state next to Logout says it.
    if (finals.has(to) && order.indexOf(to) - order.indexOf(from) !== 1) continue;
    const key = `${from}->${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    transitions.push({
      from,
      to,
      label: EVENT_LABELS[t.event] ?? t.event,
      description: finals.has(to) ? 'LOGOUT, from any state' : t.description,
    });
  }
  return { states, transitions };
}

const docs = new Map(IMAP_COMMAND_DOCS.map((d) => [d.name, d]));
const idleDoc = docs.get('IDLE');

/** DONE ends IDLE (RFC 2177 §3); it is sent without a tag. Its text comes from IDLE's own doc. */
const done: CommandDoc = {
  name: 'DONE',
  syntax: 'DONE',
  states: ['IDLE'],
  summary: `Ends IDLE; the server then sends the IDLE command's tagged OK. ${idleDoc?.summary ?? ''}`.trim(),
  rfc: idleDoc?.rfc ?? 'RFC 2177',
  examples: ['DONE'],
};

const legalCache = new Map<string, readonly CommandDoc[]>();

export const imapSupport: ImapSupport = {
  name: 'IMAP',
  commands: IMAP_COMMAND_DOCS,
  legalIn(state) {
    let legal = legalCache.get(state);
    if (!legal) {
      legal = commandsLegalIn(state).flatMap((name) => docs.get(name) ?? []);
      legalCache.set(state, legal);
    }
    return legal;
  },
  diagram: imapDiagram(),
  session: createImapSession,
  client: (env, data) => new ImapClient(env, data),
  done,
  addTag: (line, nextTag) => addTag(IMAP_COMMAND_DOCS, line, nextTag),
};
