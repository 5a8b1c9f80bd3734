/**
 * Plain view-models of a world for the panels and the D3 lists: what the server holds, what
 * each device holds, who is connected. Built from the world's public surface only, after each
 * step; the views never see the store or the actors.
 */
import type { DeviceData, DeviceKind, DeviceSettings, LocalMessage } from '../../client/types';
import type { StoredMessage } from '../../mail/types';
import type { Protocol } from '../../server/types';
import type { DeviceSessions, ServerSession, WorldCore } from '../../world/core';
import type { WorldEvent } from '../../world/events';
import type { ItemTag, MessageItem, MessageListViewModel } from '../../viz/types';
import { cardSummary, decodeHeader, headerField } from '../summary';

/** Items drawn per list; the rest is summarized with a "Show more" button (long lists stay fast). */
export const LIST_WINDOW = 60;

export interface FolderCount {
  name: string;
  messages: number;
  unread: number;
  /** Only on this device (POP3 local folders). */
  localOnly?: boolean;
}

export interface DeviceView {
  id: string;
  name: string;
  kind: DeviceKind;
  protocol: Protocol;
  settings: DeviceSettings;
  online: boolean;
  lost: boolean;
  manual: boolean;
  folders: FolderCount[];
  /** Every local copy (the panel filters by folder and windows the list). */
  messages: readonly LocalMessage[];
  sessions: DeviceSessions;
  lastCheckAt: number | null;
  nextCheckAt: number | null;
  /** IMAP changes made offline, waiting to be sent. */
  queued: number;
  /** Transcript entries (for the terminal's badge: changes mean new lines). */
  transcriptLength: number;
  /** How the last "check mail" went (set by the page from the events), or null. */
  lastCheck: LastCheck | null;
}

export interface LastCheck {
  at: number;
  result: Extract<WorldEvent, { type: 'device.check' }>['result'];
  downloaded: number;
  deletedOnServer: number;
  detail?: string;
  /** [IN-USE]: who held the maildrop lock then. */
  holder?: string | null;
}

export interface ServerFolderView {
  name: string;
  messages: number;
  unread: number;
  bytes: number;
}

export interface ServerView {
  user: string;
  folders: ServerFolderView[];
  /** Octets of every message of the account: what the provider stores (and may bill). */
  bytes: number;
  messages: number;
  sessions: ServerSession[];
  /** Device (or client) holding the POP3 maildrop lock, or null. */
  lockHolder: string | null;
}

const summaries = new Map<string, { subject: string; from: string; messageId: string }>();

/** Subject, sender and Message-ID of a stored message, decoded once per mailbox + UID + size. */
export function serverSummary(mailbox: string, m: StoredMessage) {
  const key = `${mailbox}:${m.uid}:${m.raw.length}`;
  let s = summaries.get(key);
  if (!s) {
    const card = cardSummary(m.raw);
    const id = (headerField(m.raw, 'Message-ID') ?? '').trim().replace(/^<|>$/g, '');
    s = { ...card, messageId: id };
    if (summaries.size > 50_000) summaries.clear();
    summaries.set(key, s);
  }
  return s;
}

const decoded = new Map<string, string>();
/** Device copies keep the raw header text (RFC 2047 words and all); the screen decodes them. */
export function decodeOnce(text: string): string {
  if (!text.includes('=?')) return text;
  let d = decoded.get(text);
  if (d === undefined) {
    d = decodeHeader(text).trim();
    if (decoded.size > 20_000) decoded.clear();
    decoded.set(text, d);
  }
  return d;
}

/** "Bob <bob@example.org>" → "Bob". */
function senderName(from: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(from);
  return decodeOnce(m && m[1] ? m[1] : from) || '(unknown sender)';
}

export function deviceView(world: WorldCore, id: string, lastCheck: LastCheck | null = null): DeviceView {
  const d: DeviceData = world.device(id);
  const tallies = new Map<string, { messages: number; unread: number }>();
  for (const m of d.messages) {
    let t = tallies.get(m.folder);
    if (!t) tallies.set(m.folder, (t = { messages: 0, unread: 0 }));
    t.messages++;
    if (!m.flags.includes('\\Seen')) t.unread++;
  }
  const folders: FolderCount[] = d.folders.map((f) => ({
    name: f.name,
    messages: tallies.get(f.name)?.messages ?? 0,
    unread: tallies.get(f.name)?.unread ?? 0,
    ...(f.localOnly ? { localOnly: true } : {}),
  }));
  for (const [name, t] of tallies) if (!folders.some((f) => f.name === name)) folders.push({ name, ...t });
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    protocol: d.protocol,
    settings: d.settings,
    online: d.online,
    lost: d.lost,
    manual: d.manual,
    folders,
    messages: d.messages,
    sessions: d.lost ? { sync: null, manual: null } : world.sessions(id),
    lastCheckAt: d.lastCheckAt,
    nextCheckAt: d.nextCheckAt,
    queued: d.queue.length,
    transcriptLength: d.transcript.length,
    lastCheck,
  };
}

