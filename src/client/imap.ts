/**
 * An IMAP mail app (RFC 9051): it keeps one connection open with INBOX
 * selected, keeps its own view of sequence numbers, and mirrors the server:
 * new messages by UID, flags, expunges, folders. Local actions go to the
 * server at once (or are queued while offline and replayed when back).
 */
import type { DeviceEvent } from './events';
import { ImapFailure, keptBytes, Link, LinkError, type DeviceEnv } from './link';
import { folderTallies, forgetIndex, noteAppended } from './local-index';
import { newKey } from './pop3';
import { summarizeHeader } from './summary';
import type { DeviceData, LocalFolder, LocalMessage, QueuedAction } from './types';
import {
  expandSequenceSet,
  fetchItemsOf,
  imapQuote,
  parseImapValues,
  responseCode,
  responseStatus,
  sequenceSet,
  valueText,
  type ImapResponse,
  type ImapValue,
} from './wire';

export interface TaggedResult {
  status: string;
  code: string[] | null;
  line: string;
  untagged: ImapResponse[];
}

export { ImapFailure };

const TRASH = 'Trash';

/** The live half of an IMAP device: connection, selected mailbox, sequence-number view. */
export class ImapClient {
  link: Link | null = null;
  capabilities = new Set<string>();
  selected: string | null = null;
  private seqView: number[] = [];
  /** Entries of `view` that are 0: a poll with nothing new must not scan thousands of UIDs. */
  private unlearned = 0;
  /** The highest UID in `view` (-Infinity when empty), or null when it must be recomputed. */
  private viewMax: number | null = -Infinity;

  /** UID of each sequence number in the selected mailbox (0 = not learned yet). RFC 9051 §2.3.1.2. */
  get view(): number[] {
    return this.seqView;
  }

  set view(uids: number[]) {
    this.seqView = uids;
    let zeros = 0;
    for (const u of uids) if (u === 0) zeros++;
    this.unlearned = zeros;
    this.viewMax = null;
  }

  /** The highest UID the sequence view holds (what a loop over `view` keeping the maximum gives). */
  private highestInView(): number {
    if (this.viewMax === null) {
      let max = -Infinity;
      for (const u of this.seqView) if (u > max) max = u;
      this.viewMax = max;
    }
    return this.viewMax;
  }
  private tag = 0;
  /** Local copies being moved by us: an EXPUNGE of their old UID must not delete them here. */
  private keep = new Set<string>();
  private idleTag: string | null = null;

  constructor(
    private readonly env: DeviceEnv,
    private data: DeviceData,
  ) {}

  bind(data: DeviceData): void {
    this.data = data;
  }

  get connected(): boolean {
    return !!this.link && !this.link.closed;
  }

  // ---- connection ------------------------------------------------------------

  /** Connects, logs in, replays the offline queue, and resynchronizes every folder. */
  connect(): { downloaded: number } {
    const d = this.data;
    const connection = this.env.connect('imap', d.id);
    this.link = new Link(connection, 'imap', d.id, this.env, d.transcript);
    this.selected = null;
    this.view = [];
    this.env.emit({ type: 'device.connected', device: d.id, protocol: 'imap', connection: connection.id });
    const greeting = this.link.imapResponse();
    if (!greeting || responseStatus(greeting) !== 'OK') {
      const why = greeting?.line ?? 'no greeting';
      this.drop('server');
      throw new ImapFailure(why);
    }
    this.noteCapabilities(greeting);
    const login = this.command(`LOGIN ${imapQuote(d.user)} ${imapQuote(d.password)}`);
    if (login.status !== 'OK') {
      this.logout();
      throw new ImapFailure(`login refused: ${login.line}`);
    }
    if (!this.capabilities.size || !login.code || login.code[0].toUpperCase() !== 'CAPABILITY') {
      this.command('CAPABILITY');
    }
    this.replayQueue();
    return { downloaded: this.syncAll(true) };
  }

  private noteCapabilities(r: ImapResponse): void {
    const code = responseCode(r);
    if (code && code[0].toUpperCase() === 'CAPABILITY') this.setCapabilities(code.slice(1));
  }

