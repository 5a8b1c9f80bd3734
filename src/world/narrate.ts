/**
 * The activity log: every world event told in one plain sentence, for learners and screen
 * readers ("The laptop downloaded 'Tea party on Thursday' (RETR 2)."). Each entry points at the
 * transcript entries behind it (a device and a range of event sequence numbers: transcript
 * entries carry the sequence number of the event recorded with them).
 *
 * The narrator keeps a little state as events arrive: which connection belongs to which device,
 * which sessions a learner opened by hand, and the subjects of messages the server may remove.
 * Long runs of the same kind of event in one step (a check that downloads 900 messages) fold
 * into one entry whose count grows.
 */
import type { DeviceData } from '../client/types';
import type { MailStore } from '../mail/store';
import { summarizeHeader } from '../client/summary';
import { decodeEncodedWords } from '../mail/mime';
import type { WorldEvent } from './events';
import { FAULTS, type WorldAction } from './scenario';
import { formatDuration, formatTime, grouped, theDevice } from './words';

export { formatDuration, formatTime, theDevice };

export type ActivityTone = 'info' | 'good' | 'warn' | 'bad';

export interface ActivityEntry {
  /** Sequence number of the event that produced (or last updated) the entry. */
  seq: number;
  /** Virtual time. */
  at: number;
  /** The device the sentence is about, or null for the server, the clock, notes. */
  device: string | null;
  text: string;
  tone: ActivityTone;
  /** The transcript entries behind it: `device`'s entries whose seq is in [from, to]. */
  lines: { device: string; from: number; to: number } | null;
  /** How many events this entry stands for (folded runs), 1 for most. */
  count: number;
}

/** What the narrator reads of the world (WorldCore provides all of it). */
export interface NarratedWorld {
  readonly deviceIds: string[];
  device(id: string): DeviceData;
  readonly mailStore: MailStore;
  readonly account: { user: string };
  lockHolder(): string | null;
}

const FOLD_AFTER = 4;
const DEFAULT_LIMIT = 400;
const plural = (n: number, one: string, many = `${one}s`) => `${grouped(n)} ${n === 1 ? one : many}`;

/** A subject as the learner reads it: RFC 2047 encoded-words and raw UTF-8 decoded. */
const quote = (subject: string) => `'${decodeEncodedWords(subject) || '(no subject)'}'`;

const LOCAL_WORDS: Record<string, string> = {
  read: 'marked read',
  unread: 'marked unread',
  flag: 'flagged',
  unflag: 'unflagged',
  delete: 'deleted',
  move: 'moved',
};

export class Narrator {
  /** Newest last, at most `limit`. */
  entries: ActivityEntry[] = [];
  /** Changes on every push (entries may be updated in place when a run folds). */
  version = 0;

  private connections = new Map<string, { device: string; manual: boolean; protocol: string }>();
  private step: WorldAction | null = null;
  private stepSeq = 0;
  /** Events of each kind in the current step, and the entry that sums up each run past FOLD_AFTER. */
  private runs = new Map<string, number>();
  private summaries = new Map<string, ActivityEntry>();
  private lastCommand = new Map<string, number>();
  private sessionStart = new Map<string, number>();
  private subjects = new Map<string, string>();
  /** The subject of each device's last local action (a move's expunge names it). */
  private lastLocal = new Map<string, string>();
  /** Subjects by Message-ID, learned from downloads: a removed copy can still be named. */
  private byMessageId = new Map<string, string>();
  private readonly limit: number;

  constructor(
    private readonly world: NarratedWorld,
    options: { limit?: number } = {},
  ) {
    this.limit = options.limit ?? DEFAULT_LIMIT;
  }

  clear(): void {
    this.entries = [];
    this.runs.clear();
    this.summaries.clear();
    this.version++;
  }

  /** Takes one event; returns the entry it added or updated, or null when it says nothing new. */
  push(e: WorldEvent): ActivityEntry | null {
    const entry = this.narrate(e);
    if (entry) this.version++;
    return entry;
  }

  // ---- helpers -------------------------------------------------------------------------

  private name(id: string | null | undefined, capital = true): string {
    if (!id) return capital ? 'A client' : 'a client';
    let name = id;
    if (this.world.deviceIds.includes(id)) name = this.world.device(id).name;
    return theDevice(name, capital);
  }

