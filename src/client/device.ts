/**
 * A simulated device: an XState actor whose context is the device's plain
 * data (see types.ts) and whose behaviour is a real mail client talking real
 * protocol bytes through a Connection. The machine says which events are
 * legal in which state (online, offline, lost); the runtime does the talking.
 */
import { createActor, setup, type ActorLogic, type ActorRefFrom } from 'xstate';
import { chartState, chartStep } from '../server/chart';
import type { Connection, Protocol } from '../server/types';
import type { DeviceEvent } from './events';
import type { ImapClient } from './imap';
import { ImapFailure, keptBytes, Link, LinkError, type DeviceEnv } from './link';
import { forgetIndex } from './local-index';
import { newKey, pop3Check } from './pop3';
import { summarizeHeader } from './summary';
import {
  DEFAULT_SETTINGS,
  type DeviceData,
  type DeviceKind,
  type DeviceSettings,
  type LocalMessage,
  type MessageRef,
  type QueuedAction,
} from './types';
import { fetchItemsOf, pop3Body, responseStatus, takeImapResponse, takePop3Reply, valueText } from './wire';

export interface SettingsPatch {
  checkEveryMinutes?: number | null;
  pop3?: Partial<DeviceSettings['pop3']>;
  imap?: Partial<DeviceSettings['imap']>;
}

/** Everything a learner, a scenario or the world can ask of a device. */
export type DeviceCommand =
  /**
   * `breakBeforeQuit`: the connection breaks at the end of the check instead of QUIT (POP3:
   * after the RETRs and DELEs, so the session never enters UPDATE) or LOGOUT (IMAP: after the
   * sync; every change was already stored). The `drop-before-quit` fault.
   */
  | { type: 'device.check'; full?: boolean; breakBeforeQuit?: boolean }
  /** Bytes arrived during IMAP IDLE (sent by the world after the step that caused them). */
  | { type: 'device.pushed' }
  | { type: 'device.offline' }
  | { type: 'device.online' }
  | { type: 'device.lose' }
  | { type: 'device.read'; message: MessageRef }
  | { type: 'device.unread'; message: MessageRef }
  | { type: 'device.flag'; message: MessageRef }
  | { type: 'device.unflag'; message: MessageRef }
  /** `expunge`: IMAP delete with \Deleted and UID EXPUNGE whatever `imap.deleteAction` says (a fault). */
  | { type: 'device.delete'; message: MessageRef; expunge?: boolean }
  | { type: 'device.move'; message: MessageRef; to: string }
  | { type: 'device.createFolder'; name: string }
  | { type: 'device.settings'; settings: SettingsPatch }
  | { type: 'device.protocol'; protocol: Protocol }
  /** Manual mode: one raw command line typed on the device's terminal. */
  | { type: 'device.manual'; line: string }
  /** Opens the terminal's session (the server's greeting arrives) without sending anything. */
  | { type: 'device.connect' }
  /** Ends live sessions politely (QUIT/LOGOUT). */
  | { type: 'device.disconnect' }
  /**
   * The network drops the device's live connections (no QUIT/LOGOUT); it stays online and
   * connects again when next asked. A POP3 session dropped this way never enters UPDATE, so
   * nothing it marked with DELE is removed (RFC 1939 §6).
   */
  | { type: 'device.drop' };

export interface NewDeviceOptions {
  id: string;
  name?: string;
  kind: DeviceKind;
  user: string;
  password: string;
  protocol: Protocol;
  settings?: SettingsPatch;
  manual?: boolean;
  online?: boolean;
}

export function mergeSettings(base: DeviceSettings, patch: SettingsPatch = {}): DeviceSettings {
  return {
    checkEveryMinutes:
      patch.checkEveryMinutes !== undefined ? patch.checkEveryMinutes : base.checkEveryMinutes,
    pop3: { ...base.pop3, ...patch.pop3 },
    imap: { ...base.imap, ...patch.imap },
  };
}