  private setCapabilities(words: string[]): void {
    this.capabilities = new Set(words.map((w) => w.toUpperCase()));
  }

  /** The connection went away without LOGOUT (device offline, lost, or server closed it). */
  drop(reason: 'dropped' | 'server' = 'dropped'): void {
    if (!this.link) return;
    this.link.dispose();
    this.link = null;
    this.selected = null;
    this.view = [];
    this.idleTag = null;
    this.env.emit({ type: 'device.disconnected', device: this.data.id, protocol: 'imap', reason });
  }

  logout(): void {
    if (!this.connected) return this.drop('server');
    try {
      this.stopIdle();
      this.command('LOGOUT');
    } catch (err) {
      if (!(err instanceof LinkError)) throw err;
    }
    this.link?.dispose();
    this.link = null;
    this.selected = null;
    this.view = [];
    this.env.emit({ type: 'device.disconnected', device: this.data.id, protocol: 'imap', reason: 'logout' });
  }

  // ---- commands ----------------------------------------------------------------

  /**
   * Sends one tagged command and reads until its tagged completion. Untagged
   * responses about the selected mailbox (EXISTS, EXPUNGE, FETCH flags) are
   * applied to the local mirror on the way, in order (RFC 9051 §7).
   */
  command(text: string, onUntagged?: (r: ImapResponse) => void): TaggedResult {
    const link = this.requireLink();
    this.stopIdle();
    const tag = `A${++this.tag}`;
    link.write(`${tag} ${text}`);
    return this.readUntil(tag, onUntagged);
  }

  private requireLink(): Link {
    if (!this.link || this.link.closed) throw new LinkError('not connected');
    return this.link;
  }

  private readUntil(tag: string, onUntagged?: (r: ImapResponse) => void): TaggedResult {
    const link = this.requireLink();
    const untagged: ImapResponse[] = [];
    for (;;) {
      const r = link.imapResponse();
      if (!r) throw new LinkError(link.closed ? 'connection closed by server' : `no tagged reply for ${tag}`);
      if (r.tag === tag) {
        const status = responseStatus(r) ?? 'BAD';
        const code = responseCode(r);
        if (code && code[0].toUpperCase() === 'CAPABILITY') this.setCapabilities(code.slice(1));
        return { status, code, line: r.line, untagged };
      }
      untagged.push(r);
      if (r.tag === '*') {
        this.applyUntagged(r);
        onUntagged?.(r);
      }
    }
  }

  /** Applies what the server says about the selected mailbox to the local mirror. */
  private applyUntagged(r: ImapResponse): void {
    // Each pattern below needs its own third character ("* 3 EXISTS", "* CAPABILITY", "* BYE"):
    // looking at it first spares three RegExp runs on each of the year's STATUS and LIST lines.
    const c = r.line.charCodeAt(2);
    const m = c >= 48 && c <= 57 ? /^\* (\d+) (EXISTS|EXPUNGE|FETCH)\b/i.exec(r.line) : null;
    if (!m) {
      if ((c | 0x20) === 0x63 /* c */ && /^\* CAPABILITY /i.test(r.line))
        this.setCapabilities(r.line.split(' ').slice(2));
      if ((c | 0x20) === 0x62 /* b */ && /^\* BYE\b/i.test(r.line)) this.link!.closed = true;
      return;
    }
    const n = Number(m[1]);
    const kind = m[2].toUpperCase();
    if (kind === 'EXISTS') {
      while (this.view.length < n) {
        this.view.push(0);
        this.unlearned++;
      }
      return;
    }
    if (kind === 'EXPUNGE') {
      // §7.5.1: the message with this sequence number is gone and later ones move down by one.
      const uid = this.view[n - 1];
      this.view.splice(n - 1, 1);
      if (uid === 0) this.unlearned--;
      if (uid === this.viewMax) this.viewMax = null;
      if (uid && this.selected) this.removeLocal(this.selected, uid, 'expunged');
      return;
    }
    const items = fetchItemsOf(r);
    const uidText = valueText(items.get('UID'));
    if (uidText) {
      const before = this.view[n - 1];
      const after = Number(uidText);
      this.view[n - 1] = after;
      if (before === 0) this.unlearned--;
      if (after === 0) this.unlearned++;
      if (this.viewMax !== null) {
        if (after > this.viewMax) this.viewMax = after;
        else if (before === this.viewMax && after !== before) this.viewMax = null;
      }
    }
    const uid = this.view[n - 1];
    const flags = items.get('FLAGS');
    // A FETCH carrying a body answers our own UID FETCH of new mail; fetchBodies takes it from here.
    if (uid && Array.isArray(flags) && this.selected && !items.has('BODY[]')) {
      const local = this.findLocal(this.selected, uid);
      if (local)
        this.syncFlags(
          local,
          flags.map((f) => String(f)),
        );
    }
  }

