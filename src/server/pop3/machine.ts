import { assertEvent, assign, raise, setup } from 'xstate';
import { pop3CommandsLegalIn } from '../../protocol/pop3/commands/index';
import type { Maildrop } from '../../protocol/pop3/maildrop';
import type { Pop3SaslMechanism, Pop3SemanticEvent } from '../../protocol/pop3/types';
import type { SessionHost } from '../types';

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

export interface Pop3MachineContext {
  /** The server side of the connection; null when the machine is only walked (diagram, tests). */
  host: SessionHost | null;
  /** USER's argument in AUTHORIZATION; the logged-in user from TRANSACTION on. */
  user: string | null;
  /** The session's numbered snapshot of INBOX, from login to the end. */
  maildrop: Maildrop | null;
  /** SASL mechanism whose response the next line carries. */
  sasl: Pop3SaslMechanism | null;
  /** Told of every state entered (the session turns it into `session.state` events). */
  onState: ((state: Pop3MachineState) => void) | null;
}

export type Pop3MachineEvent =
  | Pop3SemanticEvent
  /** UPDATE has removed the marked messages (RFC 1939 §6). */
  | { type: 'update.done' }
  /** The client went away without QUIT: nothing is removed, the lock is released (RFC 1939 §6). */
  | { type: 'connection.drop' };

export const pop3SessionMachine = setup({
  types: {
    context: {} as Pop3MachineContext,
    events: {} as Pop3MachineEvent,
    input: {} as { host: SessionHost | null; onState?: (state: Pop3MachineState) => void },
  },
  guards: {
    /** While AUTH waits for the client's SASL response, every line is that response (RFC 5034 §4). */
    noSaslExchange: ({ context }) => context.sasl === null,
  },
  actions: {
    /**
     * Runs first on entering every state, so observers see UPDATE too although the session
     * passes through it within one step. It calls the `onState` the actor was started with (an
     * input, not `machine.provide`: providing builds a new machine per session, which cost more
     * than the whole POP3 exchange of a device check).
     */
    enterState: ({ context }, params: { state: Pop3MachineState }) => context.onState?.(params.state),
    rememberUser: assign(({ event }) => {
      assertEvent(event, 'auth.user');
      return { user: event.user, sasl: null };
    }),
    awaitSaslResponse: assign(({ event }) => {
      assertEvent(event, 'auth.challenge');
      return { sasl: event.mechanism };
    }),
    forgetUser: assign({ user: null, sasl: null }),
    openMaildrop: assign(({ event }) => {
      assertEvent(event, 'auth.ok');
      return { user: event.user, maildrop: event.maildrop, sasl: null };
    }),
    /**
     * RFC 1939 §6: remove every message marked as deleted. Like Dovecot, whose POP3 commits its
     * mailbox transaction here, this is also when messages that RETR sent become \Seen (measured
     * on Dovecot 2.3.19: after RETR and a dropped connection the message is still unseen).
     */
    commitUpdate: ({ context }) => {
      const { host, maildrop } = context;
      if (!host || !maildrop) return;
      const deleted = new Set(maildrop.deletedUids());
      const seen = maildrop.retrievedUids().filter((uid) => !deleted.has(uid));
      if (seen.length) host.store.setFlags(maildrop.user, 'INBOX', seen, 'add', ['\\Seen'], host.id);
      if (deleted.size) host.store.expunge(maildrop.user, 'INBOX', [...deleted], host.id);
    },
    releaseLock: ({ context }) => {
      const { host, maildrop } = context;
      if (!host || !maildrop) return;
      host.locks.release(maildrop.user, host.id);
      host.emit({ type: 'lock.released', connection: host.id, user: maildrop.user });
    },
  },
}).createMachine({
  id: 'pop3',
  initial: 'AUTHORIZATION',
  context: ({ input }) => ({
    host: input.host,
    user: null,
    maildrop: null,
    sasl: null,
    onState: input.onState ?? null,
  }),
  states: {
    AUTHORIZATION: {
      description:
        'The client has connected and must identify itself: USER and PASS, APOP, or AUTH. ' +
        'Nothing about the maildrop can be seen yet.',
      entry: { type: 'enterState', params: { state: 'AUTHORIZATION' } },
      on: {
        'auth.user': {
          guard: 'noSaslExchange',
          actions: 'rememberUser',
          description: 'USER named a mailbox; PASS must follow.',
        },
        'auth.challenge': {
          guard: 'noSaslExchange',
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
          guard: 'noSaslExchange',
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