/** Fresh device data: an app just set up, holding nothing yet. */
export function newDeviceData(o: NewDeviceOptions): DeviceData {
  return {
    id: o.id,
    name: o.name ?? o.id,
    kind: o.kind,
    user: o.user,
    password: o.password,
    protocol: o.protocol,
    settings: mergeSettings(DEFAULT_SETTINGS, o.settings),
    online: o.online ?? true,
    lost: false,
    manual: o.manual ?? false,
    folders: [{ name: 'INBOX' }],
    messages: [],
    nextKey: 1,
    uidlSeen: {},
    pendingServerDeletes: [],
    queue: [],
    transcript: [],
    lastCheckAt: null,
    nextCheckAt: null,
  };
}

const LOCAL_TRASH = 'Trash';

/** Local copies a reference names: a Message-ID (or its part before "@"), or "*" for all of INBOX. */
export function resolveMessages(data: DeviceData, ref: MessageRef): LocalMessage[] {
  if (ref === '*') return data.messages.filter((m) => m.folder === 'INBOX');
  const exact = data.messages.filter((m) => m.messageId === ref);
  if (exact.length) return exact;
  return data.messages.filter((m) => m.messageId.startsWith(ref + '@'));
}

/**
 * The part of a device that holds live things (connections) and does the
 * protocol work. It mutates the data object it is handed and returns a new
 * top-level object so observers see a change.
 */
export class DeviceRuntime {
  private imap: ImapClient | null = null;
  private manualLink: Link | null = null;
  private manualSelected: string | null = null;
  private manualUidl = new Map<number, string>();

  constructor(private readonly env: DeviceEnv) {}

  get idling(): boolean {
    return !!this.imap?.idling;
  }

  get connected(): boolean {
    return !!this.imap?.connected || (!!this.manualLink && !this.manualLink.closed);
  }

  /**
   * The device's open connections right now: its mail app's own (an IMAP app keeps one open
   * between checks; a POP3 app's lasts one check) and the terminal's (manual mode).
   */
  connections(): { sync: Connection | null; manual: Connection | null } {
    const sync = this.imap?.connected ? this.imap.link!.connection : null;
    const manual = this.manualLink && !this.manualLink.closed ? this.manualLink.connection : null;
    return { sync, manual };
  }

  handle(current: DeviceData, event: DeviceCommand): DeviceData {
    const data: DeviceData = { ...current };
    try {
      this.apply(data, event);
    } catch (err) {
      if (!(err instanceof LinkError || err instanceof ImapFailure)) throw err;
      this.imap?.drop('server');
      this.imap = null;
      this.emit({ type: 'device.error', device: data.id, message: err.message });
    }
    return data;
  }

  private emit(e: DeviceEvent): void {
    this.env.emit(e);
  }