  private findLocal(folder: string, uid: number): LocalMessage | undefined {
    return this.data.messages.find((x) => x.folder === folder && x.uid === uid);
  }

  private removeLocal(folder: string, uid: number, reason: 'expunged' | 'uidvalidity'): void {
    const d = this.data;
    const i = d.messages.findIndex((x) => x.folder === folder && x.uid === uid);
    if (i < 0 || this.keep.has(d.messages[i].key)) return;
    forgetIndex(d.messages);
    const [gone] = d.messages.splice(i, 1);
    this.env.emit({ type: 'device.removed', device: d.id, messageId: gone.messageId, folder, reason });
  }

  private syncFlags(local: LocalMessage, flags: string[]): void {
    // \Recent is session state, not something a user sees (RFC 3501 §2.3.2); keep it out of the mirror.
    const next = flags.filter((f) => f.toUpperCase() !== '\\RECENT');
    if (sameSet(local.flags, next)) return;
    forgetIndex(this.data.messages);
    local.flags = next;
    this.env.emit({
      type: 'device.flags.synced',
      device: this.data.id,
      messageId: local.messageId,
      folder: local.folder,
      flags: [...next],
    });
  }

  // ---- IDLE (RFC 2177) ---------------------------------------------------------

  /** Enters IDLE: the server may now push EXISTS/EXPUNGE/FETCH at any time. */
  startIdle(): void {
    if (!this.connected || this.idleTag || !this.capabilities.has('IDLE') || this.selected === null) return;
    const link = this.requireLink();
    const tag = `A${++this.tag}`;
    link.write(`${tag} IDLE`);
    for (;;) {
      const r = link.imapResponse();
      if (!r) throw new LinkError('no reply to IDLE');
      if (r.tag === '+') break;
      if (r.tag === tag) return; // refused: stay out of IDLE
      if (r.tag === '*') this.applyUntagged(r);
    }
    this.idleTag = tag;
    link.idling = true;
  }

  /** Leaves IDLE with DONE and reads the IDLE command's completion (and anything pushed before it). */
  stopIdle(): void {
    if (!this.idleTag || !this.link) return;
    const tag = this.idleTag;
    this.idleTag = null;
    this.link.idling = false;
    if (this.link.closed) return;
    // Anything pushed while idling is processed first, in order.
    this.link.write('DONE');
    this.readUntil(tag);
  }

  get idling(): boolean {
    return this.idleTag !== null;
  }

  /** The server pushed something during IDLE: leave IDLE, fetch what is new, go back to IDLE. */
  onPush(): number {
    if (!this.connected) return 0;
    this.stopIdle();
    const n = this.fetchNewInSelected();
    this.startIdle();
    return n;
  }

  // ---- synchronization -----------------------------------------------------------

