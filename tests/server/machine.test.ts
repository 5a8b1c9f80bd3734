import { createTestModel } from '@xstate/graph';
import { createActor } from 'xstate';
import { ChartRunner } from '../../src/server/chart';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/protocol/base64';
import { Maildrop } from '../../src/protocol/pop3';
import { describePop3Machine, pop3SessionMachine, type Pop3MachineEvent } from '../../src/server';
import { connect, makeLab, type Client } from './helpers';

/**
 * Model-based tests: @xstate/graph walks the abstract state chart and every path is replayed
 * against a real connection, with each semantic event played by the wire bytes that cause it.
 */

const maildrop = new Maildrop('alice', 1, []);
const modelEvents: Pop3MachineEvent[] = [
  { type: 'auth.user', user: 'alice' },
  { type: 'auth.challenge', mechanism: 'PLAIN' },
  { type: 'auth.failed' },
  { type: 'auth.ok', user: 'alice', maildrop },
  { type: 'quit' },
  { type: 'connection.drop' },
];

describe('POP3 session machine', () => {
  it('describes itself for the state diagram: states, legal commands, transitions', () => {
    const d = describePop3Machine();
    expect(d.initial).toBe('AUTHORIZATION');
    expect(d.states.map((s) => [s.id, s.final, s.commands.length > 0])).toEqual([
      ['AUTHORIZATION', false, true],
      ['TRANSACTION', false, true],
      ['UPDATE', false, false],
      ['closed', true, false],
    ]);
    expect(d.states[0].commands).toContain('APOP');
    expect(d.states[1].commands).toContain('RETR');
    expect(
      d.transitions.filter((t) => t.from !== t.to).map((t) => `${t.from} -${t.event}-> ${t.to}`),
    ).toEqual([
      'AUTHORIZATION -auth.ok-> TRANSACTION',
      'AUTHORIZATION -quit-> closed',
      'AUTHORIZATION -connection.drop-> closed',
      'TRANSACTION -quit-> UPDATE',
      'TRANSACTION -connection.drop-> closed',
      'UPDATE -update.done-> closed',
    ]);
    for (const t of d.transitions) expect(t.description.length).toBeGreaterThan(5);
  });

  it('runs through UPDATE to closed on quit from TRANSACTION (pure actor)', () => {
    const actor = createActor(pop3SessionMachine).start();
    actor.send({ type: 'auth.ok', user: 'alice', maildrop });
    expect(actor.getSnapshot().value).toBe('TRANSACTION');
    actor.send({ type: 'auth.user', user: 'x' }); // not handled in TRANSACTION
    expect(actor.getSnapshot().value).toBe('TRANSACTION');
    actor.send({ type: 'quit' });
    expect(actor.getSnapshot().value).toBe('closed');
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('names, in order, the actions a session does: UPDATE commits before the lock is released', () => {
    const done: string[] = [];
    const chart = new ChartRunner(pop3SessionMachine, (a) =>
      done.push(a.type === 'enterState' ? `enter ${(a.params as { state: string }).state}` : a.type),
    );
    chart.send({ type: 'auth.user', user: 'alice' });
    chart.send({ type: 'auth.ok', user: 'alice', maildrop });
    chart.send({ type: 'auth.user', user: 'x' }); // ignored in TRANSACTION: no action
    chart.send({ type: 'quit' });
    expect(done).toEqual([
      'enter AUTHORIZATION',
      'rememberUser',
      'openMaildrop',
      'enter TRANSACTION',
      'enter UPDATE',
      'commitUpdate',
      'enter closed',
      'releaseLock',
    ]);
    expect(chart.snapshot.status).toBe('done');
  });

  // Every reachable snapshot (shortest paths), then every event it accepts: together they take
  // every transition of the chart at least once.
  const model = createTestModel(pop3SessionMachine, { events: modelEvents });
  const replayModel = (events: readonly Pop3MachineEvent[]) => {
    const actor = createActor(pop3SessionMachine).start();
    for (const e of events) actor.send(e);
    return actor;
  };
  const sequences: Pop3MachineEvent[][] = [];
  const seen = new Set<string>();
  for (const p of model.getShortestPaths({ allowDuplicatePaths: true })) {
    const events = p.steps
      .map((s) => s.event)
      .filter((e) => !e.type.startsWith('xstate.')) as Pop3MachineEvent[];
    const snapshot = replayModel(events).getSnapshot();
    if (snapshot.status !== 'active') continue;
    for (const e of modelEvents) {
      const key = [...events, e].map((x) => x.type).join(' ');
      if (snapshot.can(e) && !seen.has(key)) {
        seen.add(key);
        sequences.push([...events, e]);
      }
    }
  }

  // The chart keeps no data, so the graph has one AUTHORIZATION node; the session does
  // remember whether USER was given or AUTH awaits its response. Every event after each of
  // those too (after "+ " the line is the SASL response, RFC 5034 §4: only auth.ok, auth.failed
  // or a drop can follow).
  const followers = (first: Pop3MachineEvent) =>
    first.type === 'auth.challenge'
      ? modelEvents.filter((e) => ['auth.ok', 'auth.failed', 'connection.drop'].includes(e.type))
      : modelEvents;
  const user = modelEvents.find((e) => e.type === 'auth.user')!;
  const challenge = modelEvents.find((e) => e.type === 'auth.challenge')!;
  for (const prefix of [[user], [challenge], [user, challenge]])
    for (const e of followers(prefix.at(-1)!)) {
      const key = [...prefix, e].map((x) => x.type).join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        sequences.push([...prefix, e]);
      }
    }

  it('covers every state and every transition of the chart', () => {
    const covered = new Set<string>();
    for (const seq of sequences) {
      const actor = replayModel([]);
      for (const e of seq) {
        const before = String(actor.getSnapshot().value);
        actor.send(e);
        covered.add(`${before} ${e.type}`);
        if (before === 'TRANSACTION' && e.type === 'quit') covered.add('UPDATE update.done');
      }
    }
    for (const t of describePop3Machine().transitions) expect(covered).toContain(`${t.from} ${t.event}`);
  });

  describe.each(sequences.map((seq) => [seq.map((e) => e.type).join(' → '), seq] as const))(
    'path %s',
    (_name, seq) => {
      it('is followed by the real server', () => {
        const lab = makeLab();
        const c: Client = connect(lab.server);
        const expected = replayModel([]);
        let userGiven = false;
        let saslPending = false;
        const send = (line: string) => c.cmd(line);
        const play: Record<Pop3MachineEvent['type'], () => void> = {
          'auth.user': () => {
            expect(send('USER alice')).toBe('+OK\r\n');
            userGiven = true;
          },
          'auth.challenge': () => {
            expect(send('AUTH PLAIN')).toBe('+ \r\n');
            saslPending = true;
          },
          'auth.failed': () => {
            const bad = encodeBase64('\0alice\0wrong');
            expect(send(saslPending ? bad : `AUTH PLAIN ${bad}`)).toMatch(/^-ERR \[AUTH\]/);
            userGiven = saslPending = false;
          },
          'auth.ok': () => {
            const good = encodeBase64('\0alice\0wonderland');
            const line = saslPending ? good : userGiven ? 'PASS wonderland' : `AUTH PLAIN ${good}`;
            expect(send(line)).toBe('+OK Logged in.\r\n');
            saslPending = false;
            // A marked message, to see what QUIT and a drop do with it.
            expect(send('DELE 1')).toBe('+OK Marked to be deleted.\r\n');
          },
          quit: () => expect(send('QUIT')).toMatch(/^\+OK Logging out/),
          'connection.drop': () => c.conn.close(),
          'update.done': () => {},
        };
        for (const e of seq) {
          play[e.type]();
          expected.send(e);
          const value = String(expected.getSnapshot().value);
          expect(c.conn.state).toBe(value);
          expect(c.conn.closed).toBe(value === 'closed');
          expect(lab.server.locks.holder('alice')).toBe(value === 'TRANSACTION' ? c.conn.id : undefined);
        }
        // Only QUIT from TRANSACTION removes the marked message.
        const committed = seq.some((e) => e.type === 'auth.ok') && seq.at(-1)!.type === 'quit';
        expect(lab.store.getMailbox('alice', 'INBOX')!.messages.length).toBe(committed ? 4 : 5);
      });
    },
  );
});
