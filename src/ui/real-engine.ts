/**
 * The real engine behind the first screen: the lab's mailbox, the in-page mail
 * server and the POP3 command registry and machine. The app always runs on this.
 *
 * The server is built from `server/core` with POP3 only: the IMAP engine (its parser,
 * commands, machine and docs) is a separate chunk that `loadImap()` fetches when the
 * laptop first switches to IMAP, so the first load stays small (issue 2 §7).
 */
import { createLabStore, LAB_PASSWORD, LAB_USER } from '../mail/fixtures';
import { pop3Commands, pop3CommandsLegalIn } from '../protocol/pop3/commands/index';
import { createMailServer } from '../server/core';
import { describePop3Machine } from '../server/pop3/machine';
import { createPop3Session } from '../server/pop3/session';
import type { LabEngine, SessionDiagram } from './engine';
import { cardSummary } from './summary';

/** Short arrow labels for the machine's semantic events (the machine's own descriptions become tooltips). */
const EVENT_LABELS: Record<string, string> = {
  'auth.ok': 'login',
  quit: 'QUIT',
  'update.done': 'done',
};

/** The diagram drawn from the machine definition: its states in order, and the learner-facing transitions. */
export function pop3Diagram(): SessionDiagram {
  const machine = describePop3Machine();
  return {
    states: machine.states.map((s) => ({
      id: s.id,
      commands: s.commands,
      description: s.description,
      final: s.final,
    })),
    // Self-loops (USER, a failed PASS) and dropped connections are left out of the picture so the
    // path through the states stays readable; state descriptions explain them.
    transitions: machine.transitions
      .filter((t) => t.from !== t.to && t.event !== 'connection.drop')
      .map((t) => ({
        from: t.from,
        to: t.to,
        label: EVENT_LABELS[t.event] ?? t.event,
        description: t.description,
      })),
  };
}

export const realEngine: LabEngine = {
  account: { user: LAB_USER, password: LAB_PASSWORD },
  createStore: () => createLabStore(),
  createServer: (store) =>
    createMailServer({
      store,
      hostname: 'mail.wonderland.example',
      sessionFactories: { pop3: createPop3Session },
    }),
  summarize: cardSummary,
  pop3: { commands: pop3Commands, legalIn: pop3CommandsLegalIn, diagram: pop3Diagram() },
  loadImap: () => import('./imap-engine').then((m) => m.imapSupport),
};