  private apply(data: DeviceData, event: DeviceCommand): void {
    switch (event.type) {
      case 'device.check':
        return this.check(data, !!event.full, !!event.breakBeforeQuit);
      case 'device.pushed':
        if (this.imap?.connected && this.imap.idling) {
          this.imap.bind(data);
          this.imap.onPush();
        }
        return;
      case 'device.offline':
        this.dropAll();
        data.online = false;
        this.emit({ type: 'device.online', device: data.id, online: false });
        return;
      case 'device.online':
        data.online = true;
        this.emit({ type: 'device.online', device: data.id, online: true });
        // An IMAP app reconnects as soon as the network is back: resync and replay the queue.
        if (data.protocol === 'imap' && !data.manual) this.check(data, true);
        return;
      case 'device.lose': {
        this.dropAll();
        const held = data.messages.length;
        Object.assign(data, {
          lost: true,
          online: false,
          messages: [],
          folders: [],
          uidlSeen: {},
          pendingServerDeletes: [],
          queue: [],
          nextCheckAt: null,
        });
        this.emit({ type: 'device.lost', device: data.id, messages: held });
        return;
      }
      case 'device.read':
      case 'device.unread':
      case 'device.flag':
      case 'device.unflag':
        return this.flagAction(data, event.type, event.message);
      case 'device.delete':
        return this.deleteAction(data, event.message, !!event.expunge);
      case 'device.move':
        return this.moveAction(data, event.message, event.to);
      case 'device.createFolder':
        return this.createFolder(data, event.name);
      case 'device.settings': {
        const before = data.settings;
        data.settings = mergeSettings(before, event.settings);
        this.emit({ type: 'device.settings', device: data.id });
        if (this.imap?.connected) {
          this.imap.bind(data);
          if (data.settings.imap.mode === 'idle') this.imap.startIdle();
          else this.imap.stopIdle();
        }
        return;
      }
      case 'device.protocol': {
        if (event.protocol === data.protocol) return;
        this.dropAll();
        const discarded = data.messages.length;
        // Like removing the account from the app and adding it again with the other protocol.
        Object.assign(data, {
          protocol: event.protocol,
          messages: [],
          folders: [{ name: 'INBOX' }],
          uidlSeen: {},
          pendingServerDeletes: [],
          queue: [],
        });
        this.emit({ type: 'device.protocol', device: data.id, protocol: event.protocol, discarded });
        return;
      }
      case 'device.manual':
        return this.manual(data, event.line);
      case 'device.connect':
        if (!data.online || data.lost) return;
        this.openManual(data);
        return;
      case 'device.disconnect':
        this.imap?.bind(data);
        this.imap?.logout();
        this.imap = null;
        return;
      case 'device.drop':
        this.imap?.bind(data);
        this.dropAll();
        return;
    }
  }

  /** The IMAP half of the app, from the world (see DeviceEnv.imapClient). */
  private newImapClient(data: DeviceData): ImapClient {
    if (!this.env.imapClient) throw new ImapFailure('IMAP is not available yet (its code has not loaded)');
    return this.env.imapClient(this.env, data);
  }

  /** Closes every live connection without QUIT/LOGOUT, as when the network goes away. */
  dropAll(): void {
    this.imap?.drop('dropped');
    this.imap = null;
    const manual = this.manualLink;
    if (manual) {
      this.manualLink = null;
      const open = !manual.closed;
      manual.dispose();
      if (open)
        this.emit({
          type: 'device.disconnected',
          device: manual.device,
          protocol: manual.protocol,
          reason: 'dropped',
        });
    }
  }

  // ---- check mail -------------------------------------------------------------------

  private check(data: DeviceData, full: boolean, breakBeforeQuit = false): void {
    const now = this.env.now();
    data.lastCheckAt = now;
    data.nextCheckAt = data.settings.checkEveryMinutes
      ? now + data.settings.checkEveryMinutes * 60_000
      : null;
    if (!data.online || data.lost) {
      this.emit({
        type: 'device.check',
        device: data.id,
        protocol: data.protocol,
        result: 'offline',
        downloaded: 0,
        deletedOnServer: 0,
      });
      return;
    }
    if (data.protocol === 'pop3') {
      const r = pop3Check(data, this.env, { breakBeforeQuit });
      this.emit({ type: 'device.check', device: data.id, protocol: 'pop3', ...r });
      return;
    }
    let downloaded = 0;
    try {
      if (!this.imap?.connected) {
        this.imap?.drop('server');
        this.imap = this.newImapClient(data);
        downloaded = this.imap.connect().downloaded;
      } else {
        this.imap.bind(data);
        downloaded = this.imap.syncAll(full);
      }
      if (breakBeforeQuit) {
        // The connection breaks where the session would go on: every change is already stored.
        this.dropAll();
        this.emit({
          type: 'device.check',
          device: data.id,
          protocol: 'imap',
          result: 'dropped',
          downloaded,
          deletedOnServer: 0,
          detail: 'the connection broke before LOGOUT',
        });
        return;
      }
      if (data.settings.imap.mode === 'idle') this.imap.startIdle();
      this.emit({
        type: 'device.check',
        device: data.id,
        protocol: 'imap',
        result: 'ok',
        downloaded,
        deletedOnServer: 0,
      });
    } catch (err) {
      if (!(err instanceof LinkError || err instanceof ImapFailure)) throw err;
      this.imap?.drop('server');
      this.imap = null;
      const result = /login/i.test(err.message)
        ? 'auth-failed'
        : err instanceof ImapFailure
          ? 'unavailable'
          : 'error';
      this.emit({
        type: 'device.check',
        device: data.id,
        protocol: 'imap',
        result,
        downloaded,
        deletedOnServer: 0,
        detail: err.message,
      });
    }
  }

