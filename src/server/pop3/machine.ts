import { raise, setup } from 'xstate';
import { pop3CommandsLegalIn } from '../../protocol/pop3/commands/index';
import type { Pop3SemanticEvent } from '../../protocol/pop3/types';

/**
 * The POP3 session as one state chart (RFC 1939 §3):
 *
 *   AUTHORIZATION --auth.ok--> TRANSACTION --quit--> UPDATE --update.done--> closed
 *        |  \--quit / connection.drop--> closed          \--connection.drop--> closed
 *
 * Commands are parsed and answered by the engine in src/protocol/pop3; what they mean for the
 * session arrives here as semantic events. The learner-facing state diagram is drawn from this
 * definition (`describePop3Machine`), so the picture and the behaviour cannot drift apart.
 */

export type Pop3MachineEvent =
  | Pop3SemanticEvent
  /** UPDATE has removed the marked messages (RFC 1939 §6). */
  | { type: 'update.done' }
  /** The client went away without QUIT: nothing is removed, the lock is released (RFC 1939 §6). */
  | { type: 'connection.drop' };

/**
 * The chart holds no data and no guards: where it goes depends only on the state and the
 * event, so every session runs it through a `ChartRunner` (../chart.ts), which asks XState once
 * per (state, event) and replays the answer. The session keeps what the chart used to hold in
 * its context (the user, the maildrop, the SASL exchange) and does the actions the chart names,
 * in the order XState gives them. (While AUTH waits for the client's SASL response, every line
 * is that response, RFC 5034 §4, so only auth.ok, auth.failed or a drop can follow
 * auth.challenge: the engine, not a guard, makes sure of it.)
 */
export const pop3SessionMachine = setup({
  types: {
    events: {} as Pop3MachineEvent,
  },
  actions: {
    /**
     * Runs first on entering every state, so observers see UPDATE too although the session
     * passes through it within one step.
     */
    enterState: (_, _params: { state: Pop3MachineState }) => {},
    /** USER named a mailbox: remember it (and end any SASL exchange). */
    rememberUser: () => {},
    /** AUTH sent "+ ": the next line is the SASL response. */
    awaitSaslResponse: () => {},
    /** Authentication failed: forget USER and the SASL exchange. */
    forgetUser: () => {},
    /** Logged in: the session holds the user and the locked, numbered maildrop. */
    openMaildrop: () => {},
    /**
     * RFC 1939 §6: remove every message marked as deleted. Like Dovecot, whose POP3 commits its
     * mailbox transaction here, this is also when messages that RETR sent become \Seen (measured
     * on Dovecot 2.3.19: after RETR and a dropped connection the message is still unseen).
     */
    commitUpdate: () => {},
    /** The maildrop lock is released (RFC 1939 §8). */
    releaseLock: () => {},
  },
}).createMachine({
  id: 'pop3',
  initial: 'AUTHORIZATION',
  states: {
    AUTHORIZATION: {
      description:
        'The client has connected and must identify itself: USER and PASS, APOP, or AUTH. ' +
        'Nothing about the maildrop can be seen yet.',
      entry: { type: 'enterState', params: { state: 'AUTHORIZATION' } },
      on: {
        'auth.user': {
          actions: 'rememberUser',
          description: 'USER named a mailbox; PASS must follow.',
        },
        'auth.challenge': {
          actions: 'awaitSaslResponse',
          description: 'AUTH sent "+ ": the next line is the SASL response.',
        },
        'auth.failed': {
          actions: 'forgetUser',
          description: 'Wrong credentials, cancelled AUTH, or maildrop in use.',
        },
        'auth.ok': {
          target: 'TRANSACTION',
          actions: 'openMaildrop',
          description: 'Credentials accepted: the maildrop is locked and its messages numbered.',
        },
        quit: {
          target: 'closed',
          description: 'QUIT before login: goodbye, nothing to update.',
        },
        'connection.drop': { target: 'closed', description: 'The connection was lost.' },
      },
    },
    TRANSACTION: {
      description:
        'Logged in, with the maildrop locked. Message numbers are fixed for the session; DELE only ' +
        'marks messages, RSET unmarks them.',
      entry: { type: 'enterState', params: { state: 'TRANSACTION' } },
      on: {
        quit: { target: 'UPDATE', description: 'QUIT: commit the session.' },
        'connection.drop': {
          target: 'closed',
          description: 'Lost without QUIT: no message is removed, the lock is released.',
        },
      },
    },
    UPDATE: {
      description: 'Entered only by QUIT from TRANSACTION: messages marked with DELE are removed for good.',
      entry: [
        { type: 'enterState', params: { state: 'UPDATE' } },
        'commitUpdate',
        raise({ type: 'update.done' }),
      ],
      on: {
        'update.done': {
          target: 'closed',
          description: 'Marked messages removed; the server answers and hangs up.',
        },
      },
    },
    closed: {
      type: 'final',
      description: 'The session is over and the maildrop lock released.',
      entry: [{ type: 'enterState', params: { state: 'closed' } }, 'releaseLock'],
    },
  },
});

export type Pop3MachineState = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE' | 'closed';

export interface Pop3MachineDiagram {
  initial: string;
  states: { id: string; final: boolean; description: string; commands: string[] }[];
  /** One entry per event a state reacts to; `from === to` for events that keep the state. */
  transitions: { from: string; to: string; event: string; description: string }[];
}

/** States, transitions and legal commands, read from the machine definition itself. */
export function describePop3Machine(): Pop3MachineDiagram {
  const root = pop3SessionMachine.root;
  const states: Pop3MachineDiagram['states'] = [];
  const transitions: Pop3MachineDiagram['transitions'] = [];
  for (const [id, node] of Object.entries(root.states)) {
    states.push({
      id,
      final: node.type === 'final',
      description: node.description ?? '',
      commands: pop3CommandsLegalIn(id).map((c) => c.name),
    });
    for (const [event, defs] of node.transitions) {
      for (const def of defs) {
        transitions.push({
          from: id,
          to: def.target?.[0]?.key ?? id,
          event,
          description: def.description ?? '',
        });
      }
    }
  }
  return { initial: String(root.initial.target[0].key), states, transitions };
}