  private add(
    e: WorldEvent,
    device: string | null,
    text: string,
    tone: ActivityTone = 'info',
    lines: ActivityEntry['lines'] = null,
  ): ActivityEntry {
    const entry: ActivityEntry = { seq: e.seq, at: e.at, device, text, tone, lines, count: 1 };
    this.entries.push(entry);
    if (this.entries.length > this.limit * 1.25) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /**
   * Adds an entry, unless FOLD_AFTER of this kind already came in this step: then one summary
   * entry counts the rest (`summary(n)` says what n more events did).
   */
  private fold(
    e: WorldEvent,
    key: string,
    device: string | null,
    text: () => string,
    summary: (n: number) => string,
    tone: ActivityTone = 'info',
    lines: ActivityEntry['lines'] = null,
    after = FOLD_AFTER,
  ): ActivityEntry {
    const run = `${this.stepSeq}|${key}`;
    const n = this.runs.get(run) ?? 0;
    this.runs.set(run, n + 1);
    if (n < after) return this.add(e, device, text(), tone, lines);
    const existing = this.summaries.get(run);
    if (existing && this.entries.includes(existing)) {
      existing.count++;
      existing.text = summary(existing.count);
      existing.seq = e.seq;
      existing.at = e.at;
      if (existing.lines && lines) existing.lines.to = lines.to;
      return existing;
    }
    const entry = this.add(e, device, summary(1), tone, lines ? { ...lines } : null);
    this.summaries.set(run, entry);
    return entry;
  }

  private subjectOnServer(mailbox: string, uid: number): string | null {
    const key = `${mailbox}:${uid}`;
    const known = this.subjects.get(key);
    if (known !== undefined) return known;
    const m = this.world.mailStore.getMessage(this.world.account.user, mailbox, uid);
    if (!m) return null;
    const subject = summarizeHeader(m.raw).subject;
    this.subjects.set(key, subject);
    return subject;
  }

  private subjectOnDevice(device: string, messageId: string): string {
    const known = this.byMessageId.get(messageId);
    if (known !== undefined) return known;
    if (!this.world.deviceIds.includes(device)) return '';
    const subject = this.world.device(device).messages.find((m) => m.messageId === messageId)?.subject;
    if (subject !== undefined) this.byMessageId.set(messageId, subject);
    return subject ?? '';
  }

  private linesOf(device: string, from?: number, to?: number): ActivityEntry['lines'] {
    const start = from ?? this.lastCommand.get(device);
    if (start === undefined || to === undefined) return null;
    return { device, from: start, to };
  }

  // ---- the sentences ----------------------------------------------------------------------

  private narrate(e: WorldEvent): ActivityEntry | null {
    switch (e.type) {
      case 'world.step':
        this.step = e.action;
        this.stepSeq = e.seq;
        this.runs.clear();
        this.summaries.clear();
        return this.narrateStep(e, e.action);
      case 'world.clock': {
        if (e.to - e.from < 60_000) return null;
        return this.add(e, null, `${formatDuration(e.to - e.from)} passed; it is now ${formatTime(e.to)}.`);
      }
      case 'world.note':
        return this.add(e, null, e.text);
      case 'world.undo':
        return this.add(e, null, 'Undone: the world is back as it was before the last step.');
      case 'world.redo':
        return this.add(e, null, 'Redone: the step is back.');
      case 'world.reset':
        return this.add(e, null, 'Reset: the world is back at its start.');
      case 'world.device.added':
        return this.add(
          e,
          e.device,
          `${this.name(e.device)} joined, set up for ${e.protocol === 'imap' ? 'IMAP' : 'POP3'}; it holds no mail yet.`,
        );

      case 'world.device.removed':
        return null; // the step says it, while the device's name is still known
      case 'device.connected': {
        const manual =
          (this.step?.do === 'manual' || this.step?.do === 'connect') && this.step.device === e.device;
        this.connections.set(e.connection, { device: e.device, manual, protocol: e.protocol });
        this.sessionStart.set(e.device, e.seq);
        return null;
      }
      case 'device.command':
        this.lastCommand.set(e.device, e.seq);
        return null;
      case 'device.reply':
        return null;
      case 'device.disconnected':
        if (e.reason === 'dropped' && this.step?.do === 'drop')
          return this.add(
            e,
            e.device,
            e.protocol === 'pop3'
              ? `${this.name(e.device)}'s connection broke without QUIT: the POP3 session never entered UPDATE, so nothing it marked was removed.`
              : `${this.name(e.device)}'s connection broke without LOGOUT; what it already stored on the server stays.`,
            'warn',
          );
        return null;
      case 'device.check':
        return this.narrateCheck(e);
      case 'device.downloaded': {
        this.byMessageId.set(e.messageId, e.subject);
        const lines = this.linesOf(e.device, undefined, e.seq);
        const how =
          e.protocol === 'pop3'
            ? `(${e.command})`
            : `(${shortFetch(e.command)}); the server keeps the original`;
        return this.fold(
          e,
          `dl|${e.device}`,
          e.device,
          () =>
            e.protocol === 'pop3'
              ? `${this.name(e.device)} downloaded ${quote(e.subject)} ${how}.`
              : `${this.name(e.device)} copied ${quote(e.subject)} from ${e.folder} ${how}.`,
          (n) =>
            `${this.name(e.device)} ${e.protocol === 'pop3' ? 'downloaded' : 'copied'} ${plural(n, 'more message')}.`,
          'good',
          lines,
        );
      }
      case 'device.removed':
        return this.fold(
          e,
          `rm|${e.device}`,
          e.device,
          () =>
            e.reason === 'expunged'
              ? `${this.name(e.device)} removed its copy of ${quote(this.subjectOnDevice(e.device, e.messageId))} from ${e.folder}: the server said it is gone from there.`
              : `${this.name(e.device)} dropped its copies in ${e.folder}: the folder's UIDVALIDITY changed.`,
          (n) =>
            `${this.name(e.device)} removed ${plural(n, 'more copy', 'more copies')} the server had expunged.`,
          'warn',
          this.linesOf(e.device, undefined, e.seq),
        );
      case 'device.flags.synced': {
        const read = e.flags.includes('\\Seen') ? 'read' : 'unread';
        const flagged = e.flags.includes('\\Flagged') ? ', flagged' : '';
        return this.fold(
          e,
          `fl|${e.device}`,
          e.device,
          () =>
            `${this.name(e.device)} learned from the server that ${quote(this.subjectOnDevice(e.device, e.messageId))} is now ${read}${flagged}.`,
          (n) => `${this.name(e.device)} updated the flags of ${plural(n, 'more message')}.`,
          'info',
          this.linesOf(e.device, undefined, e.seq),
        );
      }
      case 'device.folder.created':
        return e.by === 'sync'
          ? this.fold(
              e,
              `folder|${e.device}`,
              e.device,
              () => `${this.name(e.device)} found the folder '${e.folder}' on the server.`,
              (n) =>
                `${this.name(e.device)} found ${plural(n, 'more folder')} on the server (the last: '${e.folder}').`,
              'info',
              null,
              1,
            )
          : this.add(e, e.device, `${this.name(e.device)} has a new folder '${e.folder}'.`);
      case 'device.folder.removed':
        return this.add(
          e,
          e.device,
          `${this.name(e.device)} removed the folder '${e.folder}': it is gone from the server.`,
        );
      case 'device.local': {
        const subject = this.subjectOnDevice(e.device, e.messageId);
        this.lastLocal.set(e.device, subject);
        const what =
          e.action === 'move'
            ? `moved ${quote(subject)} to ${e.to}`
            : `${LOCAL_WORDS[e.action]} ${quote(subject)}`;
        const device = this.world.deviceIds.includes(e.device) ? this.world.device(e.device) : null;
        const where =
          device?.protocol === 'pop3'
            ? ' on the device only: POP3 has no way to tell the server.'
            : e.queued
              ? ' while offline; the change waits in its queue.'
              : '.';
        return this.fold(
          e,
          `local|${e.device}|${e.action}`,
          e.device,
          () => `On ${this.name(e.device, false)}: ${what}${where}`,
          (n) => `On ${this.name(e.device, false)}, ${plural(n, 'more message')} ${LOCAL_WORDS[e.action]}.`,
        );
      }
      case 'device.queue.replayed':
        return e.actions
          ? this.add(
              e,
              e.device,
              `${this.name(e.device)} is back and sent its ${plural(e.actions, 'queued change')} to the server.`,
              'good',
            )
          : null;
      case 'device.online':
        return this.add(
          e,
          e.device,
          e.online ? `${this.name(e.device)} is online again.` : `${this.name(e.device)} went offline.`,
          e.online ? 'info' : 'warn',
        );
      case 'device.lost':
        return this.add(
          e,
          e.device,
          `${this.name(e.device)} was lost, and the ${plural(e.messages, 'message')} stored on it with it.`,
          'bad',
        );
      case 'device.protocol':
        return this.add(
          e,
          e.device,
          `${this.name(e.device)} now uses ${e.protocol === 'imap' ? 'IMAP' : 'POP3'}${e.discarded ? `; its ${plural(e.discarded, 'local copy', 'local copies')} went with the old account` : ''}.`,
        );
      case 'device.settings':
        return null; // the step says it
      case 'device.error':
        return this.add(e, e.device, `${this.name(e.device)}: ${e.message}.`, 'bad');

      case 'server.store':
        return this.narrateStore(e, e.event);
      case 'server.event':
        return this.narrateServer(e, e.event);
    }
    return null;
  }

  private narrateStep(e: WorldEvent, a: WorldAction): ActivityEntry | null {
    switch (a.do) {
      case 'offline':
      case 'online':
        return null; // device.online says it
      case 'settings':
        return this.add(
          e,
          a.device,
          `${this.name(a.device)}'s settings changed: ${describeSettings(a.settings)}.`,
        );
      case 'traffic':
        return this.add(
          e,
          null,
          `Mail will keep arriving: about ${plural(a.perDay, 'message')} a day for ${plural(a.days, 'day')}.`,
        );
      case 'drop':
        return null;
      case 'removeDevice':
        return this.add(e, null, `${this.name(a.device)} was removed from the lab, with whatever it held.`);
      case 'fault': {
        const who = this.name(a.device, false);
        const both = 'other' in a ? `${who} and ${this.name(a.other, false)}` : who;
        return this.add(e, a.device, `Fault: ${FAULTS[a.fault].title.toLowerCase()} (${both}).`, 'warn');
      }
      default:
        return null;
    }
  }

  private narrateCheck(e: Extract<WorldEvent, { type: 'device.check' }>): ActivityEntry | null {
    const who = this.name(e.device);
    const lines = this.linesOf(e.device, this.sessionStart.get(e.device), e.seq);
    switch (e.result) {
      case 'ok': {
        if (e.protocol === 'pop3') {
          const got = e.downloaded ? `downloaded ${plural(e.downloaded, 'message')}` : 'found nothing new';
          const gone = e.deletedOnServer
            ? `; ${plural(e.deletedOnServer, 'message')} left the server at QUIT`
            : '';
          return this.add(e, e.device, `${who} checked mail over POP3 and ${got}${gone}.`, 'info', lines);
        }
        const got = e.downloaded ? `copied ${plural(e.downloaded, 'new message')}` : 'is up to date';
        return this.add(e, e.device, `${who} synchronized over IMAP and ${got}.`, 'info', lines);
      }
      case 'locked':
        return null; // lock.refused says it, with who holds the lock
      case 'dropped':
        return this.add(
          e,
          e.device,
          e.protocol === 'pop3'
            ? `${who} ${e.downloaded ? `downloaded ${plural(e.downloaded, 'message')}, then its` : 'checked mail, but its'} connection broke before QUIT: the session never entered UPDATE, so the server removed nothing (RFC 1939 §6).`
            : `${who} synchronized over IMAP, then its connection broke before LOGOUT: every change was already stored on the server.`,
          'warn',
          lines,
        );
      case 'offline':
        return this.add(e, e.device, `${who} is offline and could not check mail.`, 'warn');
      case 'auth-failed':
        return this.add(
          e,
          e.device,
          `${who} could not log in${e.detail ? `: ${e.detail}` : ''}.`,
          'bad',
          lines,
        );
      default:
        return this.add(
          e,
          e.device,
          `${who} could not check mail${e.detail ? `: ${e.detail}` : ''}.`,
          'bad',
          lines,
        );
    }
  }

  private narrateStore(
    e: WorldEvent,
    s: Extract<WorldEvent, { type: 'server.store' }>['event'],
  ): ActivityEntry | null {
    const by = s.origin ? this.connections.get(s.origin) : undefined;
    switch (s.type) {
      case 'message.delivered': {
        if (by) return null; // a copy or a move made by a device: its own sentence says it
        const subject = this.subjectOnServer(s.mailbox, s.uid);
        return this.fold(
          e,
          'delivered',
          null,
          () =>
            `New mail arrived on the server: ${quote(subject ?? '')} in ${s.mailbox} (${plural(s.size, 'octet')}).`,
          (n) => `${plural(n, 'more message')} arrived on the server.`,
          'good',
        );
      }
      case 'flags.changed': {
        if (!by) return null;
        const subject = this.subjectOnServer(s.mailbox, s.uid) ?? '';
        const shown = s.flags.filter((f) => f !== '\\Recent').join(' ') || 'no flags';
        if (by.protocol === 'pop3')
          // Dovecot sets \Seen on what a POP3 session retrieved, when the session ends with QUIT.
          return this.fold(
            e,
            `seen|${by.device}`,
            by.device,
            () =>
              `The server now counts ${quote(subject)} as seen: ${this.name(by.device, false)} retrieved it.`,
            (n) => `The server counts ${plural(n, 'more message')} as seen.`,
            'info',
            this.linesOf(by.device, undefined, e.seq),
          );
        return this.fold(
          e,
          `flags|${by.device}`,
          by.device,
          () => `The server stored ${quote(subject)} with ${shown} (from ${this.name(by.device, false)}).`,
          (n) =>
            `The server stored new flags on ${plural(n, 'more message')} (from ${this.name(by.device, false)}).`,
          'info',
          this.linesOf(by.device, undefined, e.seq),
        );
      }
      case 'message.expunged': {
        if (!by)
          return this.add(
            e,
            null,
            `The server removed ${plural(s.uids.length, 'message')} from ${s.mailbox}.`,
            'warn',
          );
        if (by.protocol === 'pop3')
          return this.add(
            e,
            by.device,
            `The server removed ${plural(s.uids.length, 'message')} when ${this.name(by.device, false)}'s POP3 session ended with QUIT.`,
            'warn',
            this.linesOf(by.device, undefined, e.seq),
          );
        const moved =
          this.step?.do === 'move' || (this.step?.do === 'delete' && this.step.device === by.device);
        const one =
          s.uids.length !== 1
            ? undefined
            : (this.subjects.get(`${s.mailbox}:${s.uids[0]}`) ??
              (moved ? this.lastLocal.get(by.device) : undefined));
        const what = one !== undefined ? quote(one) : plural(s.uids.length, 'message');
        return this.add(
          e,
          by.device,
          moved
            ? `${this.name(by.device)} moved ${what} out of ${s.mailbox} on the server; every device sees it go.`
            : `${this.name(by.device)} expunged ${what} from ${s.mailbox} on the server; every device sees it go.`,
          'warn',
          this.linesOf(by.device, undefined, e.seq),
        );
      }
      case 'mailbox.created':
        return this.add(
          e,
          by?.device ?? null,
          `The server has a new folder '${s.mailbox}'${by ? ` (created by ${this.name(by.device, false)})` : ''}.`,
        );
      case 'mailbox.deleted':
        return this.add(
          e,
          by?.device ?? null,
          `The folder '${s.mailbox}' was deleted on the server.`,
          'warn',
        );
      case 'mailbox.renamed':
        return this.add(
          e,
          by?.device ?? null,
          `The folder '${s.from}' was renamed to '${s.to}' on the server.`,
        );
      default:
        return null;
    }
  }

  private narrateServer(
    e: WorldEvent,
    s: Extract<WorldEvent, { type: 'server.event' }>['event'],
  ): ActivityEntry | null {
    const conn = 'connection' in s ? this.connections.get(s.connection) : undefined;
    switch (s.type) {
      case 'lock.refused': {
        const holder = this.world.lockHolder();
        const device = conn?.device ?? null;
        return this.add(
          e,
          device,
          `${this.name(device)} was refused: the maildrop is locked by ${holder ? this.name(holder, false) : 'another session'} [IN-USE].`,
          'bad',
          device ? this.linesOf(device, undefined, e.seq) : null,
        );
      }
      case 'lock.taken':
        return conn?.manual
          ? this.add(
              e,
              conn.device,
              `${this.name(conn.device)}'s POP3 session locked the maildrop: no other POP3 session may open it until this one ends.`,
            )
          : null;
      case 'lock.released':
        return conn?.manual
          ? this.add(e, conn.device, `The maildrop lock of ${this.name(conn.device, false)} was released.`)
          : null;
      case 'pop3.marked': {
        if (!conn) return null;
        const subject = this.subjectOnServer('INBOX', s.uid) ?? '';
        return this.fold(
          e,
          `mark|${conn.device}|${s.deleted}`,
          conn.device,
          () =>
            s.deleted
              ? `${this.name(conn.device)} marked ${quote(subject)} for deletion (DELE); it leaves the server only at QUIT.`
              : `${this.name(conn.device)}'s RSET unmarked ${quote(subject)}: it stays on the server.`,
          (n) =>
            `${this.name(conn.device)} ${s.deleted ? 'marked' : 'unmarked'} ${plural(n, 'more message')}.`,
          s.deleted ? 'warn' : 'info',
          this.linesOf(conn.device, undefined, e.seq),
        );
      }
      case 'session.state':
        if (!conn?.manual || s.to === 'closed') return null;
        return this.add(
          e,
          conn.device,
          `${this.name(conn.device)}'s ${s.protocol === 'imap' ? 'IMAP' : 'POP3'} session is now in ${s.to}.`,
          'info',
          this.linesOf(conn.device, undefined, e.seq),
        );
      case 'connection.closed':
        if (!conn?.manual) return null;
        if (s.reason === 'bad-input')
          return this.add(
            e,
            conn.device,
            `The server hung up on ${this.name(conn.device, false)} after too many bad commands.`,
            'bad',
          );
        if (s.reason === 'timeout')
          return this.add(
            e,
            conn.device,
            `The server closed ${this.name(conn.device, false)}'s idle connection.`,
            'warn',
          );
        return null;
      default:
        return null;
    }
  }
}

/** "UID FETCH 4:* (UID FLAGS RFC822.SIZE BODY.PEEK[])" → "UID FETCH 4:* … BODY.PEEK[]". */
function shortFetch(command: string): string {
  const m = /^(UID FETCH \S+) \(.*?(BODY(?:\.PEEK)?\[[^\]]*\]|RFC822|BINARY\[[^\]]*\])\)?$/i.exec(command);
  return m ? `${m[1]} … ${m[2]}` : command;
}

