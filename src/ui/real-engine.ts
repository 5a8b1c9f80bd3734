/**
 * The real engine behind the first screen: the lab's mailbox, the in-page mail
 * server and the POP3 command registry and machine. The app always runs on this.
 */
import { createLabStore, LAB_PASSWORD, LAB_USER } from '../mail/fixtures';
import { summarize } from '../mail/mime';
import { pop3Commands, pop3CommandsLegalIn } from '../protocol/pop3';
import { createMailServer, describePop3Machine } from '../server';
import type { LabEngine, SessionDiagram } from './engine';

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
  createServer: (store) => createMailServer({ store, hostname: 'mail.wonderland.example' }),
  summarize: (raw) => {
    const s = summarize(raw);
    // Cards show the sender's name (the address when there is none); space is short.
    const name = s.from.replace(/\s*<[^>]*>\s*$/, '').replace(/^"(.*)"$/, '$1');
    return { subject: s.subject || '(no subject)', from: name || s.fromAddress || '(unknown sender)' };
  },
  pop3: { commands: pop3Commands, legalIn: pop3CommandsLegalIn, diagram: pop3Diagram() },
};
