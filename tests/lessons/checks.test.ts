/** Every check of the goal vocabulary: its verdict, and what it says it found and wants. */
import { describe, expect, it } from 'vitest';
import { evaluateCheck, type CheckContext } from '../../src/lessons/checks';
import type { Check } from '../../src/lessons/schema';
import { catalogue, translator } from '../../src/lessons/strings';
import { EventTracker } from '../../src/lessons/tracker';
import type { Scenario } from '../../src/world/scenario';
import { World } from '../../src/world/world';
import { labScenario } from './helpers';

function lab(extra: Partial<Scenario> = {}) {
  const scenario = labScenario(extra);
  const world = World.fromScenario(scenario);
  const tracker = new EventTracker(world);
  let stepFacts = 0;
  let stepClock = world.now;
  const ctx = (): CheckContext => ({
    world,
    scenario,
    facts: tracker.facts,
    stepFacts,
    lessonFacts: 0,
    stepClock,
    lessonClock: scenario.start ? Date.parse(scenario.start) : Date.parse('2025-01-06T09:00:00Z'),
  });
  const judge = (check: Check) => evaluateCheck(check, ctx());
  const type = (device: string, ...lines: string[]) =>
    lines.forEach((line) => world.dispatch({ do: 'manual', device, line }));
  const newStep = () => {
    stepFacts = tracker.facts.length;
    stepClock = world.now;
  };
  return { world, tracker, judge, type, newStep };
}

const LATE = "I'm late! The meeting moved to 3 o'clock";

describe('session', () => {
  it('follows the terminal session from none to AUTHORIZATION to TRANSACTION', () => {
    const { judge, type } = lab();
    const goal: Check = { session: { device: 'laptop', via: 'terminal', state: 'TRANSACTION' } };
    expect(judge(goal)).toMatchObject({
      met: false,
      text: 'The laptop has no open terminal session; the goal is TRANSACTION.',
    });
    type('laptop', 'USER alice');
    expect(judge(goal).text).toBe(
      "The laptop's terminal session is in the AUTHORIZATION state; the goal is TRANSACTION.",
    );
    type('laptop', 'PASS wonderland');
    expect(judge(goal)).toEqual({
      met: true,
      found: "The laptop's terminal session is in the TRANSACTION state",
      text: "The laptop's terminal session is in the TRANSACTION state.",
    });
    expect(judge({ session: { device: 'laptop', via: 'app', state: 'TRANSACTION' } }).met).toBe(false);
    expect(judge({ session: { device: 'laptop', state: 'none' } }).met).toBe(false);
  });

  it('counts DELE marks and says so', () => {
    const { judge, type } = lab();
    type('laptop', 'USER alice', 'PASS wonderland', 'DELE 1');
    expect(judge({ session: { device: 'laptop', marked: 2 } }).text).toBe(
      "The laptop's terminal session is in the TRANSACTION state, 1 marked for deletion; the goal is 2 marked for deletion.",
    );
    expect(judge({ session: { device: 'laptop', marked: 1 } }).met).toBe(true);
  });

  it('knows the selected mailbox and IDLE of an IMAP session', () => {
    const { judge, type } = lab();
    type('tablet', 'a1 LOGIN alice wonderland');
    expect(judge({ session: { device: 'tablet', state: 'Selected', mailbox: 'inbox' } }).text).toBe(
      "The tablet's terminal session is in the Authenticated state, no mailbox selected; the goal is Selected, inbox selected.",
    );
    type('tablet', 'a2 SELECT INBOX');
    expect(judge({ session: { device: 'tablet', state: 'Selected', mailbox: 'inbox' } }).met).toBe(true);
    expect(judge({ session: { device: 'tablet', idling: true } }).met).toBe(false);
    type('tablet', 'a3 IDLE');
    expect(judge({ session: { device: 'tablet', idling: true } }).met).toBe(true);
  });

  it('an unknown device is unmet and named', () => {
    const { judge } = lab();
    expect(judge({ session: { device: 'ghost', state: 'none' } })).toMatchObject({
      met: false,
      text: 'There is no device "ghost" in this lesson yet; the goal is that it is there (add it first).',
    });
  });
});

