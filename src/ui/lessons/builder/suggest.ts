/**
 * Goal suggestions for a recorded lesson. The recording is played again from its start in two
 * worlds that move in step: before each step the first world is pictured, the step is played,
 * and what changed (a session's state, a folder's count, a message gone or flagged, the lock, a
 * command and its reply, a refused login, time) becomes a candidate check. Each candidate is
 * kept only if the lesson engine's own checker says it is met after the step and not met before
 * it (the second world, one step behind), so every suggestion passes `npm run lessons -- check`.
 */
import { entryAction } from '../../../lessons/parse';
import { evaluateCheck, readableSubject, type CheckContext } from '../../../lessons/checks';
import { EventTracker, type Fact } from '../../../lessons/tracker';
import type { LessonWorldFactory } from '../../../lessons/engine';
import type { Check, SolutionEntry } from '../../../lessons/schema';
import { summarizeHeader } from '../../../client/summary';
import type { LiveSession, WorldCore } from '../../../world/core';
import type { Scenario } from '../../../world/scenario';

export interface Suggestion {
  check: Check;
  /** What the checker says about it after the step ("The laptop's terminal session is in…"). */
  text: string;
}

interface SessionPicture {
  state: string;
  mailbox: string | null;
  marked: number;
  idling: boolean;
}

interface DevicePicture {
  lost: boolean;
  online: boolean;
  count: number;
  folders: string[];
  /** Subject -> flags of the first message with that subject. */
  messages: Map<string, readonly string[]>;
  terminal: SessionPicture | null;
  app: SessionPicture | null;
}

interface Picture {
  now: number;
  /** Folder -> subject -> flags. */
  server: Map<string, Map<string, readonly string[]>>;
  counts: Map<string, number>;
  devices: Map<string, DevicePicture>;
  lock: string | null;
}

function session(s: LiveSession | null): SessionPicture | null {
  return s
    ? { state: s.state, mailbox: s.view?.mailbox ?? null, marked: s.view?.marked.length ?? 0, idling: !!s.view?.idling }
    : null;
}

function picture(world: WorldCore): Picture {
  const server = new Map<string, Map<string, readonly string[]>>();
  const counts = new Map<string, number>();
  for (const mb of world.mailStore.listMailboxes(world.account.user)) {
    const bySubject = new Map<string, readonly string[]>();
    for (const m of mb.messages) {
      const subject = readableSubject(summarizeHeader(m.raw).subject);
      if (!bySubject.has(subject)) bySubject.set(subject, [...m.flags]);
    }
    server.set(mb.name, bySubject);
    counts.set(mb.name, mb.messages.length);
  }
  const devices = new Map<string, DevicePicture>();
  for (const id of world.deviceIds) {
    const d = world.device(id);
    const s = world.sessions(id);
    const messages = new Map<string, readonly string[]>();
    for (const m of d.messages) if (!messages.has(m.subject)) messages.set(m.subject, [...m.flags]);
    devices.set(id, {
      lost: d.lost,
      online: d.online,
      count: d.messages.length,
      folders: d.folders.map((f) => f.name),
      messages,
      terminal: session(s.manual),
      app: session(s.sync),
    });
  }
  return { now: world.now, server, counts, devices, lock: world.lockHolder() };
}

const NEW_DEVICE: DevicePicture = {
  lost: false,
  online: true,
  count: 0,
  folders: [],
  messages: new Map(),
  terminal: null,
  app: null,
};
const SIMPLE_SUBJECT = /^[^\r\n]{1,200}$/;
const added = (a: readonly string[], b: readonly string[]) => b.filter((f) => !a.includes(f));

/**
 * Candidate checks from what changed between two pictures and the facts of the step, most
 * telling first: where the mail is (server, devices), then sessions and the lock, then what was
 * said on the wire, then time.
 */
