/**
 * The POP3 app's UIDL memory, under random mail traffic and removals by another client (big
 * gaps included, so the listing parse must look past its window and fall back to the Map):
 * after every completed check the memory holds exactly the unique-ids of what the device
 * downloaded that the server still lists, and no message is ever downloaded twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uidlOf } from '../../src/protocol/pop3/maildrop';
import type { WorldEvent } from '../../src/world/events';
import { validateScenario } from '../../src/world/scenario';
import { World } from '../../src/world/world';

type Step =
  | { kind: 'deliver'; n: number }
  | { kind: 'remove'; from: number; count: number }
  | { kind: 'check' }
  | { kind: 'advance'; days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((n) => ({ kind: 'deliver', n }) as Step),
  fc
    .tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 45 }))
    .map(([from, count]) => ({ kind: 'remove', from, count }) as Step),
  fc.constant({ kind: 'check' } as Step),
  fc.integer({ min: 1, max: 5 }).map((days) => ({ kind: 'advance', days }) as Step),
);

describe('POP3 UIDL memory', () => {
  it('stays exactly what was downloaded and is still listed; nothing is downloaded twice', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(null, 2),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        (days, steps) => {
          const world = World.fromScenario(
            validateScenario({
              id: 'memory',
              title: 't',
              summary: 's',
              claims: [],
              devices: [
                {
                  id: 'laptop',
                  kind: 'laptop',
                  settings: { pop3: { leaveOnServer: true, removeAfterDays: days } },
                },
              ],
              timeline: [],
            }),
            { protocol: 'pop3', undoDepth: 0 },
          );
          const downloads = new Map<string, number>();
          world.subscribe((e: WorldEvent) => {
            if (e.type === 'device.downloaded')
              downloads.set(e.messageId, (downloads.get(e.messageId) ?? 0) + 1);
          });
          let id = 0;
          for (const s of steps) {
            if (s.kind === 'deliver')
              for (let i = 0; i < s.n; i++)
                world.dispatch({ do: 'deliver', message: { id: `x${++id}`, subject: 's' } });
            else if (s.kind === 'advance') world.dispatch({ do: 'advance', days: s.days });
            else if (s.kind === 'remove') {
              // Another client's QUIT removed a run of messages (possibly more than the parse's window).
              const inbox = world.mailStore.getMailbox('alice', 'INBOX')!;
              const uids = inbox.messages.slice(s.from, s.from + s.count).map((m) => m.uid);
              if (uids.length) world.mailStore.expunge('alice', 'INBOX', uids, 'other');
            } else {
              world.dispatch({ do: 'check', device: 'laptop' });
              const inbox = world.mailStore.getMailbox('alice', 'INBOX')!;
              const listed = new Set(inbox.messages.map((m) => uidlOf(m.uid, inbox.uidValidity)));
              const d = world.device('laptop');
              const mine = new Set(d.messages.map((m) => m.uidl!));
              const expected = [...mine].filter((u) => listed.has(u)).sort();
              expect(Object.keys(d.uidlSeen).sort()).toEqual(expected);
              // Everything still listed is held (downloaded now or before).
              for (const u of listed) expect(mine.has(u)).toBe(true);
            }
            for (const n of downloads.values()) expect(n).toBe(1);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps what is still listed after another client removed more messages than the parse looks ahead', () => {
    const world = World.fromScenario(
      validateScenario({
        id: 'gap',
        title: 't',
        summary: 's',
        claims: [],
        devices: [{ id: 'laptop', kind: 'laptop', settings: { pop3: { leaveOnServer: true } } }],
        timeline: [],
      }),
      { protocol: 'pop3' },
    );
    for (let i = 0; i < 60; i++) world.dispatch({ do: 'deliver', message: { id: `x${i}`, subject: 's' } });
    world.dispatch({ do: 'check', device: 'laptop' });
    const inbox = world.mailStore.getMailbox('alice', 'INBOX')!;
    world.mailStore.expunge(
      'alice',
      'INBOX',
      inbox.messages.slice(0, 40).map((m) => m.uid),
      'other',
    );
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(Object.keys(world.device('laptop').uidlSeen)).toHaveLength(20);
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(Object.keys(world.device('laptop').uidlSeen)).toHaveLength(20);
    expect(world.device('laptop').messages).toHaveLength(60);
  });
});