  /**
   * One sync round. Cheap path: NOOP on the selected INBOX (the classic poll),
   * STATUS on other folders and a full pass only where something changed.
   * `full` selects and compares every folder.
   */
  syncAll(full: boolean): number {
    let downloaded = 0;
    this.syncFolderList();
    if (this.selected === 'INBOX' && !full) {
      this.command('NOOP');
      downloaded += this.fetchNewInSelected();
    } else {
      downloaded += this.selectAndSync('INBOX');
    }
    for (const folder of [...this.data.folders]) {
      if (folder.name === 'INBOX' || folder.localOnly) continue;
      // Messages and unseen held here in the folder, from the tally (local-index.ts), read after
      // INBOX's sync and before this folder's, as the scan it replaces was.
      if (!full && !this.folderChanged(folder, this.localCounts(folder.name))) continue;
      downloaded += this.selectAndSync(folder.name);
    }
    this.reselectInbox();
    return downloaded;
  }

  /** Local copies in `folder` and how many of them lack \\Seen. */
  private localCounts(folder: string): { messages: number; unseen: number } {
    const t = folderTallies(this.data.messages).get(folder);
    return t ? { messages: t.messages, unseen: t.unseen } : { messages: 0, unseen: 0 };
  }

  /** LIST "" "*": mirror the server's folders (RFC 9051 §6.3.9). */
  private syncFolderList(): void {
    const names: string[] = [];
    const list = this.command('LIST "" "*"', (r) => {
      if (!/^\* LIST /i.test(r.line)) return;
      const values = parseImapValues(r, 2);
      const attrs = (values[0] as ImapValue[]) ?? [];
      if (attrs.some((a) => String(a).toUpperCase() === '\\NOSELECT')) return;
      const name = valueText(values[2]);
      if (name !== null) names.push(name);
    });
    if (list.status !== 'OK') return;
    const d = this.data;
    for (const name of names) {
      if (!d.folders.some((f) => f.name === name)) {
        d.folders.push({ name });
        this.env.emit({ type: 'device.folder.created', device: d.id, folder: name, by: 'sync' });
      }
    }
    const keep = new Set(names);
    for (const f of [...d.folders]) {
      if (keep.has(f.name) || f.localOnly) continue;
      d.folders = d.folders.filter((x) => x !== f);
      for (const m of d.messages.filter((x) => x.folder === f.name))
        this.removeLocal(f.name, m.uid ?? -1, 'expunged');
      d.messages = d.messages.filter((x) => x.folder !== f.name);
      this.env.emit({ type: 'device.folder.removed', device: d.id, folder: f.name });
    }
  }

  /** STATUS (RFC 9051 §6.3.11): did the folder change since this device last looked? */
  private folderChanged(folder: LocalFolder, local: { messages: number; unseen: number }): boolean {
    const status = this.status;
    status.messages = status.uidNext = status.uidValidity = status.unseen = undefined;
    const r = this.command(
      `STATUS ${imapQuote(folder.name)} (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)`,
      this.onStatus,
    );
    if (r.status !== 'OK') return true;
    return (
      status.uidValidity !== folder.uidValidity ||
      status.uidNext !== folder.uidNext ||
      status.messages !== local.messages ||
      status.unseen !== local.unseen
    );
  }

  /** The items of the last `* STATUS` response (undefined: not in it). */
  private readonly status: {
    messages: number | undefined;
    uidNext: number | undefined;
    uidValidity: number | undefined;
    unseen: number | undefined;
  } = { messages: undefined, uidNext: undefined, uidValidity: undefined, unseen: undefined };

  /**
   * Reads a `* STATUS` response into `status` (the last one counts, an item given twice too).
   * Made once, not a closure per STATUS; the four items go to fields instead of an object keyed
   * by each name upper-cased (a year of checks sends 100,000 STATUS commands).
   */
  private readonly onStatus = (u: ImapResponse): void => {
    if (!/^\* STATUS /i.test(u.line)) return;
    const values = parseImapValues(u, 2);
    const items = (values[1] as ImapValue[]) ?? [];
    const status = this.status;
    status.messages = status.uidNext = status.uidValidity = status.unseen = undefined;
    for (let i = 0; i + 1 < items.length; i += 2) {
      switch (String(items[i]).toUpperCase()) {
        case 'MESSAGES':
          status.messages = Number(items[i + 1]);
          break;
        case 'UIDNEXT':
          status.uidNext = Number(items[i + 1]);
          break;
        case 'UIDVALIDITY':
          status.uidValidity = Number(items[i + 1]);
          break;
        case 'UNSEEN':
          status.unseen = Number(items[i + 1]);
          break;
      }
    }
  };