describe('server', () => {
  it('counts messages in a folder', () => {
    const { judge, type } = lab();
    expect(judge({ server: { folder: 'INBOX', count: 0 } }).text).toBe(
      'The server holds 12 messages in INBOX; the goal is 0 messages.',
    );
    expect(judge({ server: { atLeast: 10, atMost: 12 } }).met).toBe(true);
    expect(judge({ server: { folder: 'Archive', count: 1 } }).text).toBe('The server holds 1 message in Archive.');
    type('laptop', 'USER alice', 'PASS wonderland', 'DELE 1', 'QUIT');
    expect(judge({ server: { count: 11 } }).met).toBe(true);
  });

  it('holds or lacks a message by subject, with flags', () => {
    const { judge, type } = lab();
    expect(judge({ server: { has: LATE } }).met).toBe(true);
    expect(judge({ server: { lacks: LATE } }).text).toBe(
      `The server's INBOX holds '${LATE}'; the goal is that it no longer holds it.`,
    );
    expect(judge({ server: { has: LATE, flags: ['\\Seen'] } }).text).toBe(
      `The server's INBOX holds '${LATE}' with flags (none); the goal is that it holds it with \\Seen and without (none).`,
    );
    type('tablet', 'a1 LOGIN alice wonderland', 'a2 SELECT INBOX', 'a3 STORE 1 +FLAGS (\\Seen)');
    expect(judge({ server: { has: LATE, flags: ['\\seen'] } }).met).toBe(true);
    expect(judge({ server: { has: LATE, notFlags: ['\\Seen'] } }).met).toBe(false);
    // Encoded-words are matched decoded, and as written.
    expect(judge({ server: { has: 'Ça va? Je suis le chat qui sourit' } }).met).toBe(true);
    expect(judge({ server: { has: '=?UTF-8?B?w4dhIHZhPyBKZSBzdWlzIGxlIGNoYXQgcXVpIHNvdXJpdA==?=' } }).met).toBe(true);
  });

  it('knows whether a folder exists', () => {
    const { judge, type } = lab();
    expect(judge({ server: { folder: 'Projects', exists: true } }).text).toBe(
      'The server has no folder Projects; the goal is that it has one.',
    );
    type('tablet', 'a1 LOGIN alice wonderland', 'a2 CREATE Projects');
    expect(judge({ server: { folder: 'Projects', exists: true } }).met).toBe(true);
    expect(judge({ server: { folder: 'Projects', exists: false } }).met).toBe(false);
    // A folder that is not there holds nothing, and the text says why.
    expect(judge({ server: { folder: 'Nowhere', count: 0 } })).toMatchObject({
      met: true,
      text: 'The server has no folder Nowhere.',
    });
    expect(judge({ server: { folder: 'Nowhere', has: LATE } }).text).toBe(
      'The server has no folder Nowhere; the goal is that it holds it.',
    );
  });
});

