import { describe, expect, it } from 'vitest';
import { World, WorldError, DAY, HOUR } from '../../src/world/world';
import { getScenario } from '../../src/world/scenarios';
import type { WorldEvent } from '../../src/world/events';
import { transcriptLines } from '../../src/client/transcript';

function story(): World {
  const world = World.fromScenario(getScenario('imap-three-devices')!, { protocol: 'imap' });
  world.run(getScenario('imap-three-devices')!.timeline.slice(0, 5));
  return world;
}

describe('the world as one value', () => {
  it('saves to JSON and loads back exactly', () => {
    const world = story();
    const saved = world.save();
    const text = JSON.stringify(saved);
    const loaded = World.load(text);
    expect(loaded.save()).toEqual(saved);
    expect(JSON.stringify(loaded.save())).toBe(text);
    expect(loaded.device('phone').messages).toEqual(world.device('phone').messages);
  });

  it('carries on after loading: devices reconnect and resynchronize like a restarted app', () => {
    const world = story();
    const loaded = World.load(JSON.stringify(world.save()));
    loaded.dispatch({ do: 'check', device: '*', full: true });
    world.dispatch({ do: 'check', device: '*', full: true });
    for (const id of world.deviceIds)
      expect(loaded.device(id).messages.map((m) => [m.messageId, m.folder, m.flags])).toEqual(
        world.device(id).messages.map((m) => [m.messageId, m.folder, m.flags]),
      );
  });

  it('undoes one step at a time and resets to the start', () => {
    const world = World.fromScenario(getScenario('three-devices-pop3')!, { protocol: 'pop3' });
    const start = world.save();
    world.dispatch({ do: 'check', device: 'laptop' });
    const afterCheck = world.save();
    world.dispatch({ do: 'read', device: 'laptop', message: 'm1' });
    expect(world.device('laptop').messages[0].flags).toEqual(['\\Seen']);
    expect(world.undo()).toBe(true);
    expect(world.device('laptop').messages[0].flags).toEqual([]);
    expect(world.save().store).toEqual(afterCheck.store);
    expect(world.undo()).toBe(true);
    expect(world.mailStore.getMailbox('alice', 'INBOX')!.messages).toHaveLength(5);
    expect(world.undo()).toBe(false);
    world.dispatch({ do: 'check', device: 'phone' });
    world.reset();
    expect(world.save().store).toEqual(start.store);
    expect(world.save().devices).toEqual(start.devices);
  });

  it('reports corrupt or foreign saved data as a WorldError', () => {
    expect(() => World.load('{not json')).toThrow(WorldError);
    expect(() => World.load({ version: 2 })).toThrow(/unsupported version/);
    const saved = World.empty().save();
    expect(() => World.load({ ...saved, devices: [{ id: 'x', protocol: 'smtp' }] })).toThrow(/bad protocol/);
    expect(() => World.load({ ...saved, store: { version: 1, nextUidValidity: 0, accounts: [] } })).toThrow(
      WorldError,
    );
  });

  it('stamps every event with an ascending sequence number and the virtual time', () => {
    const world = World.empty();
    const events: WorldEvent[] = [];
    world.subscribe((e) => events.push(e));
    world.dispatch({ do: 'addDevice', device: { id: 'laptop', kind: 'laptop', protocol: 'pop3' } });
    world.dispatch({ do: 'deliver', message: { id: 'a', subject: 'A' } });
    world.dispatch({ do: 'advance', hours: 2 });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => events[0].seq + i));
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      'world.step',
      'world.device.added',
      'server.store',
      'world.clock',
      'device.command',
      'device.reply',
      'device.downloaded',
    ])
      expect(types).toContain(t);
    expect(events.at(-1)!.at - events[0].at).toBe(2 * HOUR);
    expect(world.log.length).toBe(events.length);
  });
});

describe('virtual time', () => {
  it('runs each device check on its schedule while the clock advances', () => {
    const world = World.empty();
    world.dispatch({
      do: 'addDevice',
      device: { id: 'phone', kind: 'phone', protocol: 'pop3', settings: { checkEveryMinutes: 60 } },
    });
    const checks: number[] = [];
    world.subscribe((e) => {
      if (e.type === 'device.check') checks.push(e.at);
    });
    const t0 = world.now;
    world.dispatch({ do: 'advance', hours: 5 });
    expect(checks.map((t) => (t - t0) / HOUR)).toEqual([1, 2, 3, 4, 5]);
    world.dispatch({ do: 'offline', device: 'phone' });
    world.dispatch({ do: 'advance', hours: 3 });
    expect(checks).toHaveLength(5);
  });

  it('delivers seeded random traffic identically on every run', () => {
    const run = () => {
      const world = World.empty();
      world.dispatch({ do: 'traffic', perDay: 4, days: 10, seed: 42 });
      world.dispatch({ do: 'advance', days: 12 });
      return world.mailStore
        .getMailbox('alice', 'INBOX')!
        .messages.map((m) => [m.internalDate, m.raw.length]);
    };
    const a = run();
    expect(a.length).toBeGreaterThan(30);
    expect(a.length).toBeLessThan(50);
    expect(run()).toEqual(a);
  });

  it('samples server storage at most once per virtual day while advancing', () => {
    const world = World.empty();
    world.dispatch({ do: 'traffic', perDay: 10, days: 30, seed: 1 });
    world.dispatch({ do: 'advance', days: 30 });
    const s = world.storage;
    expect(s.length).toBeGreaterThanOrEqual(29);
    expect(s.length).toBeLessThanOrEqual(33);
    expect(s.at(-1)!.bytes).toBe(world.mailStore.storageBytes('alice'));
    for (let i = 1; i < s.length; i++) expect(s[i].bytes).toBeGreaterThanOrEqual(s[i - 1].bytes);
    expect(s.at(-1)!.at - s[0].at).toBe(30 * DAY);
  });
});

describe('device life', () => {
  it('a lost device holds nothing and does nothing; a new one can be added', () => {
    const world = World.fromScenario(getScenario('laptop-lost')!, { protocol: 'imap' });
    world.dispatch({ do: 'check', device: 'laptop' });
    world.dispatch({ do: 'lose', device: 'laptop' });
    expect(world.device('laptop')).toMatchObject({ lost: true, messages: [], online: false });
    expect(world.deviceActor('laptop').getSnapshot().value).toBe('lost');
    const lines = transcriptLines(world.device('laptop').transcript);
    world.dispatch({ do: 'check', device: 'laptop' });
    world.dispatch({ do: 'read', device: 'laptop', message: '*' });
    expect(transcriptLines(world.device('laptop').transcript)).toEqual(lines);
    world.dispatch({ do: 'addDevice', device: { id: 'tablet', kind: 'tablet' } });
    world.dispatch({ do: 'check', device: 'tablet' });
    expect(world.device('tablet').messages).toHaveLength(6);
  });

  it('switching protocol sets the account up again on the device', () => {
    const world = World.fromScenario(getScenario('three-devices-pop3')!, { protocol: 'pop3' });
    world.dispatch({ do: 'settings', device: 'laptop', settings: { pop3: { leaveOnServer: true } } });
    world.dispatch({ do: 'check', device: 'laptop' });
    world.dispatch({ do: 'protocol', device: 'laptop', protocol: 'imap' });
    expect(world.device('laptop')).toMatchObject({ protocol: 'imap', messages: [] });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(world.device('laptop').messages).toHaveLength(5);
    expect(transcriptLines(world.device('laptop').transcript).some((l) => / LOGIN /.test(l.text))).toBe(true);
  });
});