  /** SELECT and compare the whole mailbox: UIDVALIDITY, UIDs present, flags, new messages. */
  selectAndSync(name: string): number {
    const d = this.data;
    const info = this.select(name);
    if (!info) return 0;
    let folder = d.folders.find((f) => f.name === name);
    if (!folder) {
      folder = { name };
      d.folders.push(folder);
    }
    // RFC 9051 §2.3.1.1: a new UIDVALIDITY means every UID this device knows for the folder is void.
    if (folder.uidValidity !== undefined && folder.uidValidity !== info.uidValidity) {
      for (const m of d.messages.filter((x) => x.folder === name && x.uid !== undefined))
        this.removeLocal(name, m.uid!, 'uidvalidity');
    }
    // Copies filed here while offline have no UID yet; the server's copy replaces them.
    d.messages = d.messages.filter((x) => x.folder !== name || x.uid !== undefined);
    folder.uidValidity = info.uidValidity;
    const serverFlags = new Map<number, string[]>();
    if (this.view.length > 0) {
      this.command('UID FETCH 1:* (UID FLAGS)', (r) => {
        const m = /^\* (\d+) FETCH/i.exec(r.line);
        if (!m) return;
        const items = fetchItemsOf(r);
        const uid = Number(valueText(items.get('UID')));
        const flags = items.get('FLAGS');
        if (uid) serverFlags.set(uid, Array.isArray(flags) ? flags.map(String) : []);
      });
    }
    for (const m of d.messages.filter((x) => x.folder === name)) {
      const flags = serverFlags.get(m.uid!);
      if (!flags) this.removeLocal(name, m.uid!, 'expunged');
      else this.syncFlags(m, flags);
    }
    const have = new Set(d.messages.filter((x) => x.folder === name).map((x) => x.uid!));
    const missing = [...serverFlags.keys()].filter((u) => !have.has(u)).sort((a, b) => a - b);
    const downloaded = missing.length ? this.fetchBodies(name, sequenceSet(missing), 0) : 0;
    folder.uidNext = info.uidNext;
    return downloaded;
  }

  private select(name: string): { exists: number; uidValidity: number; uidNext: number } | null {
    this.selected = null;
    this.view = [];
    let exists = 0;
    let uidValidity = 0;
    let uidNext = 0;
    const r = this.command(`SELECT ${imapQuote(name)}`, (u) => {
      const e = /^\* (\d+) EXISTS/i.exec(u.line);
      if (e) exists = Number(e[1]);
      const code = responseCode(u);
      if (code?.[0].toUpperCase() === 'UIDVALIDITY') uidValidity = Number(code[1]);
      if (code?.[0].toUpperCase() === 'UIDNEXT') uidNext = Number(code[1]);
    });
    if (r.status !== 'OK') return null;
    this.selected = name;
    // EXISTS during SELECT already sized the view (applyUntagged ran while selected was null).
    this.view = new Array(exists).fill(0);
    return { exists, uidValidity, uidNext };
  }

  /**
   * Back to INBOX after visiting other folders. Nothing else runs between our
   * commands, so if EXISTS and UIDNEXT match the mirror, the sequence view is the
   * mirror's UIDs in order; otherwise compare the whole mailbox.
   */
  private reselectInbox(): number {
    if (this.selected === 'INBOX') return 0;
    const info = this.select('INBOX');
    if (!info) return 0;
    const folder = this.data.folders.find((f) => f.name === 'INBOX');
    const uids = this.data.messages
      .filter((m) => m.folder === 'INBOX' && m.uid !== undefined)
      .map((m) => m.uid!)
      .sort((a, b) => a - b);
    if (
      folder &&
      folder.uidValidity === info.uidValidity &&
      folder.uidNext === info.uidNext &&
      uids.length === info.exists
    ) {
      this.view = uids;
      return 0;
    }
    this.selected = null;
    return this.selectAndSync('INBOX');
  }