  // ---- local actions --------------------------------------------------------------

  /** IMAP: sends the action now if online (connecting if needed), else queues it. Returns whether sent. */
  private push(data: DeviceData, action: QueuedAction, key?: string): boolean {
    if (data.protocol !== 'imap') return false;
    if (!data.online) {
      data.queue = [...data.queue, action];
      return false;
    }
    if (!this.imap?.connected) {
      // Connecting resyncs first; the action then applies to what the server really holds.
      this.check(data, true);
      if (!this.imap?.connected) {
        data.queue = [...data.queue, action];
        return false;
      }
    }
    this.imap.bind(data);
    this.imap.perform(action, key);
    if (data.settings.imap.mode === 'idle') this.imap.startIdle();
    return true;
  }

  private flagAction(
    data: DeviceData,
    type: 'device.read' | 'device.unread' | 'device.flag' | 'device.unflag',
    ref: MessageRef,
  ) {
    const flag = type === 'device.read' || type === 'device.unread' ? '\\Seen' : '\\Flagged';
    const add = type === 'device.read' || type === 'device.flag';
    const action = type.slice('device.'.length) as 'read' | 'unread' | 'flag' | 'unflag';
    for (const m of resolveMessages(data, ref)) {
      const has = m.flags.includes(flag);
      if (has === add) continue;
      forgetIndex(data.messages);
      m.flags = add ? [...m.flags, flag] : m.flags.filter((f) => f !== flag);
      const queued = data.protocol === 'imap' && !data.online;
      this.emit({
        type: 'device.local',
        device: data.id,
        action,
        messageId: m.messageId,
        folder: m.folder,
        queued,
      });
      if (data.protocol === 'imap' && m.uid !== undefined)
        this.push(
          data,
          { type: 'flags', folder: m.folder, uid: m.uid, add: add ? [flag] : [], remove: add ? [] : [flag] },
          m.key,
        );
    }
  }

  private deleteAction(data: DeviceData, ref: MessageRef, expunge = false): void {
    for (const m of resolveMessages(data, ref)) {
      const queued = data.protocol === 'imap' && !data.online;
      this.emit({
        type: 'device.local',
        device: data.id,
        action: 'delete',
        messageId: m.messageId,
        folder: m.folder,
        queued,
      });
      if (data.protocol === 'pop3') {
        // Deleting on a POP3 device is local; the server copy only goes if the setting says so.
        const p = data.settings.pop3;
        if (
          p.leaveOnServer &&
          p.removeWhenDeletedHere &&
          m.uidl &&
          !data.pendingServerDeletes.includes(m.uidl)
        )
          data.pendingServerDeletes = [...data.pendingServerDeletes, m.uidl];
        if (m.folder === LOCAL_TRASH) data.messages = data.messages.filter((x) => x !== m);
        else {
          this.ensureFolder(data, LOCAL_TRASH, true);
          forgetIndex(data.messages);
          m.folder = LOCAL_TRASH;
        }
        continue;
      }
      const uid = m.uid;
      const folder = m.folder;
      const toTrash =
        !expunge &&
        data.settings.imap.deleteAction === 'trash' &&
        folder !== LOCAL_TRASH &&
        data.folders.some((f) => f.name === LOCAL_TRASH);
      if (!data.online || uid === undefined) {
        // Offline: show the result at once; the server hears of it when the device is back.
        if (toTrash) {
          forgetIndex(data.messages);
          m.folder = LOCAL_TRASH;
          m.uid = undefined;
        } else data.messages = data.messages.filter((x) => x !== m);
        if (uid !== undefined)
          this.push(data, { type: 'delete', folder, uid, ...(expunge ? { expunge } : {}) });
        continue;
      }
      this.push(data, { type: 'delete', folder, uid, ...(expunge ? { expunge } : {}) }, m.key);
    }
  }

