import fc from 'fast-check';
import { assign, createActor, setup, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { Maildrop } from '../../src/protocol/pop3';
import { ChartRunner, assertContextFree } from '../../src/server/chart';
import { imapSessionMachine } from '../../src/server/imap/machine';
import { pop3SessionMachine, type Pop3MachineEvent } from '../../src/server/pop3/machine';

/**
 * ChartRunner replays XState's answer for each (state, event type). These tests hold it to a
 * real XState actor over random event sequences: the same state, status and actions in order.
 */

const maildrop = new Maildrop('alice', 1, []);
const pop3Events: Pop3MachineEvent[] = [
  { type: 'auth.user', user: 'alice' },
  { type: 'auth.challenge', mechanism: 'PLAIN' },
  { type: 'auth.failed' },
  { type: 'auth.ok', user: 'alice', maildrop },
  { type: 'quit' },
  { type: 'update.done' },
  { type: 'connection.drop' },
];
const imapEvents = [
  'auth.ok',
  'mailbox.select',
  'mailbox.deselect',
  'idle.start',
  'idle.done',
  'session.end',
].map((type) => ({ type }));

/** The actions a real actor runs, by name and params, in order. */
function actorRun(machine: AnyStateMachine, events: readonly { type: string }[]) {
  const done: string[] = [];
  const names = Object.keys(machine.implementations.actions);
  const spied = machine.provide({
    actions: Object.fromEntries(
      names.map((n) => [n, (_: unknown, params: unknown) => done.push(`${n} ${JSON.stringify(params)}`)]),
    ),
  });
  const actor = createActor(spied).start();
  const states: string[] = [];
  for (const e of events) {
    actor.send(e);
    states.push(`${actor.getSnapshot().status} ${JSON.stringify(actor.getSnapshot().value)}`);
  }
  return { done, states };
}

function runnerRun(machine: AnyStateMachine, events: readonly { type: string }[]) {
  const done: string[] = [];
  const runner = new ChartRunner(machine, (a) => done.push(`${a.type} ${JSON.stringify(a.params)}`));
  const states: string[] = [];
  for (const e of events) {
    runner.send(e as never);
    states.push(`${runner.snapshot.status} ${JSON.stringify(runner.snapshot.value)}`);
  }
  return { done, states };
}

describe('ChartRunner', () => {
  it.each([
    ['POP3', pop3SessionMachine as AnyStateMachine, pop3Events as { type: string }[]],
    ['IMAP', imapSessionMachine as AnyStateMachine, imapEvents],
  ])('follows a real XState actor on the %s chart (random event sequences)', (_name, machine, events) => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...events), { maxLength: 12 }), (seq) => {
        expect(runnerRun(machine, seq)).toEqual(actorRun(machine, seq));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps one step per state and event type, however long a session goes on', () => {
    const runner = new ChartRunner(pop3SessionMachine, () => {});
    const first = runner.snapshot;
    for (let i = 0; i < 1000; i++) runner.send({ type: 'auth.user', user: `u${i}` });
    // The same snapshot object: the memo did not grow with the repeated events.
    expect(runner.snapshot).toBe(first);
  });

  it('refuses charts whose steps depend on more than the state and the event type', () => {
    const withContext = setup({}).createMachine({ context: { n: 0 }, initial: 'a', states: { a: {} } });
    const guarded = setup({ guards: { ok: () => true } }).createMachine({
      initial: 'a',
      states: { a: { on: { go: { guard: 'ok', target: 'b' } } }, b: {} },
    });
    const inline = setup({}).createMachine({ initial: 'a', states: { a: { entry: () => {} } } });
    const dynamic = setup({ actions: { say: (_: unknown, _p: { n: number }) => {} } }).createMachine({
      initial: 'a',
      states: {
        a: { on: { go: { actions: { type: 'say', params: ({ event }) => ({ n: event.type.length }) } } } },
      },
    });
    const assigning = setup({}).createMachine({
      initial: 'a',
      states: { a: { on: { go: { actions: assign({}) } } } },
    });
    expect(() => assertContextFree(withContext)).toThrow(/context/);
    expect(() => assertContextFree(guarded)).toThrow(/guard/);
    expect(() => assertContextFree(inline)).toThrow(/inline/);
    expect(() => assertContextFree(dynamic)).toThrow(/dynamic params/);
    expect(() => assertContextFree(assigning)).toThrow(/inline or dynamic/);
    expect(() => assertContextFree(pop3SessionMachine)).not.toThrow();
    expect(() => assertContextFree(imapSessionMachine)).not.toThrow();
  });
});