  /** After EXISTS grew: UID FETCH everything above the highest UID this device knows. */
  fetchNewInSelected(): number {
    const name = this.selected;
    if (!name) return 0;
    if (this.unlearned === 0) return 0;
    const folder = this.data.folders.find((f) => f.name === name);
    // Every UID below the UIDNEXT of the last sync is already known (or was expunged).
    let highest = Math.max((folder?.uidNext ?? 1) - 1, this.highestInView());
    const n = this.fetchBodies(name, `${highest + 1}:*`, highest);
    highest = Math.max(highest, this.highestInView());
    if (folder) folder.uidNext = Math.max(folder.uidNext ?? 1, highest + 1);
    return n;
  }

  /** UID FETCH of new messages, whole bodies with BODY.PEEK[] so \Seen is not set (RFC 9051 §6.4.5). */
  private fetchBodies(folder: string, set: string, above: number): number {
    const d = this.data;
    let downloaded = 0;
    const now = this.env.now();
    // Whether a copy with this UID is held in the folder comes from the folder's tally
    // (local-index.ts), which every local copy added below joins.
    const fetch = `UID FETCH ${set} (UID FLAGS RFC822.SIZE BODY.PEEK[])`;
    this.command(fetch, (r) => {
      if (!/^\* \d+ FETCH/i.test(r.line)) return;
      const items = fetchItemsOf(r);
      const uid = Number(valueText(items.get('UID')));
      const raw = valueText(items.get('BODY[]'));
      if (!uid || uid <= above || raw === null || folderTallies(d.messages).get(folder)?.uids.has(uid))
        return;
      const flags = items.get('FLAGS');
      const local: LocalMessage = {
        key: newKey(d),
        folder,
        ...summarizeHeader(raw),
        size: raw.length,
        flags: (Array.isArray(flags) ? flags.map(String) : []).filter((f) => f.toUpperCase() !== '\\RECENT'),
        fetchedAt: now,
        uid,
      };
      const kept = keptBytes(this.env, raw);
      if (kept !== undefined) local.raw = kept;
      d.messages.push(local);
      noteAppended(d.messages, local);
      downloaded++;
      this.env.emit({
        type: 'device.downloaded',
        device: d.id,
        protocol: 'imap',
        messageId: local.messageId,
        subject: local.subject,
        folder,
        size: local.size,
        command: fetch,
        uid,
      });
    });
    return downloaded;
  }

  // ---- local actions pushed to the server ------------------------------------------

  /** Makes sure `folder` is selected; returns false if it cannot be. */
  private ensureSelected(folder: string): boolean {
    if (this.selected === folder) return true;
    if (folder === 'INBOX') {
      this.reselectInbox();
      return this.selected === 'INBOX';
    }
    return this.select(folder) !== null && this.mapView(folder);
  }

  /** After SELECT of a non-INBOX folder, learns the sequence view (UID FETCH 1:* UID). */
  private mapView(folder: string): boolean {
    if (this.view.length) this.command('UID FETCH 1:* (UID FLAGS)');
    return this.selected === folder;
  }

