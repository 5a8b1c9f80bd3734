/**
 * The IMAP half of the lab: session code, command registry and the diagram drawn
 * from the machine. It is its own chunk, imported only when the laptop switches to
 * IMAP (`realEngine.loadImap`), so the page's first load carries POP3 alone.
 */
import { addTag } from '../editor/imap-language';
import { commandsLegalIn, IMAP_COMMAND_DOCS } from '../protocol/imap/registry';
import type { CommandDoc } from '../protocol/types';
import { describeImapMachine } from '../server/imap/machine';
import { createImapSession, ImapSession } from '../server/imap/session';
import type { MailStore } from '../mail/store';
import type { ProtocolSession } from '../server/types';
import type { MailboxViewModel, MessageCard } from '../viz/types';
import { imapCardStyle } from '../viz/imap-cards';
import Folders from './ImapFolders.svelte';
import type { ImapSessionView, ImapSupport, SessionDiagram } from './engine';

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
    // LOGOUT is legal everywhere; one arrow from the state next to Logout says it, the
    // description says the rest (three arcs into one dot would hide the main path).
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

/**
 * Body data in an untagged FETCH (RFC 9051 §7.5.2): BODY[...], BINARY[...] and the RFC822 forms
 * hand the client message content, i.e. the device now holds a copy. FLAGS, UID, ENVELOPE or
 * BODYSTRUCTURE alone do not. A literal's octets follow the line, so only the line is read.
 */
const FETCH_LINE = /^\* (\d+) FETCH \((.*)$/gm;
const BODY_ITEM = /(?:^|[ (])(BODY\[([^\]]*)\]|BINARY\[[^\]]*\]|RFC822(?:\.HEADER|\.TEXT)?)(?:<\d+>)? /;

function copiesIn(reply: string, view: ImapSessionView): { uid: number; part: string }[] {
  const out: { uid: number; part: string }[] = [];
  for (const m of reply.matchAll(FETCH_LINE)) {
    const body = BODY_ITEM.exec(m[2]);
    if (!body) continue;
    const uid = Number(/(?:^|[ (])UID (\d+)/.exec(m[2])?.[1] ?? view.uids[Number(m[1]) - 1]);
    if (!uid) continue;
    const section = body[2] ?? '';
    const part = /^(?:HEADER|RFC822\.HEADER)/.test(section || body[1])
      ? 'headers'
      : section === ''
        ? 'whole message'
        : `part ${section}`;
    out.push({ uid, part });
  }
  return out;
}

function mailboxView(
  store: MailStore,
  user: string,
  view: ImapSessionView,
  retrieved: readonly number[],
  summarize: (raw: string) => { subject: string; from: string },
): MailboxViewModel {
  const name = view.mailbox ?? 'INBOX';
  const sequence = new Map(view.mailbox ? view.uids.map((uid, i) => [uid, i + 1]) : []);
  const cards: MessageCard[] = (store.getMailbox(user, name)?.messages ?? []).map((m) => ({
    id: `${name}:${m.uid}`,
    uid: m.uid,
    // Not yet announced to this session (EXISTS comes after the next command): no number.
    number: sequence.get(m.uid) ?? null,
    ...summarize(m.raw),
    size: m.raw.length,
    seen: m.flags.includes('\\Seen'),
    retrieved: retrieved.includes(m.uid),
    marked: m.flags.includes('\\Deleted'),
    flags: m.flags,
  }));
  const folders = store.listMailboxes(user).map((mb) => ({
    name: mb.name,
    messages: mb.messages.length,
    unseen: mb.messages.filter((m) => !m.flags.includes('\\Seen')).length,
    selected: mb.name === view.mailbox,
  }));
  return { cards, protocol: 'imap', mailbox: name, selected: view.mailbox !== null, folders };
}

const legalCache = new Map<string, readonly CommandDoc[]>();

function inspect(session: ProtocolSession | undefined): ImapSessionView {
  if (!(session instanceof ImapSession)) return { mailbox: null, uids: [], idling: false };
  const view = session.selected;
  return { mailbox: view?.name ?? null, uids: view ? [...view.uids] : [], idling: session.idling };
}

export const imapSupport: ImapSupport = {
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
  factory: createImapSession,
  inspect,
  done,
  copiesIn,
  mailboxView,
  Folders,
  cardStyle: imapCardStyle,
  notes: {
    connect: (user, password) =>
      `The laptop connects to the IMAP server (port 143). Commands start with a tag: a1 LOGIN ${user} ${password}`,
    reopen: 'Opening a new connection to the IMAP server (a new session starts in Not Authenticated).',
    tagged: (tag) =>
      `The lab added the tag ${tag}: every IMAP command starts with a tag of the client's choosing, and the server's final reply carries the same tag (RFC 9051 §2.2.1).`,
    leftPop3:
      'Switching to IMAP: the laptop dropped its POP3 connection without QUIT, as a lost connection would. The server never entered UPDATE, so nothing marked with DELE was removed (RFC 1939 §6).',
    leftImap:
      'Switching to POP3: the laptop dropped its IMAP connection without LOGOUT, as a lost connection would. Flags already stored stay; messages marked \\Deleted stay until someone expunges them.',
  },
  addTag: (line, nextTag) => addTag(IMAP_COMMAND_DOCS, line, nextTag),
};
