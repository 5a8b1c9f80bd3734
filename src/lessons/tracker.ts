/**
 * What happened, as it happened: the lesson engine subscribes to the world and keeps the facts
 * goals count (commands and their reply status, refused logins, EXPUNGEs seen, downloads, pushes
 * during IDLE, lost devices...). `world.log` is bounded and a year of traffic would push a
 * lesson's events out of it; the tracker keeps only what lessons ask about.
 *
 * Facts are append-only, so "since the step began" is an index. Undo replays the world silently
 * and then announces `world.undo`: the tracker goes back to what it knew when the world last had
 * that many steps (a snapshot is taken as each step begins).
 */
import type { Protocol } from '../server/types';
import type { WorldEvent } from '../world/events';
import type { WorldCore } from '../world/core';

export type Fact =
  | {
      kind: 'command';
      seq: number;
      device: string;
      protocol: Protocol;
      /** The line as sent, and without its IMAP tag. */
      line: string;
      command: string;
      tag: string | null;
      via: 'terminal' | 'app';
      /** +OK / -ERR / OK / NO / BAD once the reply came. */
      status: string | null;
    }
  | { kind: 'lock-refused'; seq: number; device: string | null }
  | { kind: 'expunge-seen'; seq: number; device: string }
  | { kind: 'expunged'; seq: number; folder: string }
  | { kind: 'delivered'; seq: number; folder: string }
  | { kind: 'downloaded'; seq: number; device: string; subject: string; folder: string }
  | { kind: 'device-lost'; seq: number; device: string }
  | { kind: 'pushed'; seq: number; device: string }
  | { kind: 'flags-synced'; seq: number; device: string; subject: string; folder: string }
  | { kind: 'folder-synced'; seq: number; device: string; folder: string }
  | { kind: 'removed'; seq: number; device: string; folder: string; subject: string }
  | { kind: 'dropped'; seq: number; device: string }
  | { kind: 'check'; seq: number; device: string; result: string };

interface DeviceWire {
  /** Index of the terminal command whose reply comes next (the terminal answers in one piece). */
  terminalAwait: number | null;
  /** Tag of the terminal's IDLE command while it lasts. */
  terminalIdle: string | null;
  /** App commands still waiting for their status (indices into facts). */
  appPending: number[];
  /** Tag of the app's IDLE command while it lasts. */
  appIdle: string | null;
}

interface TrackerState {
  wire: Record<string, DeviceWire>;
  /** Connection id -> device, from the server's connection.opened. */
  connections: Record<string, string>;
  /** The terminal line the current `manual` step sends. */
  expect: { device: string; line: string } | null;
}

const freshState = (): TrackerState => ({ wire: {}, connections: {}, expect: null });

/** A command without its IMAP tag: "a1 LOGIN alice x" -> "LOGIN alice x". */
export function splitTag(protocol: Protocol, line: string): { tag: string | null; command: string } {
  const trimmed = line.trim();
  if (protocol === 'pop3') return { tag: null, command: trimmed };
  const m = /^(\S+)\s+(.*)$/.exec(trimmed);
  // DONE (ends IDLE) and literal continuations have no tag.
  if (!m || /^DONE$/i.test(trimmed)) return { tag: null, command: trimmed };
  return { tag: m[1], command: m[2] };
}

const STATUS = /^(\S+) (OK|NO|BAD)\b/i;

export class EventTracker {
  readonly facts: Fact[] = [];
  private state: TrackerState = freshState();
  /** What the tracker knew when the world had k steps: [facts.length, state]. */
  private snapshots: Array<[number, string]> = [];
  private unsubscribe: () => void;

  constructor(private readonly world: WorldCore) {
    this.snapshots[world.steps.length] = [0, JSON.stringify(this.state)];
    this.unsubscribe = world.subscribe((e) => this.push(e));
  }

  dispose(): void {
    this.unsubscribe();
  }

  private wire(device: string): DeviceWire {
    return (this.state.wire[device] ??= {
      terminalAwait: null,
      terminalIdle: null,
      appPending: [],
      appIdle: null,
    });
  }

  /** The whole text of a reply: the device transcript entry recorded with the event (one piece for the terminal). */
  private replyText(device: string, seq: number, fallback: string): string {
    try {
      const t = this.world.device(device).transcript;
      for (let i = t.length - 1; i >= 0 && i >= t.length - 8; i--) if (t[i].seq === seq) return t[i].text;
    } catch {
      // an unknown device: the event's first line is all there is
    }
    return fallback;
  }

  private subjectOf(device: string, messageId: string): string {
    try {
      return this.world.device(device).messages.find((m) => m.messageId === messageId)?.subject ?? '';
    } catch {
      return '';
    }
  }

  private restore(steps: number): void {
    let k = Math.min(steps, this.snapshots.length - 1);
    while (k > 0 && !this.snapshots[k]) k--;
    const snap = this.snapshots[k] ?? [0, JSON.stringify(freshState())];
    this.facts.length = snap[0];
    this.state = JSON.parse(snap[1]) as TrackerState;
    this.snapshots.length = k + 1;
  }

