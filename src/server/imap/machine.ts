import { setup } from 'xstate';
import { commandsLegalIn } from '../../protocol/imap/registry';
import type { ImapState } from '../../protocol/imap/types';

/**
 * The IMAP session states (RFC 9051 §3, figure in §3.5) as one XState machine. The session
 * (session.ts) sends it an event after each command that changes state; the gate asks it
 * which state we are in. The learner-facing diagram is drawn from this definition
 * (`describeImapMachine`), so the picture and the behaviour cannot drift apart.
 *
 * IDLE (RFC 2177) is a sub-state of Authenticated and Selected: while in it, the only thing the
 * client may send is DONE, and the server pushes updates as they happen.
 */

export type ImapMachineEvent =
  /** LOGIN or AUTHENTICATE succeeded. */
  | { type: 'auth.ok' }
  /** SELECT or EXAMINE succeeded (from Selected too: the old mailbox is closed first). */
  | { type: 'mailbox.select' }
  /** CLOSE, UNSELECT, or a failed SELECT/EXAMINE (the old mailbox is closed first). */
  | { type: 'mailbox.deselect' }
  /** IDLE accepted ("+ idling"). */
  | { type: 'idle.start' }
  /** DONE received. */
  | { type: 'idle.done' }
  /** LOGOUT, a BYE from the server, or the connection was lost. */
  | { type: 'session.end' };

/** Ready and IDLE sub-states; `ready` holds the transitions that only a command (not DONE) can make. */
function withIdle(ready: Record<string, { target: string; reenter?: boolean; description: string }>) {
  return {
    initial: 'Ready',
    states: {
      Ready: {
        description: 'Waiting for a command.',
        on: { 'idle.start': { target: 'IDLE', description: 'IDLE' }, ...ready },
      },
      IDLE: {
        description: 'IDLE: the server pushes changes at once; only DONE is accepted.',
        on: {
          'idle.done': { target: 'Ready', description: 'DONE' },
          'session.end': { target: '#imapSession.Logout', description: 'connection lost, or BYE' },
        },
      },
    },
  } as const;
}

export const imapSessionMachine = setup({
  types: { events: {} as ImapMachineEvent },
}).createMachine({
  id: 'imapSession',
  initial: 'Not Authenticated',
  states: {
    'Not Authenticated': {
      description: 'Connected and greeted; the client must log in first.',
      on: {
        'auth.ok': { target: 'Authenticated', description: 'LOGIN / AUTHENTICATE succeeded' },
        'session.end': { target: 'Logout', description: 'LOGOUT' },
      },
    },
    Authenticated: {
      description: 'Logged in; the client can manage mailboxes and must SELECT one to work with messages.',
      ...withIdle({
        'mailbox.select': { target: '#imapSession.Selected', description: 'SELECT / EXAMINE succeeded' },
        'session.end': { target: '#imapSession.Logout', description: 'LOGOUT' },
      }),
    },
    Selected: {
      description: 'A mailbox is open; message commands use its sequence numbers and UIDs.',
      ...withIdle({
        'mailbox.select': {
          target: '#imapSession.Selected',
          reenter: true,
          description: 'SELECT / EXAMINE another mailbox',
        },
        'mailbox.deselect': {
          target: '#imapSession.Authenticated',
          description: 'CLOSE / UNSELECT / failed SELECT',
        },
        'session.end': { target: '#imapSession.Logout', description: 'LOGOUT' },
      }),
    },
    Logout: {
      description: 'The server said BYE and closes the connection.',
      type: 'final',
    },
  },
});

/** Top-level state name (the RFC's words) of a snapshot value. */
export function topState(value: unknown): ImapState {
  if (typeof value === 'string') return value as ImapState;
  return Object.keys(value as object)[0] as ImapState;
}

export function isIdleValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.values(value).includes('IDLE');
}

export interface ImapMachineDiagram {
  initial: string;
  states: { id: string; parent: string | null; final: boolean; description: string; commands: string[] }[];
  transitions: { from: string; to: string; event: string; description: string }[];
}

/** States, transitions and the commands legal in each state, read from the machine itself. */
export function describeImapMachine(): ImapMachineDiagram {
  const root = imapSessionMachine.root;
  const states: ImapMachineDiagram['states'] = [];
  const transitions: ImapMachineDiagram['transitions'] = [];
  const visit = (node: typeof root, parent: string | null) => {
    for (const [key, child] of Object.entries(node.states)) {
      const id = parent ? `${parent}.${key}` : key;
      const commands = parent ? (key === 'IDLE' ? ['DONE'] : commandsLegalIn(parent)) : commandsLegalIn(key);
      states.push({
        id,
        parent,
        final: child.type === 'final',
        description: child.description ?? '',
        commands,
      });
      for (const [event, defs] of child.transitions) {
        for (const def of defs) {
          const target = def.target?.[0];
          const to = target
            ? target.parent && target.parent !== root
              ? `${target.parent.key}.${target.key}`
              : target.key
            : id;
          transitions.push({ from: id, to, event, description: def.description ?? '' });
        }
      }
      visit(child, id);
    }
  };
  visit(root, null);
  return { initial: String(root.initial.target[0].key), states, transitions };
}
