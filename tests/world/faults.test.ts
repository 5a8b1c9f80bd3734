/**
 * The fault steps (FAULTS in src/world/scenario.ts), each under POP3 and IMAP, held to the
 * protocol invariants: nothing is lost that the protocol keeps. POP3 without QUIT never removes
 * mail (RFC 1939 §6); IMAP never loses a message that was not expunged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeHeader } from '../../src/client/summary';
import { transcriptLines } from '../../src/client/transcript';
import type { DeviceSettings } from '../../src/client/types';
import { runScenario } from '../../src/world/compare';
import type { WorldEvent } from '../../src/world/events';
import {
  FAULTS,
  ScenarioError,
  validateScenario,
  type Scenario,
  type WorldAction,
} from '../../src/world/scenario';
import { World, WorldError } from '../../src/world/world';
import { imapAvailable } from './imap-available';

type Settings = { pop3?: Partial<DeviceSettings['pop3']>; imap?: Partial<DeviceSettings['imap']> };

const story = (timeline: WorldAction[], settings: Settings = {}, laptop: Settings = settings): Scenario =>
  validateScenario({
    id: 'faults',
    title: 'Faults',
    summary: 'Faults at work.',
    claims: [],
    messages: [1, 2, 3].map((i) => ({ id: `m${i}`, subject: `Subject ${i}`, body: `Body ${i}` })),
    devices: [
      { id: 'phone', name: 'Phone', kind: 'phone', settings },
      { id: 'laptop', name: 'Laptop', kind: 'laptop', settings: laptop },
    ],
    timeline,
  });

/** Message-IDs on the server, by mailbox (and all of them). */
function server(world: World): { all: string[]; byMailbox: Record<string, string[]> } {
  const byMailbox: Record<string, string[]> = {};
  const all: string[] = [];
  for (const mb of world.mailStore.listMailboxes(world.account.user)) {
    const ids = mb.messages.map((m) => summarizeHeader(m.raw).messageId.split('@')[0]);
    if (ids.length) byMailbox[mb.name] = ids;
    all.push(...ids);
  }
  return { all: all.sort(), byMailbox };
}

const held = (world: World, id: string, folder?: string) =>
  world
    .device(id)
    .messages.filter((m) => folder === undefined || m.folder === folder)
    .map((m) => m.messageId.split('@')[0])
    .sort();

const checkResults = (events: WorldEvent[], device: string) =>
  events.flatMap((e) => (e.type === 'device.check' && e.device === device ? [e.result] : []));

function worldOf(s: Scenario, protocol: 'pop3' | 'imap') {
  const world = World.fromScenario(s, { protocol });
  const events: WorldEvent[] = [];
  world.subscribe((e) => events.push(e));
  return { world, events };
}

describe('drop-before-quit', () => {
  it('POP3: RETR and DELE, then the connection breaks: nothing is removed, nothing marked \\Seen; UIDL memory stops a second download and the next QUIT removes them', () => {
    const { world, events } = worldOf(story([]), 'pop3');
    const before = world.mailStore.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid);
    world.dispatch({ do: 'fault', fault: 'drop-before-quit', device: 'phone' });
    const lines = transcriptLines(world.device('phone').transcript).map((l) => `${l.dir}: ${l.text}`);
    // The app did send its DELEs, and never QUIT.
    expect(lines.filter((l) => l.startsWith('C: DELE'))).toHaveLength(3);
    expect(lines.some((l) => l === 'C: QUIT')).toBe(false);
    const inbox = world.mailStore.getMailbox('alice', 'INBOX')!.messages;
    expect(inbox.map((m) => m.uid)).toEqual(before);
    expect(inbox.every((m) => !m.flags.includes('\\Seen'))).toBe(true);
    expect(held(world, 'phone')).toEqual(['m1', 'm2', 'm3']);
    expect(checkResults(events, 'phone')).toEqual(['dropped']);
    expect(world.lockHolder()).toBeNull();

    world.dispatch({ do: 'check', device: 'phone' });
    // Downloaded nothing again (UIDL memory), and this time QUIT removed the three.
    expect(held(world, 'phone')).toEqual(['m1', 'm2', 'm3']);
    expect(events.filter((e) => e.type === 'device.downloaded')).toHaveLength(3);
    expect(server(world).all).toEqual([]);
  });

  it('POP3 with leave on server: the break changes nothing the next check would not', () => {
    const { world, events } = worldOf(story([], { pop3: { leaveOnServer: true } }), 'pop3');
    world.dispatch({ do: 'fault', fault: 'drop-before-quit', device: 'phone' });
    world.dispatch({ do: 'check', device: 'phone' });
    expect(server(world).all).toEqual(['m1', 'm2', 'm3']);
    expect(events.filter((e) => e.type === 'device.downloaded')).toHaveLength(3);
  });

  it.skipIf(!imapAvailable)(
    'IMAP: the sync was stored; the break loses nothing and the next check reconnects',
    () => {
      const { world, events } = worldOf(story([]), 'imap');
      world.dispatch({ do: 'fault', fault: 'drop-before-quit', device: 'phone' });
      expect(world.sessions('phone').sync).toBeNull();
      expect(held(world, 'phone')).toEqual(['m1', 'm2', 'm3']);
      expect(server(world).all).toEqual(['m1', 'm2', 'm3']);
      world.dispatch({ do: 'check', device: 'phone' });
      expect(checkResults(events, 'phone')).toEqual(['dropped', 'ok']);
      expect(world.sessions('phone').sync).not.toBeNull();
    },
  );
});