export function serverView(world: WorldCore): ServerView {
  const user = world.account.user;
  let bytes = 0;
  let messages = 0;
  const folders = world.mailStore.listMailboxes(user).map((mb) => {
    let b = 0;
    let unread = 0;
    for (const m of mb.messages) {
      b += m.raw.length;
      if (!m.flags.includes('\\Seen')) unread++;
    }
    bytes += b;
    messages += mb.messages.length;
    return { name: mb.name, messages: mb.messages.length, unread, bytes: b };
  });
  return { user, folders, bytes, messages, sessions: world.serverSessions(), lockHolder: world.lockHolder() };
}

/** Which devices hold a copy of each Message-ID (lost devices hold nothing). */
export function copiesByMessage(devices: readonly DeviceView[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of devices) {
    if (d.lost) continue;
    const seen = new Set<string>();
    for (const m of d.messages) {
      if (seen.has(m.messageId)) continue;
      seen.add(m.messageId);
      const list = out.get(m.messageId);
      if (list) list.push(d.name);
      else out.set(m.messageId, [d.name]);
    }
  }
  return out;
}

/** The server's list for one folder: numbered, UIDs, flags, DELE marks, and where copies live. */
export function serverList(
  world: WorldCore,
  folder: string,
  server: ServerView,
  copies: Map<string, string[]>,
  shown = LIST_WINDOW,
): MessageListViewModel {
  const mb = world.mailStore.getMailbox(server.user, folder);
  const all = mb?.messages ?? [];
  // POP3 marks live in each session until QUIT (RFC 1939 §6): show who marked what.
  const marks = new Map<number, string[]>();
  if (folder === 'INBOX')
    for (const s of server.sessions)
      for (const uid of s.view?.marked ?? []) {
        const who = s.device
          ? world.deviceIds.includes(s.device)
            ? world.device(s.device).name
            : s.device
          : 'a client';
        marks.set(uid, [...(marks.get(uid) ?? []), who]);
      }
  const items: MessageItem[] = [];
  for (let i = 0; i < all.length && items.length < shown; i++) {
    const m = all[i];
    const s = serverSummary(folder, m);
    const tags: ItemTag[] = [];
    const marked = marks.get(m.uid);
    if (marked)
      tags.push({
        text: 'marked for deletion',
        tone: 'danger',
        title: `DELE by ${marked.join(', ')}: removed at QUIT`,
      });
    if (m.flags.includes('\\Deleted'))
      tags.push({ text: '\\Deleted', tone: 'danger', title: 'Removed at the next EXPUNGE' });
    for (const f of m.flags)
      if (!['\\Seen', '\\Flagged', '\\Deleted', '\\Recent'].includes(f))
        tags.push({ text: f, tone: 'muted' });
    const on = copies.get(s.messageId);
    if (on?.length)
      tags.push({ text: `copies: ${on.join(', ')}`, tone: 'device', title: 'Devices holding a copy' });
    items.push({
      key: `${folder}:${m.uid}`,
      messageId: s.messageId,
      subject: s.subject,
      from: s.from,
      size: m.raw.length,
      unread: !m.flags.includes('\\Seen'),
      flagged: m.flags.includes('\\Flagged'),
      number: i + 1,
      uid: m.uid,
      tags,
    });
  }
  return { items, total: all.length, actions: false, moveTargets: [] };
}

/** A device's list for one folder. */
export function deviceList(
  device: DeviceView,
  folder: string,
  options: { shown?: number; actions?: boolean } = {},
): MessageListViewModel {
  const shown = options.shown ?? LIST_WINDOW;
  const items: MessageItem[] = [];
  let total = 0;
  for (const m of device.messages) {
    if (m.folder !== folder) continue;
    total++;
    if (items.length >= shown) continue;
    const tags: ItemTag[] = [];
    if (device.protocol === 'pop3')
      tags.push({
        text: 'local only',
        tone: 'device',
        title: 'POP3 downloaded this copy: the server knows nothing of what happens to it here',
      });
    else if (m.uid === undefined)
      tags.push({
        text: 'not yet on the server',
        tone: 'muted',
        title: 'Changed offline: the server hears of it when the device is back',
      });
    items.push({
      key: m.key,
      messageId: m.messageId,
      subject: decodeOnce(m.subject) || '(no subject)',
      from: senderName(m.from),
      size: m.size,
      unread: !m.flags.includes('\\Seen'),
      flagged: m.flags.includes('\\Flagged'),
      tags,
    });
  }
  const moveTargets = device.folders.map((f) => f.name).filter((f) => f !== folder);
  return { items, total, actions: options.actions ?? !device.lost, moveTargets };
}

/**
 * What a world view draws from: a live world (WorldSession) or a picture of one (a frame of the
 * Compare view's timeline). Live sources also take steps and open terminals.
 */
export interface WorldSource {
  readonly devices: readonly DeviceView[];
  readonly server: ServerView | null;
  /** The server's list for one folder (items carry the devices holding copies). */
  serverList(folder: string, copies: Map<string, string[]>, shown: number): MessageListViewModel;
  /** The last change's events (the scene animates them); a new object per change. */
  readonly cue: { id: number; events: readonly import('../../world/events').WorldEvent[]; jump: boolean };
  readonly busy: boolean;
  /** Takes a step (live worlds only). */
  dispatch?(action: import('../../world/scenario').WorldAction): Promise<boolean>;
}
