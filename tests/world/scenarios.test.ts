import { describe, expect, it } from 'vitest';
import { runScenario, type Outcome } from '../../src/world/compare';
import { getScenario } from '../../src/world/scenarios';
import { World } from '../../src/world/world';
import { imapAvailable } from './imap-available';

const run = (id: string, protocol: 'pop3' | 'imap') => runScenario(getScenario(id)!, protocol).outcome;
const counts = (o: Outcome) => Object.fromEntries(o.devices.map((d) => [d.id, d.lost ? 'lost' : d.messages]));
const flags = (o: Outcome) => Object.fromEntries(o.devices.map((d) => [d.id, [d.unread, d.flagged]]));

describe('three-devices-pop3 (C2, C6)', () => {
  it('POP3: the laptop takes everything; phone and work PC hold 0 of 5; the server is empty', () => {
    const o = run('three-devices-pop3', 'pop3');
    expect(counts(o)).toEqual({ laptop: 5, phone: 0, workpc: 0 });
    expect(o.server.messages).toBe(0);
    expect(o.delivered).toBe(5);
    expect(o.neverReceived).toBe(5);
    // After the laptop's first check the server already held nothing for the others.
    expect(o.timeline[1]).toMatchObject({ serverMessages: 0, devices: { laptop: 5, phone: 0, workpc: 0 } });
  });

  it.skipIf(!imapAvailable)('IMAP: all three hold the 5 messages and agree on read and flagged', () => {
    const o = run('three-devices-pop3', 'imap');
    expect(counts(o)).toEqual({ laptop: 5, phone: 5, workpc: 5 });
    expect(o.server.messages).toBe(5);
    expect(o.neverReceived).toBe(0);
    expect(o.disagreeingMessages).toBe(0);
    expect(flags(o)).toEqual({ laptop: [4, 1], phone: [4, 1], workpc: [4, 1] });
  });
});

describe('leave-on-server (C3)', () => {
  it('POP3: copies everywhere, read/flag states never agree, server copies gone after 7 days, the tablet gets 0', () => {
    const o = run('leave-on-server', 'pop3');
    // After the first round every device has its own copy and the server still has all 4.
    expect(o.timeline[0]).toMatchObject({ serverMessages: 4, devices: { laptop: 4, phone: 4, workpc: 4 } });
    expect(counts(o)).toEqual({ laptop: 3, phone: 4, workpc: 4, tablet: 0 });
    expect(o.devices.find((d) => d.id === 'laptop')!.trash).toBe(1);
    expect(o.disagreeingMessages).toBe(2);
    expect(o.disagreeingDevices).toEqual(['laptop', 'phone', 'workpc']);
    // The laptop's delete did not reach the server; its 7-day rule later removed everything.
    expect(o.timeline[6].serverMessages).toBe(4);
    expect(o.timeline[9].serverMessages).toBe(0);
    expect(o.server.messages).toBe(0);
    expect(o.devices.find((d) => d.id === 'tablet')!.neverReceived).toBe(4);
    expect(o.duplicates).toBe(0);
  });

  it.skipIf(!imapAvailable)(
    'IMAP: every device, the new tablet too, shows the same 3 messages and marks',
    () => {
      const o = run('leave-on-server', 'imap');
      expect(counts(o)).toEqual({ laptop: 3, phone: 3, workpc: 3, tablet: 3 });
      expect(o.server.byMailbox).toMatchObject({ INBOX: 3, Trash: 1 });
      expect(o.disagreeingMessages).toBe(0);
      expect(o.neverReceived).toBe(0);
      expect(flags(o)).toEqual({ laptop: [2, 1], phone: [2, 1], workpc: [2, 1], tablet: [2, 1] });
    },
  );
});