function candidates(before: Picture, after: Picture, facts: readonly Fact[]): Check[] {
  const out: Check[] = [];
  for (const [folder, n] of after.counts)
    if (n !== (before.counts.get(folder) ?? -1)) out.push({ server: { folder, count: n } });
  for (const folder of after.counts.keys())
    if (!before.counts.has(folder)) out.push({ server: { folder, exists: true } });
  for (const folder of before.counts.keys())
    if (!after.counts.has(folder)) out.push({ server: { folder, exists: false } });
  for (const [id, d] of after.devices) {
    // A device added during the step starts from nothing.
    const b = before.devices.get(id) ?? NEW_DEVICE;
    if (d.lost !== b.lost) out.push({ device: { device: id, lost: d.lost } });
    if (d.online !== b.online) out.push({ device: { device: id, online: d.online } });
    if (d.count !== b.count) out.push({ device: { device: id, count: d.count } });
    const made = d.folders.filter((f) => !b.folders.includes(f) && f !== 'INBOX');
    for (const f of made.slice(0, 2)) out.push({ device: { device: id, folder: f, exists: true } });
  }
  // Messages: gone from the server, arrived, flags changed (a few of each: the teacher picks).
  for (const [folder, subjects] of after.server) {
    const was = before.server.get(folder) ?? new Map<string, readonly string[]>();
    let n = 0;
    for (const [subject, flags] of subjects) {
      if (!SIMPLE_SUBJECT.test(subject) || n >= 3) continue;
      const old = was.get(subject);
      if (!old) {
        out.push({ server: { folder, has: subject } });
        n++;
      } else if (added(old, flags).length) {
        out.push({ server: { folder, has: subject, flags: added(old, flags) } });
        n++;
      } else if (added(flags, old).length) {
        out.push({ server: { folder, has: subject, notFlags: added(flags, old) } });
        n++;
      }
    }
    n = 0;
    for (const subject of was.keys())
      if (!subjects.has(subject) && SIMPLE_SUBJECT.test(subject) && n++ < 2) out.push({ server: { folder, lacks: subject } });
  }
  for (const [id, d] of after.devices) {
    const was = before.devices.get(id)?.messages ?? new Map<string, readonly string[]>();
    let n = 0;
    for (const [subject, flags] of d.messages) {
      if (!SIMPLE_SUBJECT.test(subject) || n >= 2) continue;
      const old = was.get(subject);
      if (old && added(old, flags).length) {
        out.push({ device: { device: id, has: subject, flags: added(old, flags) } });
        n++;
      }
    }
  }
  // The sessions and the lock: what a login or a QUIT step is about when no mail moved.
  for (const [id, d] of after.devices) {
    const b = before.devices.get(id);
    const t = d.terminal;
    const bt = b?.terminal ?? null;
    if ((t?.state ?? 'none') !== (bt?.state ?? 'none'))
      out.push({ session: { device: id, via: 'terminal', state: (t?.state ?? 'none') as never } });
    else if (t && bt && t.marked !== bt.marked) out.push({ session: { device: id, via: 'terminal', marked: t.marked } });
    if (t?.mailbox && t.mailbox !== bt?.mailbox && t.state === 'Selected')
      out.push({ session: { device: id, via: 'terminal', mailbox: t.mailbox } });
    if (t && t.idling !== (bt?.idling ?? false)) out.push({ session: { device: id, via: 'terminal', idling: t.idling } });
    if (d.app && d.app.idling !== (b?.app?.idling ?? false)) out.push({ session: { device: id, via: 'app', idling: d.app.idling } });
  }
  if (after.lock !== before.lock) out.push({ lock: after.lock ? { holder: after.lock } : { free: true } });
  // What happened during the step: commands typed on a terminal with their reply, refused logins…
  const seen = new Set<string>();
  for (const f of [...facts].reverse()) {
    let c: Check | null = null;
    if (f.kind === 'command' && f.via === 'terminal' && f.status) {
      const words = f.command.split(/\s+/);
      const verb = /^UID$/i.test(words[0]) && words[1] ? `${words[0]} ${words[1]}` : words[0];
      if (verb) c = { sent: { device: f.device, command: verb.toUpperCase(), status: f.status as never } };
    } else if (f.kind === 'lock-refused' && f.device) c = { event: { type: 'lock-refused', device: f.device } };
    else if (f.kind === 'expunge-seen') c = { event: { type: 'expunge-seen', device: f.device } };
    else if (f.kind === 'pushed') c = { event: { type: 'pushed', device: f.device } };
    else if (f.kind === 'dropped') c = { event: { type: 'dropped', device: f.device } };
    else if (f.kind === 'check' && f.result !== 'ok') c = { event: { type: 'check', device: f.device, result: f.result as never } };
    if (!c) continue;
    const key = JSON.stringify(c);
    if (!seen.has(key)) out.push(c);
    seen.add(key);
  }
  const ms = after.now - before.now;
  if (ms >= 86_400_000) out.push({ clock: { days: Math.floor(ms / 86_400_000) } });
  else if (ms >= 3_600_000) out.push({ clock: { hours: Math.floor(ms / 3_600_000) } });
  return out;
}

