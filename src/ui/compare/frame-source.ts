/**
 * A frame of the comparison timeline as a world view's source: the same panels and lists as a
 * live world, read-only, drawn from a snapshot (src/world/timeline.ts). Keys are stable from
 * one frame to the next (server: mailbox + UID; device copies: Message-ID + folder + how many
 * copies came before), so scrubbing animates what changed between two steps.
 */
import type { DeviceKind, LocalMessage } from '../../client/types';
import type { DeviceSnapshot, WorldSnapshot } from '../../world/timeline';
import type { MessageListViewModel, MessageItem, ItemTag } from '../../viz/types';
import type { DeviceView, ServerView, WorldSource } from '../world/view-models';
import { decodeOnce } from '../world/view-models';

const NO_SESSIONS = { sync: null, manual: null };

function deviceOf(d: DeviceSnapshot): DeviceView {
  const seen = new Map<string, number>();
  const messages: LocalMessage[] = d.messages.map((m) => {
    const k = `${m.folder}|${m.messageId}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return {
      key: `${m.folder}:${m.messageId}:${n}`,
      folder: m.folder,
      messageId: m.messageId,
      subject: m.subject,
      from: m.from,
      size: m.size,
      flags: m.flags,
      fetchedAt: 0,
      // A copy the server knows of (IMAP with a UID); POP3 copies and offline ones are local.
      ...(d.protocol === 'imap' && !m.localOnly ? { uid: 1 } : {}),
    };
  });
  return {
    id: d.id,
    name: d.name,
    kind: d.kind as DeviceKind,
    protocol: d.protocol,
    settings: d.settings,
    online: d.online,
    lost: d.lost,
    manual: false,
    folders: d.folders.map((f) => ({ ...f })),
    messages,
    sessions: NO_SESSIONS,
    lastCheckAt: d.lastCheckAt,
    nextCheckAt: null,
    queued: d.queued,
    transcriptLength: 0,
    lastCheck: null,
  };
}

export class FrameSource implements WorldSource {
  readonly devices: readonly DeviceView[];
  readonly server: ServerView;
  readonly cue: { id: number; events: never[]; jump: boolean };
  readonly busy: boolean;

  constructor(
    private readonly frame: WorldSnapshot,
    /** Changes with the position: the lists animate from one frame to the next. */
    id: number,
    jump = false,
    /** The controls wait (a comparison is running). */
    busy = false,
  ) {
    this.busy = busy;
    this.devices = frame.devices.map(deviceOf);
    this.server = {
      user: frame.server.user,
      folders: frame.server.folders.map((f) => ({
        name: f.name,
        messages: f.messages,
        unread: f.unseen,
        bytes: f.bytes,
      })),
      bytes: frame.server.totalBytes,
      messages: frame.server.totalMessages,
      sessions: [],
      lockHolder: null,
    };
    this.cue = { id, events: [], jump };
  }

  serverList(folder: string, copies: Map<string, string[]>, shown: number): MessageListViewModel {
    const all = this.frame.server.messages.filter((m) => m.mailbox === folder);
    const total = this.frame.server.folders.find((f) => f.name === folder)?.messages ?? all.length;
    // The snapshot holds the newest messages of a long folder: number them from the top.
    const first = total - all.length;
    const items: MessageItem[] = all.slice(0, shown).map((m, i) => {
      const tags: ItemTag[] = [];
      if (m.flags.includes('\\Deleted')) tags.push({ text: '\\Deleted', tone: 'danger' });
      const on = copies.get(m.messageId);
      if (on?.length) tags.push({ text: `copies: ${on.join(', ')}`, tone: 'device' });
      return {
        key: `${m.mailbox}:${m.uid}`,
        messageId: m.messageId,
        subject: decodeOnce(m.subject) || '(no subject)',
        from: decodeOnce(m.from),
        size: m.size,
        unread: !m.flags.includes('\\Seen'),
        flagged: m.flags.includes('\\Flagged'),
        number: first + i + 1,
        uid: m.uid,
        tags,
      };
    });
    return { items, total, actions: false, moveTargets: [] };
  }
}
