/**
 * The device actor (deviceLogic) replays XState's steps of the device chart: over random event
 * sequences it is in the state a real XState actor of deviceMachine is in, and does the device's
 * work (`run`) exactly when that actor would.
 */
import fc from 'fast-check';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { deviceLogic, deviceMachine, type DeviceCommand, type DeviceRuntime } from '../../src/client/device';
import { newDeviceData } from '../../src/client/device';

const EVENTS: DeviceCommand[] = [
  { type: 'device.check' },
  { type: 'device.pushed' },
  { type: 'device.offline' },
  { type: 'device.online' },
  { type: 'device.read', message: '*' },
  { type: 'device.manual', line: 'NOOP' },
  { type: 'device.drop' },
  { type: 'device.lose' },
];

describe('device actor', () => {
  it('follows the chart as XState runs it, from every starting state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('online', 'offline', 'lost'),
        fc.array(fc.constantFrom(...EVENTS), { maxLength: 15 }),
        (start, events) => {
          const real: string[] = [];
          const reference = createActor(
            deviceMachine.provide({ actions: { run: ({ event }) => void real.push(event.type) } }),
            { snapshot: deviceMachine.resolveState({ value: start }) },
          ).start();
          const ran: string[] = [];
          const data = newDeviceData({ id: 'd', kind: 'phone', user: 'u', password: 'p', protocol: 'pop3' });
          Object.assign(data, { online: start === 'online', lost: start === 'lost' });
          const runtime = { handle: (d: typeof data, e: DeviceCommand) => (ran.push(e.type), { ...d }) };
          const actor = createActor(deviceLogic, {
            input: { data, runtime: runtime as unknown as DeviceRuntime },
          }).start();
          for (const e of events) {
            const can = actor.getSnapshot().can(e);
            const before = { ran: ran.length, value: actor.getSnapshot().value };
            actor.send(e);
            reference.send(e);
            expect(actor.getSnapshot().value).toBe(reference.getSnapshot().value);
            expect(actor.getSnapshot().matches(reference.getSnapshot().value as 'online')).toBe(true);
            expect(can).toBe(ran.length > before.ran || actor.getSnapshot().value !== before.value);
          }
          expect(ran).toEqual(real);
        },
      ),
      { numRuns: 300 },
    );
  });
});