  private moveAction(data: DeviceData, ref: MessageRef, to: string): void {
    for (const m of resolveMessages(data, ref)) {
      if (m.folder === to) continue;
      const queued = data.protocol === 'imap' && !data.online;
      this.emit({
        type: 'device.local',
        device: data.id,
        action: 'move',
        messageId: m.messageId,
        folder: m.folder,
        to,
        queued,
      });
      if (data.protocol === 'pop3') {
        this.ensureFolder(data, to, true);
        forgetIndex(data.messages);
        m.folder = to;
        continue;
      }
      if (!data.folders.some((f) => f.name === to)) this.createFolder(data, to);
      const uid = m.uid;
      const folder = m.folder;
      if (!data.online || uid === undefined) {
        forgetIndex(data.messages);
        m.folder = to;
        m.uid = undefined;
        if (uid !== undefined) this.push(data, { type: 'move', folder, uid, to });
        continue;
      }
      this.push(data, { type: 'move', folder, uid, to }, m.key);
    }
  }

  private ensureFolder(data: DeviceData, name: string, localOnly: boolean): void {
    if (data.folders.some((f) => f.name === name)) return;
    data.folders = [...data.folders, localOnly ? { name, localOnly } : { name }];
    this.emit({ type: 'device.folder.created', device: data.id, folder: name, by: 'user' });
  }

  private createFolder(data: DeviceData, name: string): void {
    if (data.folders.some((f) => f.name === name)) return;
    this.ensureFolder(data, name, data.protocol === 'pop3');
    this.push(data, { type: 'create', name });
  }

  // ---- manual mode ------------------------------------------------------------------

  /** One raw line from the learner, through a session of its own; retrieved mail lands on the device. */
  private manual(data: DeviceData, line: string): void {
    if (!data.online || data.lost) {
      this.emit({ type: 'device.error', device: data.id, message: 'the device is offline' });
      return;
    }
    this.openManual(data);
    const out = this.manualLink!.sendRaw(line + '\r\n');
    if (data.protocol === 'pop3') this.manualPop3(data, line, out);
    else this.manualImap(data, line, out);
    // The server may have closed the connection (QUIT, LOGOUT, too many bad commands).
    if (this.manualLink?.closed) {
      this.manualLink.dispose();
      this.manualLink = null;
      this.emit({ type: 'device.disconnected', device: data.id, protocol: data.protocol, reason: 'quit' });
    }
  }

  /** Opens the terminal's own session if none is open (the greeting goes to the transcript). */
  private openManual(data: DeviceData): void {
    if (this.manualLink && !this.manualLink.closed) return;
    this.manualLink?.dispose();
    const connection = this.env.connect(data.protocol, data.id);
    this.manualLink = new Link(connection, data.protocol, data.id, this.env, data.transcript, '', true);
    this.manualSelected = null;
    this.manualUidl.clear();
    this.emit({
      type: 'device.connected',
      device: data.id,
      protocol: data.protocol,
      connection: connection.id,
    });
    this.manualLink.flushIncoming();
  }

  private manualPop3(data: DeviceData, line: string, out: string): void {
    const cmd = line.trim().split(/\s+/);
    const verb = cmd[0]?.toUpperCase();
    if (verb === 'UIDL') {
      const taken = takePop3Reply(out, cmd.length === 1);
      if (!taken?.reply.ok) return;
      const listing = cmd.length === 1 ? taken.reply.lines : [taken.reply.text];
      for (const l of listing) {
        const m = /^(\d+) (\S+)/.exec(l);
        if (m) this.manualUidl.set(Number(m[1]), m[2]);
      }
    }
    if (verb === 'RETR' && cmd.length === 2) {
      const taken = takePop3Reply(out, true);
      if (!taken?.reply.ok) return;
      const raw = pop3Body(taken.reply);
      const uidl = this.manualUidl.get(Number(cmd[1]));
      this.addLocal(data, raw, 'INBOX', 'pop3', { uidl }, line.trim());
      if (uidl) data.uidlSeen = { ...data.uidlSeen, [uidl]: this.env.now() };
    }
  }