describe('device', () => {
  it('counts, holds and lacks local copies, in a folder, with flags', () => {
    const { judge, world } = lab();
    expect(judge({ device: { device: 'phone', count: 12 } }).text).toBe(
      'The phone holds 0 messages; the goal is 12 messages.',
    );
    world.dispatch({ do: 'check', device: 'phone' });
    expect(judge({ device: { device: 'phone', count: 12 } }).met).toBe(true);
    expect(judge({ device: { device: 'phone', folder: 'INBOX', has: LATE } }).text).toBe(
      `The phone holds '${LATE}' in INBOX.`,
    );
    const m1 = world.device('phone').messages[0].messageId;
    world.dispatch({ do: 'read', device: 'phone', message: m1 });
    expect(judge({ device: { device: 'phone', has: LATE, flags: ['\\Seen'] } }).met).toBe(true);
    world.dispatch({ do: 'createFolder', device: 'phone', name: 'Old' });
    world.dispatch({ do: 'move', device: 'phone', message: m1, to: 'Old' });
    expect(judge({ device: { device: 'phone', folder: 'Old', exists: true } }).met).toBe(true);
    expect(judge({ device: { device: 'phone', folder: 'INBOX', lacks: LATE } }).met).toBe(true);
    expect(judge({ device: { device: 'phone', folder: 'Old', lacks: LATE } }).text).toBe(
      `The phone holds '${LATE}' in Old; the goal is that it no longer holds it.`,
    );
  });

  it('lost and online', () => {
    const { judge, world } = lab();
    expect(judge({ device: { device: 'phone', lost: true } }).text).toBe(
      'The phone is not lost; the goal is that it is.',
    );
    world.dispatch({ do: 'offline', device: 'phone' });
    expect(judge({ device: { device: 'phone', online: false } }).met).toBe(true);
    world.dispatch({ do: 'lose', device: 'phone' });
    expect(judge({ device: { device: 'phone', lost: true } })).toMatchObject({ met: true, text: 'The phone is lost.' });
  });
});

describe('storage', () => {
  it('bytes against bounds and the quota', () => {
    const { judge, world } = lab({ storage: { quotaBytes: 20_000, pricePerGBMonth: 2 } });
    const bytes = world.mailStore.storageBytes('alice');
    expect(bytes).toBe(11_358);
    expect(judge({ storage: { atMost: 10_000 } }).text).toBe(
      'The server stores 11,358 octets for alice; the goal is at most 10,000 octets.',
    );
    expect(judge({ storage: { atLeast: 10_000, atMost: 20_000 } }).met).toBe(true);
    expect(judge({ storage: { overQuota: true } }).text).toBe(
      'The server stores 11,358 octets for alice, against a quota of 20,000 octets; the goal is more than the quota.',
    );
    expect(judge({ storage: { overQuota: false } }).met).toBe(true);
    const noQuota = lab();
    expect(noQuota.judge({ storage: { overQuota: false } })).toMatchObject({
      met: false,
      text: 'This lesson has no storage quota; the goal is no more than the quota.',
    });
  });
});

describe('sent', () => {
  it('a command and its reply status, on the terminal or in the app', () => {
    const { judge, type, world } = lab();
    type('laptop', 'USER alice', 'PASS nope');
    expect(judge({ sent: { device: 'laptop', command: 'PASS', status: '+OK' } }).text).toBe(
      'The laptop has not sent PASS with the reply +OK during this step (replies: -ERR); the goal is that it does.',
    );
    expect(judge({ sent: { device: 'laptop', command: 'pass', status: '-ERR' } }).met).toBe(true);
    type('laptop', 'USER alice', 'PASS wonderland', 'QUIT');
    expect(judge({ sent: { device: 'laptop', command: 'PASS', status: '+OK' } }).met).toBe(true);
    world.dispatch({ do: 'check', device: 'phone' });
    expect(judge({ sent: { device: 'phone', command: 'RETR', times: 12, via: 'app' } }).text).toBe(
      'The phone has sent RETR 12 times during this step.',
    );
    expect(judge({ sent: { device: 'phone', command: 'RETR', via: 'terminal' } }).met).toBe(false);
    expect(judge({ sent: { device: 'phone', command: 'DELE', status: '+OK', times: 13 } }).met).toBe(false);
  });

  it('IMAP status by tag, on the terminal (one reply) and a whole line', () => {
    const { judge, type } = lab();
    type('tablet', 'LOGIN alice wonderland', 'a1 LOGIN alice wonderland', 'a2 SELECT Nowhere');
    expect(judge({ sent: { device: 'tablet', line: 'LOGIN alice', status: 'BAD' } }).met).toBe(true);
    expect(judge({ sent: { device: 'tablet', command: 'LOGIN', status: 'OK' } }).met).toBe(true);
    expect(judge({ sent: { device: 'tablet', command: 'SELECT', status: 'NO' } }).met).toBe(true);
    expect(judge({ sent: { device: 'tablet', command: 'SELECT Nowhere', status: 'OK' } }).met).toBe(false);
  });

  it('counts only this step unless asked for the lesson', () => {
    const { judge, type, newStep } = lab();
    type('laptop', 'USER alice');
    newStep();
    expect(judge({ sent: { device: 'laptop', command: 'USER' } }).met).toBe(false);
    expect(judge({ sent: { device: 'laptop', command: 'USER', since: 'lesson' } }).text).toBe(
      'The laptop has sent USER once since the lesson began.',
    );
  });
});

