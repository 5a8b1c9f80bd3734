/**
 * What the page reads of a world beyond its data: live sessions per device and on the server,
 * the maildrop lock, redo, the step history (share links replay it), the "drop" step, the lab's
 * own mailbox as a scenario, a world without IMAP's code, and the activity narration.
 */
import { describe, expect, it } from 'vitest';
import { createMailServer } from '../../src/server/core';
import { createPop3Session } from '../../src/server/pop3/session';
import { Narrator, formatTime, theDevice } from '../../src/world/narrate';
import { SCENARIOS } from '../../src/world/scenarios/index';
import { validateScenario, type Scenario } from '../../src/world/scenario';
import { World, WorldCore } from '../../src/world/world';

const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!;

function sandbox(): Scenario {
  return validateScenario({
    id: 'sandbox-test',
    title: 'Sandbox',
    summary: 'The lab mailbox with three devices.',
    claims: [],
    mailbox: 'lab',
    start: '2025-03-10T09:00:00Z',
    devices: [
      { id: 'phone', name: 'Phone', kind: 'phone' },
      { id: 'laptop', name: 'Laptop', kind: 'laptop' },
      { id: 'workpc', name: 'Work PC', kind: 'workpc' },
    ],
    timeline: [],
  });
}

const inboxSubjects = (w: WorldCore) =>
  w.mailStore.getMailbox(w.account.user, 'INBOX')!.messages.map((m) => m.uid);

describe('live sessions', () => {
  it('a terminal POP3 session: state, numbering, DELE marks and the lock', () => {
    const w = World.fromScenario(sandbox());
    expect(w.sessions('laptop')).toEqual({ sync: null, manual: null });
    w.dispatch({ do: 'manual', device: 'laptop', line: 'USER alice' });
    expect(w.sessions('laptop').manual).toMatchObject({ protocol: 'pop3', state: 'AUTHORIZATION' });
    w.dispatch({ do: 'manual', device: 'laptop', line: 'PASS wonderland' });
    w.dispatch({ do: 'manual', device: 'laptop', line: 'DELE 2' });
    const s = w.sessions('laptop').manual!;
    expect(s.state).toBe('TRANSACTION');
    expect(s.view!.uids.length).toBe(inboxSubjects(w).length);
    expect(s.view!.marked).toEqual([s.view!.uids[1]]);
    expect(w.lockHolder()).toBe('laptop');
    const onServer = w.serverSessions();
    expect(onServer).toHaveLength(1);
    expect(onServer[0]).toMatchObject({ device: 'laptop', protocol: 'pop3', holdsLock: true, user: 'alice' });

    // The phone's check is refused with [IN-USE] while the laptop holds the lock.
    const narrator = new Narrator(w);
    w.subscribe((e) => narrator.push(e));
    w.dispatch({ do: 'check', device: 'phone' });
    expect(w.device('phone').messages).toHaveLength(0);
    expect(narrator.entries.map((e) => e.text)).toContain(
      'The phone was refused: the maildrop is locked by the laptop [IN-USE].',
    );
  });

  it('a dropped connection removes nothing marked with DELE (RFC 1939 §6)', () => {
    const w = World.fromScenario(sandbox());
    const before = inboxSubjects(w);
    for (const line of ['USER alice', 'PASS wonderland', 'DELE 1', 'DELE 2'])
      w.dispatch({ do: 'manual', device: 'laptop', line });
    w.dispatch({ do: 'drop', device: 'laptop' });
    expect(w.sessions('laptop').manual).toBeNull();
    expect(w.lockHolder()).toBeNull();
    expect(inboxSubjects(w)).toEqual(before);
    expect(w.device('laptop').online).toBe(true);
    // QUIT does remove them.
    for (const line of ['USER alice', 'PASS wonderland', 'DELE 1', 'QUIT'])
      w.dispatch({ do: 'manual', device: 'laptop', line });
    expect(inboxSubjects(w)).toEqual(before.slice(1));
  });

  it('an IMAP device keeps its session open, selected on INBOX, and shows IDLE', () => {
    const w = World.fromScenario(sandbox(), { protocol: 'imap' });
    w.dispatch({ do: 'check', device: 'phone' });
    const sync = w.sessions('phone').sync!;
    expect(sync).toMatchObject({ protocol: 'imap', state: 'Selected' });
    expect(sync.view).toMatchObject({ mailbox: 'INBOX', idling: false });
    expect(sync.view!.uids).toEqual(inboxSubjects(w));
    w.dispatch({ do: 'settings', device: 'phone', settings: { imap: { mode: 'idle' } } });
    expect(w.sessions('phone').sync!.view!.idling).toBe(true);
    expect(w.serverSessions().map((s) => [s.device, s.protocol, s.holdsLock])).toEqual([
      ['phone', 'imap', false],
    ]);
  });
});