  push(e: WorldEvent): void {
    const seq = e.seq;
    switch (e.type) {
      case 'world.step': {
        // steps already holds this step: what we know now is what the world had before it.
        const before = this.world.steps.length - 1;
        this.snapshots.length = Math.max(0, before);
        this.snapshots[before] = [this.facts.length, JSON.stringify(this.state)];
        this.state.expect = e.action.do === 'manual' ? { device: e.action.device, line: e.action.line } : null;
        return;
      }
      case 'world.undo':
      case 'world.reset':
        return this.restore(this.world.steps.length);
      case 'device.command': {
        const { tag, command } = splitTag(e.protocol, e.line);
        const exp = this.state.expect;
        const terminal = exp !== null && exp.device === e.device && exp.line === e.line;
        if (terminal) this.state.expect = null;
        const index = this.facts.length;
        this.facts.push({
          kind: 'command',
          seq,
          device: e.device,
          protocol: e.protocol,
          line: e.line,
          command,
          tag,
          via: terminal ? 'terminal' : 'app',
          status: null,
        });
        const w = this.wire(e.device);
        if (terminal) {
          w.terminalAwait = index;
          if (tag && /^IDLE$/i.test(command)) w.terminalIdle = tag;
        } else {
          w.appPending.push(index);
          if (w.appPending.length > 50) w.appPending.shift();
          if (tag && /^IDLE$/i.test(command)) w.appIdle = tag;
        }
        return;
      }
      case 'device.reply': {
        const w = this.wire(e.device);
        if (w.terminalAwait !== null) {
          const fact = this.facts[w.terminalAwait];
          w.terminalAwait = null;
          const text = this.replyText(e.device, seq, e.line);
          if (fact?.kind === 'command') this.terminalReply(fact, text, w, seq);
          return;
        }
        this.appReply(e.device, e.protocol, e.line, w, seq);
        return;
      }
      case 'device.downloaded':
        this.facts.push({ kind: 'downloaded', seq, device: e.device, subject: e.subject, folder: e.folder });
        return;
      case 'device.flags.synced':
        this.facts.push({
          kind: 'flags-synced',
          seq,
          device: e.device,
          folder: e.folder,
          subject: this.subjectOf(e.device, e.messageId),
        });
        return;
      case 'device.folder.created':
        if (e.by === 'sync') this.facts.push({ kind: 'folder-synced', seq, device: e.device, folder: e.folder });
        return;
      case 'device.removed':
        this.facts.push({
          kind: 'removed',
          seq,
          device: e.device,
          folder: e.folder,
          subject: this.subjectOf(e.device, e.messageId),
        });
        return;
      case 'device.lost':
        this.facts.push({ kind: 'device-lost', seq, device: e.device });
        return;
      case 'device.disconnected':
        if (e.reason === 'dropped') this.facts.push({ kind: 'dropped', seq, device: e.device });
        if (this.state.wire[e.device]) {
          const w = this.wire(e.device);
          w.appIdle = null;
          w.appPending = [];
        }
        return;
      case 'device.check':
        this.facts.push({ kind: 'check', seq, device: e.device, result: e.result });
        return;
      case 'server.event': {
        const s = e.event;
        if (s.type === 'connection.opened' && s.client) this.state.connections[s.connection] = s.client;
        else if (s.type === 'lock.refused')
          this.facts.push({ kind: 'lock-refused', seq, device: this.state.connections[s.connection] ?? null });
        return;
      }
      case 'server.store': {
        const s = e.event;
        if (s.type === 'message.expunged')
          for (let i = 0; i < s.uids.length; i++) this.facts.push({ kind: 'expunged', seq, folder: s.mailbox });
        else if (s.type === 'message.delivered') this.facts.push({ kind: 'delivered', seq, folder: s.mailbox });
        return;
      }
      default:
        return;
    }
  }

  /** The terminal's reply comes as one piece: status, EXPUNGEs seen, and pushes if it was idling. */
  private terminalReply(fact: Extract<Fact, { kind: 'command' }>, text: string, w: DeviceWire, seq: number): void {
    const lines = text.split('\r\n');
    if (fact.protocol === 'pop3') {
      const first = /^(\+OK|-ERR)\b/.exec(lines[0]);
      fact.status = first ? first[1] : null;
      return;
    }
    const idling = w.terminalIdle !== null;
    for (const line of lines) {
      const status = STATUS.exec(line);
      if (status && fact.tag !== null && status[1] === fact.tag) fact.status = status[2].toUpperCase();
      if (status && w.terminalIdle !== null && status[1] === w.terminalIdle) w.terminalIdle = null;
      if (/^\* \d+ EXPUNGE\b/i.test(line)) this.facts.push({ kind: 'expunge-seen', seq, device: fact.device });
      if (idling && line.startsWith('* ') && !/^\* (OK|BYE)\b/i.test(line))
        this.facts.push({ kind: 'pushed', seq, device: fact.device });
    }
    // DONE answers for the IDLE it ends.
    if (fact.tag === null && /^DONE$/i.test(fact.command)) fact.status = null;
  }

  private appReply(device: string, protocol: Protocol, line: string, w: DeviceWire, seq: number): void {
    if (protocol === 'pop3') {
      const m = /^(\+OK|-ERR)\b/.exec(line);
      const index = w.appPending.shift();
      const fact = index === undefined ? undefined : this.facts[index];
      if (m && fact?.kind === 'command') fact.status = m[1];
      return;
    }
    const status = STATUS.exec(line);
    if (status) {
      const i = w.appPending.findIndex((k) => {
        const f = this.facts[k];
        return f?.kind === 'command' && f.tag === status[1];
      });
      if (i >= 0) {
        const fact = this.facts[w.appPending[i]];
        if (fact.kind === 'command') fact.status = status[2].toUpperCase();
        w.appPending.splice(i, 1);
      }
      if (w.appIdle === status[1]) w.appIdle = null;
      return;
    }
    if (/^\* \d+ EXPUNGE\b/i.test(line)) this.facts.push({ kind: 'expunge-seen', seq, device });
    if (w.appIdle !== null && line.startsWith('* ')) this.facts.push({ kind: 'pushed', seq, device });
  }
}