describe('event', () => {
  it('a login refused with [IN-USE], and a dropped connection', () => {
    const { judge, type, world } = lab();
    type('laptop', 'USER alice', 'PASS wonderland');
    world.dispatch({ do: 'check', device: 'phone' });
    expect(judge({ event: { type: 'lock-refused', device: 'phone' } }).text).toBe(
      'Logins refused with [IN-USE] (maildrop locked) by the phone: 1 during this step.',
    );
    expect(judge({ event: { type: 'check', device: 'phone', result: 'locked' } }).met).toBe(true);
    expect(judge({ event: { type: 'dropped', device: 'laptop' } }).met).toBe(false);
    world.dispatch({ do: 'drop', device: 'laptop' });
    expect(judge({ event: { type: 'dropped', device: 'laptop' } }).met).toBe(true);
  });

  it('EXPUNGE seen by another session, and messages expunged on the server', () => {
    const { judge, type } = lab();
    type('tablet', 'a1 LOGIN alice wonderland', 'a2 SELECT INBOX');
    type('laptop', 'USER alice', 'PASS wonderland', 'DELE 1', 'DELE 2', 'QUIT');
    expect(judge({ event: { type: 'expunged', folder: 'INBOX', times: 2 } }).met).toBe(true);
    expect(judge({ event: { type: 'expunge-seen', device: 'tablet' } }).text).toBe(
      'EXPUNGE responses received by the tablet: 0 during this step; the goal is at least 1.',
    );
    type('tablet', 'a3 NOOP');
    expect(judge({ event: { type: 'expunge-seen', device: 'tablet', times: 2 } }).met).toBe(true);
  });

  it('a message downloaded twice, and a device lost', () => {
    const { judge, world } = lab();
    world.dispatch({ do: 'settings', device: 'phone', settings: { pop3: { leaveOnServer: true } } });
    world.dispatch({ do: 'check', device: 'phone' });
    world.dispatch({ do: 'protocol', device: 'phone', protocol: 'imap' });
    world.dispatch({ do: 'protocol', device: 'phone', protocol: 'pop3' });
    world.dispatch({ do: 'check', device: 'phone' });
    expect(judge({ event: { type: 'downloaded', subject: LATE, times: 2 } }).text).toBe(
      `Downloads of '${LATE}': 2 during this step.`,
    );
    expect(judge({ event: { type: 'downloaded', device: 'phone', times: 25 } }).met).toBe(false);
    world.dispatch({ do: 'lose', device: 'phone' });
    expect(judge({ event: { type: 'device-lost', device: 'phone' } }).text).toBe('The phone lost: 1 during this step.');
  });

  it('data pushed during IDLE, flags and folders learned from the server', () => {
    const scenario = labScenario();
    const { judge, type, world } = lab({
      devices: [
        ...scenario.devices,
        { id: 'workpc', name: 'Work PC', kind: 'workpc', protocol: 'imap', settings: { imap: { mode: 'idle' } } },
      ],
    });
    world.dispatch({ do: 'check', device: 'workpc' });
    type('tablet', 'a1 LOGIN alice wonderland', 'a2 SELECT INBOX', 'a3 STORE 1 +FLAGS (\\Flagged)', 'a4 CREATE Plans');
    expect(judge({ event: { type: 'pushed', device: 'workpc' } }).met).toBe(true);
    expect(judge({ event: { type: 'flags-synced', device: 'workpc', subject: LATE } }).met).toBe(true);
    expect(judge({ event: { type: 'folder-synced', device: 'workpc', folder: 'Plans' } }).met).toBe(false);
    world.dispatch({ do: 'check', device: 'workpc', full: true });
    expect(judge({ event: { type: 'folder-synced', device: 'workpc', folder: 'Plans' } }).met).toBe(true);
  });
});