  private manualImap(data: DeviceData, line: string, out: string): void {
    const parts = line.trim().split(/\s+/);
    const verb = parts[1]?.toUpperCase();
    let rest = out;
    for (;;) {
      const taken = takeImapResponse(rest);
      if (!taken) break;
      rest = taken.rest;
      const r = taken.response;
      if ((verb === 'SELECT' || verb === 'EXAMINE') && r.tag === parts[0] && responseStatus(r) === 'OK') {
        this.manualSelected = (parts[2] ?? 'INBOX').replace(/^"|"$/g, '');
      }
      if (r.tag !== '*' || !/^\* \d+ FETCH/i.test(r.line) || !this.manualSelected) continue;
      const items = fetchItemsOf(r);
      const raw =
        valueText(items.get('BODY[]')) ?? valueText(items.get('RFC822')) ?? valueText(items.get('BINARY[]'));
      if (raw === null) continue;
      const uidText = valueText(items.get('UID'));
      const uid = uidText ? Number(uidText) : undefined;
      const folder = this.manualSelected;
      if (uid !== undefined && data.messages.some((m) => m.folder === folder && m.uid === uid)) continue;
      const flags = items.get('FLAGS');
      this.addLocal(
        data,
        raw,
        folder,
        'imap',
        { uid, flags: Array.isArray(flags) ? flags.map(String) : [] },
        parts.slice(1).join(' '),
      );
    }
  }

  private addLocal(
    data: DeviceData,
    raw: string,
    folder: string,
    protocol: Protocol,
    extra: { uid?: number; uidl?: string; flags?: string[] },
    command: string,
  ): void {
    const local: LocalMessage = {
      key: newKey(data),
      folder,
      ...summarizeHeader(raw),
      size: raw.length,
      flags: (extra.flags ?? []).filter((f) => f.toUpperCase() !== '\\RECENT'),
      fetchedAt: this.env.now(),
    };
    if (extra.uid !== undefined) local.uid = extra.uid;
    if (extra.uidl !== undefined) local.uidl = extra.uidl;
    const kept = keptBytes(this.env, raw);
    if (kept !== undefined) local.raw = kept;
    data.messages = [...data.messages, local];
    if (!data.folders.some((f) => f.name === folder)) data.folders = [...data.folders, { name: folder }];
    this.emit({
      type: 'device.downloaded',
      device: data.id,
      protocol,
      messageId: local.messageId,
      subject: local.subject,
      folder,
      size: local.size,
      command,
      ...(extra.uid !== undefined ? { uid: extra.uid } : {}),
    });
  }
}

// ---- the actor ------------------------------------------------------------------------

export interface DeviceInput {
  data: DeviceData;
  runtime: DeviceRuntime;
}

export interface DeviceContext {
  data: DeviceData;
  runtime: DeviceRuntime;
}

const LOCAL_ACTIONS = [
  'device.read',
  'device.unread',
  'device.flag',
  'device.unflag',
  'device.delete',
  'device.move',
  'device.createFolder',
] as const;

/**
 * Which events a device takes in which state, as a state chart:
 * online: checks, pushes, manual commands, local actions sent at once (IMAP).
 * offline: local actions only (queued for IMAP); checks report "offline".
 * lost: nothing; the device and its local store are gone.
 *
 * `run` is the device's protocol work (DeviceRuntime.handle). The chart holds no data and no
 * guards, so the device actor (`deviceLogic`) asks XState once per state and event type and
 * replays the answer (src/server/chart.ts): running the statechart algorithm for each of a
 * year's fifty thousand checks cost a tenth of the simulation (docs/world.md, round 4).
 */
