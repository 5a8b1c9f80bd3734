/**
 * The page's bridge to the world (WorldSession) on the real engine, in Node: what the panels
 * read after each step, the terminal's typing rules (tags, literals, notes), undo/redo, autosave,
 * share links and files.
 */
import { describe, expect, it } from 'vitest';
import { PageEngine } from '../../src/ui/world/engine';
import { imapSupport } from '../../src/ui/world/imap-support';
import { parseSaved, STORAGE_KEY, WorldSession } from '../../src/ui/world/session.svelte';
import { decodeShare, encodeShare } from '../../src/ui/world/share';
import { deviceList, serverList, copiesByMessage } from '../../src/ui/world/view-models';

class MemoryStorage implements Storage {
  #m = new Map<string, string>();
  quota = Infinity;
  get length() {
    return this.#m.size;
  }
  clear() {
    this.#m.clear();
  }
  getItem(k: string) {
    return this.#m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.#m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.#m.delete(k);
  }
  setItem(k: string, v: string) {
    if (v.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
    this.#m.set(k, v);
  }
}

function engine(): PageEngine {
  return new PageEngine(() => Promise.resolve(imapSupport));
}

async function sandbox() {
  const s = new WorldSession(engine(), { autosave: false });
  await s.start({ scenario: 'sandbox' });
  return s;
}

const dev = (s: WorldSession, id: string) => s.devices.find((d) => d.id === id)!;
const inbox = (s: WorldSession) => s.server!.folders.find((f) => f.name === 'INBOX')!.messages;
const lines = (s: WorldSession, id: string) =>
  s.world.device(id).transcript.map((t) => `${t.dir}: ${t.text}`);

describe('the sandbox', () => {
  it('starts with the lab mailbox on the server and three empty POP3 devices', async () => {
    const s = await sandbox();
    expect(s.devices.map((d) => [d.name, d.kind, d.protocol, d.messages.length])).toEqual([
      ['Phone', 'phone', 'pop3', 0],
      ['Laptop', 'laptop', 'pop3', 0],
      ['Work PC', 'workpc', 'pop3', 0],
    ]);
    expect(inbox(s)).toBe(12);
    expect(s.canUndo).toBe(false);
  });

  it('POP3 story: the laptop checks first, the phone then finds nothing', async () => {
    const s = await sandbox();
    await s.dispatch({ do: 'check', device: 'laptop' });
    expect(dev(s, 'laptop').messages).toHaveLength(12);
    expect(inbox(s)).toBe(0);
    await s.dispatch({ do: 'check', device: 'phone' });
    expect(dev(s, 'phone').messages).toHaveLength(0);
    expect(dev(s, 'phone').lastCheck).toMatchObject({ result: 'ok', downloaded: 0 });
    await s.narrated();
    expect(s.activity.map((a) => a.text)).toContain(
      "The server removed 12 messages when the laptop's POP3 session ended with QUIT.",
    );
    // The laptop's list: every copy local only, unread.
    const list = deviceList(dev(s, 'laptop'), 'INBOX');
    expect(list.items[1]).toMatchObject({ subject: 'Tea party on Thursday', unread: true });
    expect(list.items[1].tags.map((t) => t.text)).toEqual(['local only']);
  });

  it('IMAP story: a flag set on the phone reaches the laptop at its next check, at once in IDLE', async () => {
    const s = await sandbox();
    for (const id of ['phone', 'laptop']) await s.dispatch({ do: 'protocol', device: id, protocol: 'imap' });
    await s.dispatch({ do: 'check', device: 'phone' });
    await s.dispatch({ do: 'check', device: 'laptop' });
    const tea = dev(s, 'phone').messages.find((m) => m.subject === 'Tea party on Thursday')!;
    await s.dispatch({ do: 'flag', device: 'phone', message: tea.messageId });
    const onLaptop = () =>
      deviceList(dev(s, 'laptop'), 'INBOX').items.find((i) => i.subject === 'Tea party on Thursday')!;
    expect(onLaptop().flagged).toBe(false);
    await s.dispatch({ do: 'check', device: 'laptop' });
    expect(onLaptop().flagged).toBe(true);
    // Now with the laptop in IDLE: unflag on the phone shows at once.
    await s.dispatch({ do: 'settings', device: 'laptop', settings: { imap: { mode: 'idle' } } });
    await s.dispatch({ do: 'unflag', device: 'phone', message: tea.messageId });
    expect(onLaptop().flagged).toBe(false);
    expect(dev(s, 'laptop').sessions.sync?.view?.idling).toBe(true);
    // The server keeps every message, and knows which devices hold copies.
    const server = serverList(s.world, 'INBOX', s.server!, copiesByMessage(s.devices));
    expect(server.total).toBe(12);
    expect(server.items[1].tags.map((t) => t.text)).toContain('copies: Phone, Laptop');
  });

  it('a refused step changes nothing and says why', async () => {
    const s = await sandbox();
    expect(await s.dispatch({ do: 'advance', days: 99999 })).toBe(false);
    expect(s.notice?.tone).toBe('error');
    expect(s.notice?.text).toMatch(/days/);
    expect(s.canUndo).toBe(false);
  });
});

describe('the terminal', () => {
  it('POP3: lines go out as typed; two POP3 sessions: the second is refused [IN-USE]', async () => {
    const s = await sandbox();
    await s.type('laptop', 'USER alice');
    await s.type('laptop', 'PASS wonderland');
    expect(dev(s, 'laptop').sessions.manual?.state).toBe('TRANSACTION');
    await s.type('laptop', 'DELE 1');
    expect(s.server!.sessions[0]).toMatchObject({ device: 'laptop', holdsLock: true });
    await s.dispatch({ do: 'check', device: 'phone' });
    expect(dev(s, 'phone').lastCheck).toMatchObject({ result: 'locked', holder: 'laptop' });
    // Blank lines mean nothing outside a literal.
    const before = lines(s, 'laptop').length;
    await s.type('laptop', '   ');
    expect(lines(s, 'laptop')).toHaveLength(before);
    // An IMAP-looking line gets a note.
    await s.type('laptop', 'a1 SELECT INBOX');
    expect(s.notes('laptop').at(-1)?.text).toMatch(/speaks POP3/);
    await s.type('laptop', 'QUIT');
    expect(inbox(s)).toBe(11);
    expect(s.hangup('laptop')).toMatchObject({ reason: 'quit' });
    expect(s.trail('laptop').map((t) => t.state)).toEqual([
      'AUTHORIZATION',
      'TRANSACTION',
      'UPDATE',
      'closed',
    ]);
  });

  it('IMAP: the lab adds tags (and says so once), counts literal octets, notes POP3 commands', async () => {
    const s = await sandbox();
    await s.dispatch({ do: 'protocol', device: 'laptop', protocol: 'imap' });
    await s.type('laptop', 'LOGIN alice wonderland');
    await s.type('laptop', 'SELECT INBOX');
    expect(lines(s, 'laptop').filter((l) => l.startsWith('C:'))).toEqual([
      'C: a1 LOGIN alice wonderland',
      'C: a2 SELECT INBOX',
    ]);
    expect(s.notes('laptop').filter((n) => /added the tag/.test(n.text))).toHaveLength(1);
    expect(dev(s, 'laptop').sessions.manual?.view).toMatchObject({ mailbox: 'INBOX' });
    // APPEND with a synchronizing literal: 2 lines of data, blank line kept.
    const body = ['Subject: hi', '', 'Hello'];
    const octets = body.reduce((n, l) => n + l.length + 2, 0) - 2;
    await s.type('laptop', `APPEND INBOX {${octets}}`);
    expect(s.literal('laptop')).toEqual({ total: octets, sent: 0 });
    await s.type('laptop', body[0]);
    expect(s.literal('laptop')).toEqual({ total: octets, sent: body[0].length + 2 });
    await s.type('laptop', body[1]);
    await s.type('laptop', body[2]);
    expect(s.literal('laptop')).toBeNull();
    expect(lines(s, 'laptop').at(-1)).toMatch(/^S: [^]*a3 OK \[APPENDUID \d+ 13\]/);
    expect(inbox(s)).toBe(13);
    await s.type('laptop', 'RETR 1');
    expect(s.notes('laptop').at(-1)?.text).toMatch(/speaks IMAP, and RETR is a POP3 command/);
    // FETCH of a body copies the message to the laptop.
    await s.type('laptop', 'FETCH 2 BODY[]');
    expect(dev(s, 'laptop').messages.map((m) => m.subject)).toEqual(['Tea party on Thursday']);
  });

  it('IDLE: DONE goes untagged', async () => {
    const s = await sandbox();
    await s.dispatch({ do: 'protocol', device: 'laptop', protocol: 'imap' });
    for (const l of ['LOGIN alice wonderland', 'SELECT INBOX', 'IDLE']) await s.type('laptop', l);
    expect(dev(s, 'laptop').sessions.manual?.view?.idling).toBe(true);
    await s.dispatch({ do: 'deliver', message: { id: 'x1', subject: 'Pushed', size: 300 } });
    expect(lines(s, 'laptop').at(-1)).toMatch(/^S: \* 13 EXISTS/);
    await s.type('laptop', 'DONE');
    expect(lines(s, 'laptop').filter((l) => l === 'C: DONE')).toHaveLength(1);
    expect(dev(s, 'laptop').sessions.manual?.view?.idling).toBe(false);
  });
});

describe('undo, autosave, share, files', () => {
  it('undo and redo move through steps; the activity follows', async () => {
    const s = await sandbox();
    await s.dispatch({ do: 'check', device: 'laptop' });
    expect(s.undo()).toBe(true);
    expect(inbox(s)).toBe(12);
    expect(dev(s, 'laptop').messages).toHaveLength(0);
    expect(s.activity.some((a) => /removed 12/.test(a.text))).toBe(false);
    expect(s.redo()).toBe(true);
    expect(inbox(s)).toBe(0);
    expect(s.canRedo).toBe(false);
  });

  it('autosave restores the same world; corrupt data gives a notice and a fresh start', async () => {
    const storage = new MemoryStorage();
    const s = await sandbox();
    await s.dispatch({ do: 'check', device: 'workpc' });
    s.saveNow(storage);
    const again = new WorldSession(engine(), { autosave: false });
    expect(await again.restore(storage)).toBe(true);
    expect(dev(again, 'workpc').messages).toHaveLength(12);
    expect(again.activity.length).toBeGreaterThan(0);

    storage.setItem(
      STORAGE_KEY,
      '{"version":1,"origin":{"scenario":"sandbox"},"steps":[],"data":{"version":1}}',
    );
    const broken = new WorldSession(engine(), { autosave: false });
    expect(await broken.restore(storage)).toBe(false);
    expect(broken.notice?.text).toMatch(/could not be opened/);
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    storage.setItem(STORAGE_KEY, 'not json');
    expect(await broken.restore(storage)).toBe(false);
    storage.setItem(STORAGE_KEY, JSON.stringify({ version: 0 }));
    expect(await broken.restore(storage)).toBe(false);
    expect(broken.notice?.text).toMatch(/another version/);
  });

  it('a world too big for localStorage saves its recipe, which replays to the same world', async () => {
    const storage = new MemoryStorage();
    const s = await sandbox();
    await s.dispatch({ do: 'check', device: 'phone' });
    storage.quota = 5000;
    s.saveNow(storage);
    const saved = parseSaved(storage.getItem(STORAGE_KEY)!);
    expect(saved.data).toBeNull();
    const again = new WorldSession(engine(), { autosave: false });
    expect(await again.restore(storage)).toBe(true);
    expect(dev(again, 'phone').messages).toHaveLength(12);
  });

  it('a share link replays to the same world; a damaged one is refused', async () => {
    const s = await sandbox();
    await s.dispatch({ do: 'protocol', device: 'phone', protocol: 'imap' });
    await s.dispatch({ do: 'check', device: 'phone' });
    await s.type('laptop', 'USER alice');
    const link = await s.shareLink('http://lab.example/#/');
    expect(link).toMatch(/^http:\/\/lab\.example\/#\/share\/[A-Za-z0-9_-]+$/);
    const other = new WorldSession(engine(), { autosave: false });
    await other.openShare(link.split('#/share/')[1]);
    expect(other.world.save().store).toEqual(s.world.save().store);
    expect(dev(other, 'phone').messages.map((m) => m.subject)).toEqual(
      dev(s, 'phone').messages.map((m) => m.subject),
    );
    expect(dev(other, 'laptop').sessions.manual?.state).toBe('AUTHORIZATION');
    await expect(other.openShare('AAAA')).rejects.toThrow(/damaged/);
    await expect(other.openShare('not base64!')).rejects.toThrow(/damaged/);
  });

  it('share links refuse data that inflates past the limit', async () => {
    const huge = {
      v: 1 as const,
      origin: { scenario: 'sandbox' },
      steps: [{ do: 'note', text: 'x'.repeat(30_000_000) }],
    };
    const payload = await encodeShare(huge as never);
    expect(payload.length).toBeLessThan(100_000);
    await expect(decodeShare(payload)).rejects.toThrow(/too much/);
  });

  it('export and import a world file; a bad file changes nothing', async () => {
    const s = await sandbox();
    await s.dispatch({ do: 'check', device: 'laptop' });
    const text = s.exportJson();
    const other = await sandbox();
    await other.importJson(text);
    expect(dev(other, 'laptop').messages).toHaveLength(12);
    await expect(other.importJson('{"version":1,"origin":{"scenario":"nope"},"steps":[]}')).rejects.toThrow(
      /unknown scenario/,
    );
    expect(dev(other, 'laptop').messages).toHaveLength(12);
    expect(s.transcriptText('laptop')).toMatch(/^S: \+OK .*\nC: USER alice\n/);
  });
});