describe('clock and lock', () => {
  it('days passed since the step or the lesson', () => {
    const { judge, world, newStep } = lab();
    expect(judge({ clock: { days: 2 } }).text).toBe(
      '0 minutes of virtual time have passed during this step; the goal is at least 2 days.',
    );
    world.dispatch({ do: 'advance', days: 3 });
    expect(judge({ clock: { days: 2 } }).text).toBe('3 days of virtual time have passed during this step.');
    newStep();
    world.dispatch({ do: 'advance', hours: 5 });
    expect(judge({ clock: { days: 2 } }).met).toBe(false);
    expect(judge({ clock: { hours: 77, since: 'lesson' } }).met).toBe(true);
  });

  it('who holds the maildrop lock', () => {
    const { judge, type } = lab();
    expect(judge({ lock: { holder: 'laptop' } }).text).toBe(
      'Nobody holds the maildrop lock; the goal is that the laptop holds it.',
    );
    type('laptop', 'USER alice', 'PASS wonderland');
    expect(judge({ lock: { holder: 'laptop' } }).met).toBe(true);
    expect(judge({ lock: { free: true } }).text).toBe(
      'The maildrop lock is held by the laptop; the goal is that nobody holds it.',
    );
  });
});

describe('all, any, not', () => {
  it('combine verdicts and explain the parts still missing', () => {
    const { judge, type } = lab();
    type('laptop', 'USER alice', 'PASS wonderland');
    const all: Check = {
      all: [{ lock: { holder: 'laptop' } }, { server: { count: 0 } }, { session: { device: 'laptop', marked: 1 } }],
    };
    const v = judge(all);
    expect(v.met).toBe(false);
    expect(v.parts!.map((p) => p.met)).toEqual([true, false, false]);
    expect(v.text).toBe(
      "The server holds 12 messages in INBOX; the goal is 0 messages. The laptop's terminal session is in the TRANSACTION state, 0 marked for deletion; the goal is 1 marked for deletion.",
    );
    const any = judge({ any: [{ server: { count: 0 } }, { lock: { holder: 'laptop' } }] });
    expect(any).toMatchObject({ met: true, text: 'The maildrop lock is held by the laptop.' });
    expect(judge({ any: [{ server: { count: 0 } }, { lock: { free: true } }] }).text).toMatch(/^None of these yet: /);
    expect(judge({ not: { lock: { holder: 'laptop' } } })).toMatchObject({
      met: false,
      text: 'The maildrop lock is held by the laptop; the goal is the opposite.',
    });
    expect(judge({ not: { server: { count: 0 } } })).toMatchObject({
      met: true,
      text: 'The server holds 12 messages in INBOX.',
    });
  });

  it('speak another language when given a catalogue', () => {
    const { world, tracker } = lab();
    const t = translator(catalogue({ 'server.count': 'le serveur garde {count} dans {folder}', 'count.messages.other': '{n} messages' }));
    const v = evaluateCheck(
      { server: { count: 0 } },
      { world, scenario: labScenario(), facts: tracker.facts, stepFacts: 0, lessonFacts: 0, stepClock: 0, lessonClock: 0, t },
    );
    expect(v.text).toBe('Le serveur garde 12 messages dans INBOX; the goal is 0 messages.');
  });
});
