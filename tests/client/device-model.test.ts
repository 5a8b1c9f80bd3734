/**
 * Model-based test of the device machine (xstate/graph): every path through
 * online / offline / lost is replayed on a real device in a real world, and
 * the device must be in the state the model says, behaving as that state promises.
 */
import { describe, expect, it } from 'vitest';
import { createTestModel } from '@xstate/graph';
import { deviceMachine, newDeviceData, DeviceRuntime, type DeviceCommand } from '../../src/client/device';
import { World } from '../../src/world/world';

const EVENTS: DeviceCommand[] = [
  { type: 'device.check' },
  { type: 'device.offline' },
  { type: 'device.online' },
  { type: 'device.read', message: '*' },
  { type: 'device.lose' },
];

// The abstract model: the same machine with its protocol work switched off.
const abstract = deviceMachine.provide({ actions: { run: () => {} } });
const model = createTestModel(abstract, { events: EVENTS });
const input = {
  data: newDeviceData({ id: 'x', kind: 'laptop', user: 'alice', password: 'wonderland', protocol: 'pop3' }),
  runtime: new DeviceRuntime({
    connect: () => {
      throw new Error('the model never connects');
    },
    now: () => 0,
    emit: () => {},
    attention: () => {},
    transcriptLimit: 10,
  }),
};

const paths = model.getSimplePaths({ input, allowDuplicatePaths: false } as never);

describe('device machine, model-based', () => {
  it('covers every state', () => {
    const states = new Set(paths.flatMap((p) => p.steps.map((s) => JSON.stringify(s.state.value))));
    expect(states).toEqual(new Set(['"online"', '"offline"', '"lost"']));
  });

  for (const path of paths) {
    it(`POP3 device: ${path.description}`, () => {
      const world = World.empty();
      world.dispatch({
        do: 'addDevice',
        device: {
          id: 'laptop',
          kind: 'laptop',
          protocol: 'pop3',
          settings: { pop3: { leaveOnServer: true } },
        },
      });
      world.dispatch({ do: 'deliver', message: { id: 'm1', subject: 'one' } });
      const actor = world.deviceActor('laptop');
      for (const step of path.steps) {
        const before = world.device('laptop');
        // The newest transcript entry: a new one means the device sent or received something.
        const last = before.transcript.at(-1);
        actor.send(step.event as DeviceCommand);
        const value = actor.getSnapshot().value;
        expect(value).toEqual(step.state.value);
        const after = world.device('laptop');
        if (value === 'lost') {
          // Lost: nothing left, nothing sent, ever again.
          expect(after.messages).toEqual([]);
          expect(after.transcript.at(-1)).toBe(last);
        }
        if (value === 'offline' && step.event.type === 'device.check')
          expect(after.transcript.at(-1)).toBe(last);
        if (value === 'online' && step.event.type === 'device.check') {
          expect(after.transcript.at(-1)).not.toBe(last);
          expect(after.messages.map((m) => m.messageId)).toEqual(['m1@lab.example']);
        }
      }
      // The server copy is kept by "leave on server" whatever path the device took.
      expect(world.mailStore.getMailbox('alice', 'INBOX')!.messages).toHaveLength(1);
    });
  }
});