describe('delete-same', () => {
  it.skipIf(!imapAvailable)(
    'IMAP: the second delete finds the message gone (NO [EXPUNGEISSUED]); it is in Trash once and both devices agree',
    () => {
      const { world } = worldOf(story([]), 'imap');
      world.dispatch({ do: 'check', device: '*' });
      world.dispatch({ do: 'fault', fault: 'delete-same', device: 'phone', other: 'laptop', message: 'm1' });
      expect(server(world).byMailbox).toEqual({ INBOX: ['m2', 'm3'], Trash: ['m1'] });
      // The laptop's own copy went at once: the server told it the message was expunged.
      expect(held(world, 'laptop', 'INBOX')).toEqual(['m2', 'm3']);
      world.dispatch({ do: 'check', device: '*' });
      for (const d of ['phone', 'laptop']) {
        expect(held(world, d, 'INBOX')).toEqual(['m2', 'm3']);
        expect(held(world, d, 'Trash')).toEqual(['m1']);
      }
    },
  );

  it('POP3 with leave on server: each device deletes its own copy; the server keeps the message', () => {
    const { world } = worldOf(story([], { pop3: { leaveOnServer: true } }), 'pop3');
    world.dispatch({ do: 'check', device: '*' });
    world.dispatch({ do: 'fault', fault: 'delete-same', device: 'phone', other: 'laptop', message: 'm1' });
    world.dispatch({ do: 'check', device: '*' });
    expect(server(world).all).toEqual(['m1', 'm2', 'm3']);
    for (const d of ['phone', 'laptop']) expect(held(world, d, 'Trash')).toEqual(['m1']);
  });
});

describe.skipIf(!imapAvailable)('expunge-selected (RFC 9051 §7.5.1)', () => {
  const run = (mode: 'poll' | 'idle') => {
    const s = story([], {}, { imap: { mode } });
    const { world } = worldOf(s, 'imap');
    world.dispatch({ do: 'check', device: '*' });
    const mark = world.device('laptop').transcript.length;
    world.dispatch({
      do: 'fault',
      fault: 'expunge-selected',
      device: 'phone',
      other: 'laptop',
      message: 'm2',
    });
    return { world, mark };
  };

  it('a polling device still sees the message until its next command completes, then gets "* 2 EXPUNGE"', () => {
    const { world, mark } = run('poll');
    expect(server(world).all).toEqual(['m1', 'm3']);
    // Not a moved copy: the phone expunged it (no Trash copy).
    expect(server(world).byMailbox.Trash).toBeUndefined();
    expect(held(world, 'laptop')).toEqual(['m1', 'm2', 'm3']);
    expect(world.sessions('laptop').sync!.view!.uids).toEqual([1, 2, 3]);
    expect(world.device('laptop').transcript.length).toBe(mark); // nothing was sent to it
    world.dispatch({ do: 'check', device: 'laptop' });
    const after = world.device('laptop').transcript.slice(mark);
    // The check starts with LIST, after which Dovecot reports nothing (it does not sync the
    // mailbox); the NOOP that follows is a command after which the server may send it: the
    // EXPUNGE comes between that command and its tagged OK, and not a moment before.
    const first = after.findIndex((t) => t.dir === 'C');
    expect(after[first].text).toMatch(/^A\d+ LIST /);
    const noop = after.findIndex((t) => t.dir === 'C' && / NOOP$/.test(t.text));
    expect(noop).toBeGreaterThan(first);
    expect(after.slice(0, noop).map((t) => t.text)).not.toContain('* 2 EXPUNGE');
    const expunge = after.findIndex((t) => t.text === '* 2 EXPUNGE');
    const tag = after[noop].text.split(' ')[0];
    const done = after.findIndex((t) => t.text.startsWith(`${tag} OK`));
    expect(expunge).toBeGreaterThan(noop);
    expect(expunge).toBeLessThan(done);
    expect(held(world, 'laptop')).toEqual(['m1', 'm3']);
    expect(world.sessions('laptop').sync!.view!.uids).toEqual([1, 3]);
  });

  it('a device in IDLE gets "* 2 EXPUNGE" at once', () => {
    const { world, mark } = run('idle');
    // Pushed during IDLE and read when the app leaves IDLE to fetch: before IDLE's tagged OK.
    const pushed = world
      .device('laptop')
      .transcript.slice(mark)
      .map((t) => t.text);
    // First the \Deleted flag, then the expunge, as they happened; both before IDLE's OK.
    expect(pushed.slice(0, 4)).toEqual([
      'DONE',
      '* 2 FETCH (FLAGS (\\Deleted))',
      '* 2 EXPUNGE',
      expect.stringMatching(/^A\d+ OK Idle completed/),
    ]);
    expect(held(world, 'laptop')).toEqual(['m1', 'm3']);
  });
});