describe('undo, redo and the step history', () => {
  it('redo puts back exactly what undo took away, and a new step clears redo', () => {
    const w = World.fromScenario(scenario('three-devices-pop3'));
    w.dispatch({ do: 'check', device: 'laptop' });
    const after = w.save();
    expect(w.steps).toEqual([{ do: 'check', device: 'laptop' }]);
    expect(w.undo()).toBe(true);
    expect(w.steps).toEqual([]);
    expect(w.canRedo).toBe(true);
    expect(w.mailStore.getMailbox('alice', 'INBOX')!.messages).toHaveLength(5);
    expect(w.redo()).toBe(true);
    expect(w.steps).toEqual([{ do: 'check', device: 'laptop' }]);
    expect(w.mailStore.getMailbox('alice', 'INBOX')!.messages).toHaveLength(0);
    expect(w.save().store).toEqual(after.store);
    // The same mail on every device (transcript entries carry new sequence numbers: they never go back).
    expect(w.save().devices.map((d) => d.messages)).toEqual(after.devices.map((d) => d.messages));
    expect(w.save().devices.map((d) => d.transcript.map((t) => t.text))).toEqual(
      after.devices.map((d) => d.transcript.map((t) => t.text)),
    );
    w.undo();
    w.dispatch({ do: 'check', device: 'phone' });
    expect(w.canRedo).toBe(false);
    expect(w.redo()).toBe(false);
  });

  it('undo replays the steps before: live sessions come back (the IDLE laptop still gets pushes)', () => {
    const sc = scenario('imap-three-devices');
    const w = World.fromScenario(sc, { protocol: 'imap' });
    w.dispatch({ do: 'check', device: '*' });
    w.dispatch({ do: 'read', device: 'phone', message: 'm1' });
    w.undo();
    expect(w.sessions('laptop').sync!.view!.idling).toBe(true);
    w.dispatch({ do: 'flag', device: 'phone', message: 'm2' });
    const laptopCopy = w.device('laptop').messages.find((m) => m.messageId.startsWith('m2@'))!;
    expect(laptopCopy.flags).toContain('\\Flagged');
  });

  it('replaying the steps on the starting world gives the same mail everywhere', () => {
    const sc = scenario('imap-three-devices');
    const w = World.fromScenario(sc, { protocol: 'imap' });
    w.run(sc.timeline.slice(0, 6));
    w.dispatch({ do: 'flag', device: 'laptop', message: 'm2' });
    w.undo();
    w.dispatch({ do: 'read', device: 'workpc', message: '*' });
    const copy = World.fromScenario(sc, { protocol: 'imap' });
    copy.run(w.steps);
    expect(copy.save().store).toEqual(w.save().store);
    const mail = (x: WorldCore) =>
      x.devices().map((d) => d.messages.map((m) => [m.folder, m.subject, m.flags]));
    expect(mail(copy)).toEqual(mail(w));
  });

  it('steps survive save and load; old saves without steps load with none', () => {
    const w = World.fromScenario(scenario('three-devices-pop3'));
    w.dispatch({ do: 'check', device: 'laptop' });
    expect(World.load(JSON.stringify(w.save())).steps).toEqual([{ do: 'check', device: 'laptop' }]);
    const old = w.save() as unknown as Record<string, unknown>;
    delete old.steps;
    expect(World.load(old).steps).toEqual([]);
    expect(() => World.load({ ...old, steps: [42] })).toThrow(/steps\[0\] must be an object/);
  });
});