export const deviceMachine = setup({
  types: {
    events: {} as DeviceCommand,
  },
  actions: {
    run: () => {},
  },
}).createMachine({
  id: 'device',
  initial: 'online',
  states: {
    online: {
      on: {
        'device.check': { actions: 'run' },
        'device.pushed': { actions: 'run' },
        'device.manual': { actions: 'run' },
        'device.connect': { actions: 'run' },
        'device.disconnect': { actions: 'run' },
        'device.drop': { actions: 'run' },
        'device.offline': { target: 'offline', actions: 'run' },
        ...Object.fromEntries(LOCAL_ACTIONS.map((t) => [t, { actions: 'run' }])),
        'device.settings': { actions: 'run' },
        'device.protocol': { actions: 'run' },
        'device.lose': { target: 'lost', actions: 'run' },
      },
    },
    offline: {
      on: {
        'device.check': { actions: 'run' },
        'device.online': { target: 'online', actions: 'run' },
        ...Object.fromEntries(LOCAL_ACTIONS.map((t) => [t, { actions: 'run' }])),
        'device.settings': { actions: 'run' },
        'device.protocol': { actions: 'run' },
        'device.lose': { target: 'lost', actions: 'run' },
      },
    },
    // Not a final state: a lost device stays in the world (its story matters) and ignores everything.
    lost: {},
  },
});

export type DeviceState = 'online' | 'offline' | 'lost';

/** A device actor's snapshot: its state in the chart and its data. */
export interface DeviceSnapshot {
  status: 'active';
  output: undefined;
  error: undefined;
  value: DeviceState;
  context: DeviceContext;
  matches(state: DeviceState): boolean;
  /** Whether the device takes the event in its state (it does something with it). */
  can(event: DeviceCommand): boolean;
}

const chartAt = new Map<DeviceState, ReturnType<typeof chartState<typeof deviceMachine>>>();
function chartIn(state: DeviceState) {
  let snapshot = chartAt.get(state);
  if (!snapshot) chartAt.set(state, (snapshot = chartState(deviceMachine, state)));
  return snapshot;
}

/** A class, so a snapshot (one per device step) makes no closures. */
class DeviceSnapshotImpl implements DeviceSnapshot {
  readonly status = 'active';
  readonly output = undefined;
  readonly error = undefined;

  constructor(
    readonly value: DeviceState,
    readonly context: DeviceContext,
  ) {}

  matches(state: DeviceState): boolean {
    return state === this.value;
  }

  can(event: DeviceCommand): boolean {
    const step = chartStep(deviceMachine, chartIn(this.value), event);
    return step.actions.length > 0 || step.next.value !== this.value;
  }
}

function deviceSnapshot(value: DeviceState, context: DeviceContext): DeviceSnapshot {
  return new DeviceSnapshotImpl(value, context);
}

/**
 * The device as an XState actor: the chart's step for each event (deviceMachine), and the
 * runtime's work when the step names `run`. A new snapshot whenever something may have changed.
 */
export const deviceLogic: ActorLogic<DeviceSnapshot, DeviceCommand, DeviceInput> = {
  getInitialSnapshot: (_scope, input) =>
    deviceSnapshot(input.data.lost ? 'lost' : input.data.online ? 'online' : 'offline', {
      data: input.data,
      runtime: input.runtime,
    }),
  transition(snapshot, event) {
    const step = chartStep(deviceMachine, chartIn(snapshot.value), event);
    if (step.actions.length === 0 && step.next.value === snapshot.value) return snapshot;
    let { context } = snapshot;
    for (const a of step.actions)
      if (a.type === 'run')
        context = { data: context.runtime.handle(context.data, event), runtime: context.runtime };
    return deviceSnapshot(step.next.value as DeviceState, context);
  },
  getPersistedSnapshot: (snapshot) => snapshot,
};

export type DeviceActor = ActorRefFrom<typeof deviceLogic>;

/** Starts a device actor over the given data; `env` connects it to the world. */
export function createDevice(
  data: DeviceData,
  env: DeviceEnv,
): { actor: DeviceActor; runtime: DeviceRuntime } {
  const runtime = new DeviceRuntime(env);
  const actor = createActor(deviceLogic, { input: { data, runtime } });
  actor.start();
  return { actor, runtime };
}