describe('offline-changes', () => {
  it.skipIf(!imapAvailable)(
    'IMAP: the queued \\Flagged replays as +FLAGS after the laptop marked it read: both changes survive everywhere',
    () => {
      const { world, events } = worldOf(story([]), 'imap');
      world.dispatch({ do: 'check', device: '*' });
      world.dispatch({
        do: 'fault',
        fault: 'offline-changes',
        device: 'phone',
        other: 'laptop',
        message: 'm3',
      });
      expect(events.some((e) => e.type === 'device.queue.replayed' && e.actions === 1)).toBe(true);
      const m3 = world.mailStore.getMailbox('alice', 'INBOX')!.messages[2];
      expect([...m3.flags].sort()).toEqual(['\\Flagged', '\\Seen']);
      world.dispatch({ do: 'check', device: '*' });
      for (const d of ['phone', 'laptop'])
        expect(
          [...world.device(d).messages.find((m) => m.messageId.startsWith('m3@'))!.flags].sort(),
        ).toEqual(['\\Flagged', '\\Seen']);
    },
  );

  it.skipIf(!imapAvailable)(
    'IMAP: a queued change for a message another device moved meanwhile is dropped; the message is not lost',
    () => {
      const { world } = worldOf(story([]), 'imap');
      world.dispatch({ do: 'check', device: '*' });
      world.run([
        { do: 'offline', device: 'phone' },
        { do: 'flag', device: 'phone', message: 'm1' },
        { do: 'delete', device: 'laptop', message: 'm1' },
        { do: 'online', device: 'phone' },
      ]);
      expect(server(world).byMailbox).toEqual({ INBOX: ['m2', 'm3'], Trash: ['m1'] });
      expect(held(world, 'phone', 'Trash')).toEqual(['m1']);
      expect(held(world, 'phone', 'INBOX')).toEqual(['m2', 'm3']);
    },
  );

  it('POP3: nothing is shared; the two copies disagree', () => {
    const o = runScenario(
      story(
        [
          { do: 'check', device: '*' },
          { do: 'fault', fault: 'offline-changes', device: 'phone', other: 'laptop', message: 'm3' },
          { do: 'check', device: '*' },
        ],
        { pop3: { leaveOnServer: true } },
      ),
      'pop3',
    ).outcome;
    expect(o.disagreeingMessages).toBe(1);
    expect(o.server.messages).toBe(3);
  });
});

describe('lockout', () => {
  const s = story([{ do: 'fault', fault: 'lockout', device: 'phone' }]);

  it('POP3: refused with -ERR [IN-USE] while another session holds the lock; nothing changes; the lock is free after', () => {
    const { world, outcome } = runScenario(s, 'pop3');
    expect(outcome.lockRefusals).toBe(1);
    const lines = transcriptLines(world.device('phone').transcript).map((l) => l.text);
    expect(lines).toContain('-ERR [IN-USE] Mailbox is locked by another POP3 session.');
    expect(outcome.devices.find((d) => d.id === 'phone')!.messages).toBe(0);
    expect(outcome.server.messages).toBe(3);
    expect(world.lockHolder()).toBeNull();
    expect(world.serverSessions()).toEqual([]);
  });

  it.skipIf(!imapAvailable)('IMAP: the POP3 lock does not stop an IMAP device', () => {
    const { outcome } = runScenario(s, 'imap');
    expect(outcome.lockRefusals).toBe(0);
    expect(outcome.devices.find((d) => d.id === 'phone')!.messages).toBe(3);
  });
});