describe('the lab mailbox as a scenario', () => {
  it('starts with the dozen messages of the lab inbox and the special-use folders', () => {
    const w = World.fromScenario(sandbox());
    const names = w.mailStore.listMailboxes('alice').map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['INBOX', 'Sent', 'Archive', 'Trash']));
    expect(w.mailStore.getMailbox('alice', 'INBOX')!.messages.length).toBeGreaterThanOrEqual(10);
    expect(() => validateScenario({ ...sandbox(), mailbox: 'other' })).toThrow(/scenario.mailbox/);
  });
});

describe('a world without IMAP code yet (the page before IMAP loads)', () => {
  it('POP3 works; an IMAP check reports unavailable until setImapClient', async () => {
    const w = WorldCore.fromScenario(sandbox(), {
      createServer: ({ store, now }) =>
        createMailServer({ store, now, sessionFactories: { pop3: createPop3Session } }),
    });
    expect(w.imapAvailable).toBe(false);
    w.dispatch({ do: 'check', device: 'laptop' });
    expect(w.device('laptop').messages.length).toBeGreaterThan(0);
    const events: string[] = [];
    w.subscribe((e) => {
      if (e.type === 'device.check') events.push(e.result);
    });
    w.dispatch({ do: 'protocol', device: 'phone', protocol: 'imap' });
    w.dispatch({ do: 'check', device: 'phone' });
    expect(events).toEqual(['unavailable']);
    expect(() => new WorldCore(w.save())).toThrow(/needs a mail server/);
  });
});

describe('narration', () => {
  function story(id: string, protocol: 'pop3' | 'imap') {
    const sc = scenario(id);
    const w = World.fromScenario(sc, { protocol });
    const n = new Narrator(w);
    w.subscribe((e) => n.push(e));
    w.run(sc.timeline);
    return { w, texts: n.entries.map((e) => e.text), entries: n.entries };
  }

  it('names subjects as a mail app shows them (RFC 2047 encoded-words decoded)', () => {
    const w = World.fromScenario(sandbox());
    const n = new Narrator(w);
    w.subscribe((e) => n.push(e));
    w.dispatch({ do: 'check', device: 'laptop' });
    const texts = n.entries.map((e) => e.text);
    expect(texts).toContain("The laptop downloaded 'Ça va? Je suis le chat qui sourit' (RETR 4).");
    expect(texts.join('\n')).not.toContain('=?UTF-8?');
  });

  it('tells the POP3 story: downloads, DELE marks, removal at QUIT, an empty mailbox for the phone', () => {
    const { texts, entries, w } = story('three-devices-pop3', 'pop3');
    expect(texts).toContain("The laptop downloaded 'Dinner on Friday?' (RETR 1).");
    expect(texts).toContain(
      "The laptop marked 'Dinner on Friday?' for deletion (DELE); it leaves the server only at QUIT.",
    );
    expect(texts).toContain("The server removed 5 messages when the laptop's POP3 session ended with QUIT.");
    expect(texts).toContain('The phone checked mail over POP3 and found nothing new.');
    expect(texts).toContain(
      "On the laptop: marked read 'Dinner on Friday?' on the device only: POP3 has no way to tell the server.",
    );
    // Five downloads in one step: four sentences and one that counts the rest.
    expect(texts).toContain('The laptop downloaded 1 more message.');
    // Each download points at its RETR and reply in the laptop's transcript.
    const dl = entries.find((e) => e.text.startsWith("The laptop downloaded 'Dinner"))!;
    const lines = w
      .device('laptop')
      .transcript.filter((t) => t.seq! >= dl.lines!.from && t.seq! <= dl.lines!.to);
    expect(lines[0]).toMatchObject({ dir: 'C', text: 'RETR 1' });
    expect(lines[1].text).toMatch(/^\+OK/);
  });

  it('tells the IMAP story: copies stay on the server, flags travel to the other devices', () => {
    const { texts } = story('imap-three-devices', 'imap');
    expect(texts).toContain(
      "The phone copied 'Team lunch' from INBOX (UID FETCH 1:5 … BODY.PEEK[]); the server keeps the original.",
    );
    expect(texts).toContain("The server stored 'Contract to sign' with \\Flagged (from the phone).");
    expect(texts).toContain(
      "The laptop learned from the server that 'Contract to sign' is now unread, flagged.",
    );
    expect(texts).toContain(
      "The phone moved 'Receipt for your order' out of INBOX on the server; every device sees it go.",
    );
  });

  it('names devices and times as a person would', () => {
    expect(theDevice('Work PC', true)).toBe('The work PC');
    expect(theDevice('Phone 2')).toBe('the phone 2');
    expect(theDevice("Alice's iPad")).toBe("Alice's iPad");
    expect(formatTime(Date.parse('2025-01-06T09:05:00Z'))).toBe('Mon 6 Jan 2025, 09:05');
  });
});