/** A world with the engine's event tracker, as the lesson engine keeps one. */
class Player {
  readonly world: WorldCore;
  readonly tracker: EventTracker;
  lessonFacts = 0;
  lessonClock = 0;
  stepFacts = 0;
  stepClock = 0;

  constructor(
    private readonly scenario: Scenario,
    createWorld: LessonWorldFactory,
    protocol?: 'pop3' | 'imap',
  ) {
    this.world = createWorld(scenario, protocol ? { protocol } : {});
    this.tracker = new EventTracker(this.world);
  }

  play(entries: readonly SolutionEntry[]): void {
    for (const e of entries) this.world.dispatch(entryAction(e));
  }

  beginLesson(): void {
    this.lessonFacts = this.stepFacts = this.tracker.facts.length;
    this.lessonClock = this.stepClock = this.world.now;
  }

  beginStep(): void {
    this.stepFacts = this.tracker.facts.length;
    this.stepClock = this.world.now;
  }

  context(): CheckContext {
    return {
      world: this.world,
      scenario: this.scenario,
      facts: this.tracker.facts,
      stepFacts: this.stepFacts,
      lessonFacts: this.lessonFacts,
      stepClock: this.stepClock,
      lessonClock: this.lessonClock,
    };
  }

  dispose(): void {
    this.tracker.dispose();
    this.world.dispose();
  }
}

/**
 * Suggestions for each step (most telling first). A step the world refuses while replaying
 * ends the suggestions there (the builder's check then says why).
 */
export function suggestGoals(
  scenario: Scenario,
  setup: readonly SolutionEntry[],
  steps: readonly (readonly SolutionEntry[])[],
  createWorld: LessonWorldFactory,
  protocol?: 'pop3' | 'imap',
): Suggestion[][] {
  const ahead = new Player(scenario, createWorld, protocol);
  const behind = new Player(scenario, createWorld, protocol);
  const out: Suggestion[][] = [];
  try {
    ahead.play(setup);
    behind.play(setup);
    ahead.beginLesson();
    behind.beginLesson();
    for (const entries of steps) {
      const before = picture(ahead.world);
      ahead.beginStep();
      behind.beginStep();
      ahead.play(entries);
      const after = picture(ahead.world);
      const facts = ahead.tracker.facts.slice(ahead.stepFacts);
      const kept: Suggestion[] = [];
      for (const check of candidates(before, after, facts)) {
        const now = evaluateCheck(check, ahead.context());
        if (!now.met || evaluateCheck(check, behind.context()).met) continue;
        kept.push({ check, text: now.text });
      }
      out.push(kept);
      behind.play(entries);
    }
  } catch {
    // A refused step: the suggestions so far stand.
  } finally {
    ahead.dispose();
    behind.dispose();
  }
  return out;
}