describe('fault steps are validated like every action', () => {
  it('names the path of every problem', () => {
    const bad = (timeline: unknown[]) => {
      try {
        validateScenario({ ...story([]), timeline });
        return [];
      } catch (err) {
        return (err as ScenarioError).problems;
      }
    };
    expect(bad([{ do: 'fault', fault: 'meteor', device: 'phone' }])).toEqual([
      `timeline[0].fault: unknown fault "meteor"; use one of ${Object.keys(FAULTS).join(', ')}`,
    ]);
    expect(bad([{ do: 'fault', fault: 'delete-same', device: 'phone', message: 'm1' }])).toEqual([
      'timeline[0].other: must be a non-empty string',
    ]);
    expect(
      bad([{ do: 'fault', fault: 'delete-same', device: 'phone', other: 'phone', message: 'm1' }]),
    ).toEqual(['timeline[0].other: must be another device than device']);
    expect(
      bad([{ do: 'fault', fault: 'expunge-selected', device: 'tv', other: 'laptop', message: 'm9' }]),
    ).toEqual([
      'timeline[0].device: unknown device "tv" (known: phone, laptop)',
      'timeline[0].message: unknown message "m9" (declare it in messages or a deliver step)',
    ]);
  });

  it('a page that dispatches a bad fault is refused before anything changes', () => {
    const world = World.fromScenario(story([]), { protocol: 'pop3' });
    const before = JSON.stringify(world.save());
    expect(() => world.dispatch({ do: 'fault', fault: 'lockout', device: 'tv' } as WorldAction)).toThrow(
      WorldError,
    );
    expect(() =>
      world.dispatch({ do: 'fault', fault: 'delete-same', device: 'phone', other: 'phone', message: 'm1' }),
    ).toThrow(/action.other/);
    expect(() => world.dispatch({ do: 'fault', fault: 'x' } as unknown as WorldAction)).toThrow(
      /unknown fault/,
    );
    expect(JSON.stringify(world.save())).toBe(before);
  });
});

describe.skipIf(!imapAvailable)('faults among random steps keep the invariants', () => {
  const DEVICES = ['phone', 'laptop'];
  const device = fc.constantFrom(...DEVICES);
  const message = fc.constantFrom('m1', 'm2', 'm3');
  const pair = fc.shuffledSubarray(DEVICES, { minLength: 2, maxLength: 2 });
  const step: fc.Arbitrary<WorldAction> = fc.oneof(
    device.map((d) => ({ do: 'check', device: d }) as WorldAction),
    fc
      .tuple(fc.constantFrom('read', 'flag', 'delete'), device, message)
      .map(([a, d, m]) => ({ do: a, device: d, message: m }) as WorldAction),
    fc.constantFrom('m4', 'm5').map((id) => ({ do: 'deliver', message: { id, subject: id } }) as WorldAction),
    fc
      .tuple(fc.constantFrom('drop-before-quit', 'lockout'), device)
      .map(([fault, d]) => ({ do: 'fault', fault, device: d }) as WorldAction),
    fc
      .tuple(fc.constantFrom('delete-same', 'expunge-selected', 'offline-changes'), pair, message)
      .map(([fault, [d, other], m]) => ({ do: 'fault', fault, device: d, other, message: m }) as WorldAction),
  );
  const settings = fc.record({
    pop3: fc.record({ leaveOnServer: fc.boolean(), removeAfterDays: fc.constantFrom(null, 0) }),
    imap: fc.record({
      mode: fc.constantFrom('poll', 'idle'),
      deleteAction: fc.constantFrom('trash', 'expunge'),
    }),
  });

  it('POP3: a step without a QUIT (drop-before-quit, lockout) never removes mail; IMAP: mail leaves only by EXPUNGE', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pop3', 'imap'),
        settings,
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (protocol, set, steps) => {
          const { world, events } = worldOf(story([], set as Settings), protocol);
          for (const s of steps) {
            const before = server(world).all;
            const from = events.length;
            world.dispatch(s);
            const after = new Set(server(world).all);
            const gone = before.filter((id) => !after.has(id));
            const stepEvents = events.slice(from);
            const quits = stepEvents.some((e) => e.type === 'device.command' && e.line === 'QUIT');
            if (protocol === 'pop3' && !quits) expect(gone).toEqual([]);
            const expunged = stepEvents.some(
              (e) => e.type === 'server.store' && e.event.type === 'message.expunged',
            );
            if (gone.length) expect(expunged).toBe(true);
            if (protocol === 'imap') {
              // Every message the server no longer has was expunged by a device's own command.
              const viaExpunge = stepEvents.some(
                (e) => e.type === 'device.command' && /(EXPUNGE|MOVE)/.test(e.line),
              );
              if (gone.length) expect(viaExpunge).toBe(true);
            }
            expect(world.lockHolder()).toBeNull();
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