describe('removing a device', () => {
  it('drops its sessions (a POP3 lock is released) and takes it out of the world', () => {
    const w = World.fromScenario(sandbox());
    w.dispatch({ do: 'manual', device: 'laptop', line: 'USER alice' });
    w.dispatch({ do: 'manual', device: 'laptop', line: 'PASS wonderland' });
    expect(w.lockHolder()).toBe('laptop');
    w.dispatch({ do: 'removeDevice', device: 'laptop' });
    expect(w.deviceIds).toEqual(['phone', 'workpc']);
    expect(w.lockHolder()).toBeNull();
    expect(() => w.dispatch({ do: 'removeDevice', device: 'laptop' })).toThrow(/no device/);
    w.undo();
    expect(w.deviceIds).toContain('laptop');
    expect(World.load(w.save()).deviceIds).toContain('laptop');
  });
});

describe('connect', () => {
  it('opens the terminal session and shows the greeting without sending anything', () => {
    const w = World.fromScenario(sandbox());
    w.dispatch({ do: 'connect', device: 'laptop' });
    expect(w.sessions('laptop').manual).toMatchObject({ protocol: 'pop3', state: 'AUTHORIZATION' });
    const t = w.device('laptop').transcript;
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ dir: 'S' });
    expect(t[0].text).toMatch(/^\+OK/);
    // A second connect keeps the same session.
    w.dispatch({ do: 'connect', device: 'laptop' });
    expect(w.device('laptop').transcript).toHaveLength(1);
  });
});

describe('rewind (several undos in one replay)', () => {
  it('goes back to the world as it was with that many steps; redo brings the steps back in order', () => {
    const w = World.fromScenario(sandbox());
    const lines = ['USER alice', 'PASS wonderland', 'DELE 1', 'DELE 2', 'QUIT'];
    for (const line of lines) w.dispatch({ do: 'manual', device: 'laptop', line });
    expect(inboxSubjects(w)).toHaveLength(10);
    const heard: string[] = [];
    w.subscribe((e) => heard.push(e.type));
    expect(w.rewind(3)).toBe(true);
    // One event for the whole rewind; the replay is silent.
    expect(heard).toEqual(['world.undo']);
    expect(w.steps).toHaveLength(3);
    expect(inboxSubjects(w)).toHaveLength(12);
    expect(w.sessions('laptop').manual!.view!.marked).toEqual([1]);
    expect(w.lockHolder()).toBe('laptop');
    expect(w.redo()).toBe(true);
    expect(w.sessions('laptop').manual!.view!.marked).toEqual([1, 2]);
    expect(w.redo()).toBe(true);
    expect(inboxSubjects(w)).toHaveLength(10);
    expect(w.redo()).toBe(false);
  });

  it('refuses what undo could not do, and changes nothing', () => {
    const w = World.fromScenario(sandbox());
    w.dispatch({ do: 'manual', device: 'laptop', line: 'USER alice' });
    for (const n of [1, 2, -1, 0.5, Number.NaN]) expect(w.rewind(n)).toBe(false);
    expect(w.steps).toHaveLength(1);
    const shallow = World.fromScenario(sandbox(), { undoDepth: 1 });
    for (const line of ['USER alice', 'PASS wonderland'])
      shallow.dispatch({ do: 'manual', device: 'laptop', line });
    expect(shallow.rewind(0)).toBe(false);
    expect(shallow.rewind(1)).toBe(true);
    expect(shallow.sessions('laptop').manual!.state).toBe('AUTHORIZATION');
  });
});