describe('imap-three-devices (C4, C5)', () => {
  it('POP3 with leave-on-server: the phone’s actions stay on the phone', () => {
    const o = run('imap-three-devices', 'pop3');
    expect(counts(o)).toEqual({ phone: 4, laptop: 5, workpc: 5 });
    expect(o.server.messages).toBe(5);
    expect(o.disagreeingMessages).toBe(2);
    expect(o.devices.find((d) => d.id === 'laptop')!.folders).not.toContain('Travel');
  });

  it.skipIf(!imapAvailable)(
    'IMAP: the IDLE laptop follows at once, the polling work PC on its next check',
    () => {
      const scenario = getScenario('imap-three-devices')!;
      const world = World.fromScenario(scenario, { protocol: 'imap' });
      const state = (id: string, folder?: string) =>
        world
          .device(id)
          .messages.filter((m) => !folder || m.folder === folder)
          .map((m) => `${m.folder}/${m.messageId}/${[...m.flags].sort().join(' ')}`)
          .sort();
      const stop = scenario.timeline.findIndex((a) => a.do === 'advance');
      world.run(scenario.timeline.slice(0, stop));
      // IDLE watches the selected mailbox (RFC 2177): the laptop's INBOX already matches the phone's.
      expect(state('laptop', 'INBOX')).toEqual(state('phone', 'INBOX'));
      expect(state('laptop', 'INBOX')).toHaveLength(2);
      expect(state('workpc', 'INBOX')).toHaveLength(5);
      world.run(scenario.timeline.slice(stop));
      // One check each brings the other folders too.
      expect(state('workpc')).toEqual(state('phone'));
      expect(state('laptop')).toEqual(state('phone'));
      expect(world.device('laptop').folders.map((f) => f.name)).toContain('Travel');
      world.dispose();

      const o = run('imap-three-devices', 'imap');
      expect(counts(o)).toEqual({ phone: 4, laptop: 4, workpc: 4 });
      expect(o.server.byMailbox).toMatchObject({ INBOX: 2, Archive: 1, Trash: 1, Travel: 1 });
      expect(o.disagreeingMessages).toBe(0);
      expect(flags(o)).toEqual({ phone: [3, 1], laptop: [3, 1], workpc: [3, 1] });
    },
  );
});

describe('laptop-lost (C8)', () => {
  it('POP3: the 6 messages are lost with the laptop; the new laptop gets nothing', () => {
    const o = run('laptop-lost', 'pop3');
    expect(counts(o)).toEqual({ laptop: 'lost', 'new-laptop': 0 });
    expect(o.lostAfterDeviceLoss).toBe(6);
    expect(o.server.messages).toBe(0);
  });

  it.skipIf(!imapAvailable)('IMAP: nothing is lost; the new laptop gets all 6 back with their marks', () => {
    const o = run('laptop-lost', 'imap');
    expect(counts(o)).toEqual({ laptop: 'lost', 'new-laptop': 6 });
    expect(o.lostAfterDeviceLoss).toBe(0);
    expect(flags(o)['new-laptop']).toEqual([4, 1]);
  });
});

describe('one-computer (C9)', () => {
  it('POP3 is enough: the desktop gets every message, nothing is missed, the server ends empty', () => {
    const o = run('one-computer', 'pop3');
    expect(o.delivered).toBeGreaterThan(80);
    expect(counts(o)).toEqual({ desktop: o.delivered });
    expect(o.neverReceived).toBe(0);
    expect(o.duplicates).toBe(0);
    expect(o.server.messages).toBe(0);
  });

  it.skipIf(!imapAvailable)(
    'IMAP: the same on the desktop, and the server keeps a copy of everything',
    () => {
      const o = run('one-computer', 'imap');
      expect(counts(o)).toEqual({ desktop: o.delivered });
      expect(o.server.messages).toBe(o.delivered);
      expect(o.server.bytes).toBeGreaterThan(o.delivered * 2000);
    },
  );
});

describe('storage-year (C7, C10)', () => {
  it('POP3: the server stays far below the quota all year and costs nothing extra', () => {
    const o = run('storage-year', 'pop3');
    expect(o.delivered).toBeGreaterThan(3500);
    expect(o.peakBytes).toBeLessThan(2_000_000);
    expect(o.cost).toMatchObject({ monthsOverQuota: 0, extraCost: 0, overQuotaAt: null });
    expect(o.storage.length).toBeGreaterThan(360);
  });

  it.skipIf(!imapAvailable)('IMAP: storage grows all year, passes the quota and costs money', () => {
    const o = run('storage-year', 'imap');
    expect(o.server.messages).toBe(o.delivered);
    expect(o.server.bytes).toBeGreaterThan(80_000_000);
    for (let i = 1; i < o.storage.length; i++)
      expect(o.storage[i].bytes).toBeGreaterThanOrEqual(o.storage[i - 1].bytes);
    expect(o.cost!.monthsOverQuota).toBeGreaterThan(4);
    expect(o.cost!.extraCost).toBeGreaterThan(0);
    expect(o.cost!.overQuotaAt).not.toBeNull();
  });
});