  /** Applies one action on the server. Returns false when the message is no longer there. */
  perform(action: QueuedAction, key?: string): boolean {
    if (action.type === 'create') {
      const r = this.command(`CREATE ${imapQuote(action.name)}`);
      return r.status === 'OK' || r.code?.[0].toUpperCase() === 'ALREADYEXISTS';
    }
    if (!this.ensureSelected(action.folder)) return false;
    if (!this.view.includes(action.uid)) return false;
    let ok = false;
    if (action.type === 'flags') {
      if (action.add.length)
        ok = this.command(`UID STORE ${action.uid} +FLAGS.SILENT (${action.add.join(' ')})`).status === 'OK';
      if (action.remove.length)
        ok =
          this.command(`UID STORE ${action.uid} -FLAGS.SILENT (${action.remove.join(' ')})`).status === 'OK';
    } else if (action.type === 'delete') {
      const trash = this.data.folders.find((f) => f.name === TRASH);
      if (
        !action.expunge &&
        this.data.settings.imap.deleteAction === 'trash' &&
        trash &&
        action.folder !== TRASH
      ) {
        ok = this.move(action.folder, action.uid, TRASH, key);
      } else {
        // RFC 9051 §6.4.3 + UIDPLUS UID EXPUNGE (RFC 4315 §2.1): remove only this message.
        ok = this.command(`UID STORE ${action.uid} +FLAGS.SILENT (\\Deleted)`).status === 'OK';
        const cmd = this.capabilities.has('UIDPLUS') ? `UID EXPUNGE ${action.uid}` : 'EXPUNGE';
        ok = this.command(cmd).status === 'OK' && ok;
        this.removeLocal(action.folder, action.uid, 'expunged');
      }
    } else {
      ok = this.move(action.folder, action.uid, action.to, key);
    }
    this.reselectInbox();
    return ok;
  }

  /** UID MOVE (RFC 6851), or COPY + \Deleted + EXPUNGE without it; COPYUID tells the new UID (RFC 4315). */
  private move(from: string, uid: number, to: string, key?: string): boolean {
    const local = key
      ? this.data.messages.find((m) => m.key === key)
      : this.data.messages.find((m) => m.folder === from && m.uid === uid);
    if (local) this.keep.add(local.key);
    let copyUid: string[] | null = null;
    const spot = (r: ImapResponse) => {
      const code = responseCode(r);
      if (code?.[0].toUpperCase() === 'COPYUID') copyUid = code;
    };
    let ok: boolean;
    try {
      if (this.capabilities.has('MOVE')) {
        const r = this.command(`UID MOVE ${uid} ${imapQuote(to)}`, spot);
        if (r.code?.[0].toUpperCase() === 'COPYUID') copyUid = r.code;
        ok = r.status === 'OK';
      } else {
        const r = this.command(`UID COPY ${uid} ${imapQuote(to)}`);
        if (r.code?.[0].toUpperCase() === 'COPYUID') copyUid = r.code;
        ok = r.status === 'OK';
        if (ok) {
          this.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
          this.command(this.capabilities.has('UIDPLUS') ? `UID EXPUNGE ${uid}` : 'EXPUNGE');
        }
      }
    } finally {
      if (local) this.keep.delete(local.key);
    }
    if (local) {
      const code = copyUid as string[] | null;
      const dest = this.data.folders.find((f) => f.name === to);
      // COPYUID carries the destination's UIDVALIDITY (RFC 4315 §3); a UID is only meaningful with it.
      if (ok && code && dest && dest.uidValidity === undefined) dest.uidValidity = Number(code[1]);
      if (ok && code && dest && dest.uidValidity === Number(code[1])) {
        forgetIndex(this.data.messages);
        local.folder = to;
        local.uid = expandSequenceSet(code[3])[0];
      } else if (ok) {
        // No COPYUID: drop the copy; the next sync of the destination brings the server's copy.
        this.data.messages = this.data.messages.filter((m) => m !== local);
      } else if (local.folder === from && local.uid === uid && !this.view.includes(uid)) {
        // Refused because another device expunged it meanwhile (NO [EXPUNGEISSUED], with the
        // "* n EXPUNGE" kept from removing our copy during the move): it is gone from here too.
        this.removeLocal(from, uid, 'expunged');
      }
    }
    return ok;
  }

  /** Replays what was done offline, in order (the server's answers win where they disagree). */
  private replayQueue(): void {
    const d = this.data;
    if (!d.queue.length) return;
    const actions = d.queue;
    d.queue = [];
    for (const a of actions) {
      // Copies filed offline have no UID; find them by what the action says.
      this.perform(a);
    }
    this.env.emit({ type: 'device.queue.replayed', device: d.id, actions: actions.length });
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const up = new Set(a.map((x) => x.toUpperCase()));
  return b.every((x) => up.has(x.toUpperCase()));
}

export type { DeviceEvent };