function describeSettings(s: Extract<WorldAction, { do: 'settings' }>['settings']): string {
  const parts: string[] = [];
  if (s.checkEveryMinutes !== undefined)
    parts.push(
      s.checkEveryMinutes
        ? `checks every ${formatDuration(s.checkEveryMinutes * 60_000)}`
        : 'checks only when asked',
    );
  const p = s.pop3;
  if (p?.leaveOnServer !== undefined)
    parts.push(
      p.leaveOnServer
        ? 'leaves messages on the server'
        : 'removes messages from the server after downloading',
    );
  if (p?.removeAfterDays !== undefined)
    parts.push(
      p.removeAfterDays === null
        ? 'keeps server copies forever'
        : `removes server copies after ${plural(p.removeAfterDays, 'day')}`,
    );
  if (p?.removeWhenDeletedHere !== undefined)
    parts.push(
      p.removeWhenDeletedHere
        ? 'removes from the server what is deleted here'
        : 'keeps on the server what is deleted here',
    );
  const i = s.imap;
  if (i?.mode !== undefined) parts.push(i.mode === 'idle' ? 'stays in IDLE for push' : 'polls with NOOP');
  if (i?.deleteAction !== undefined)
    parts.push(i.deleteAction === 'trash' ? 'deletes to Trash' : 'deletes with EXPUNGE');
  return parts.join(', ') || 'nothing';
}
