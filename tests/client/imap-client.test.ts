import { describe, expect, it } from 'vitest';
import { World } from '../../src/world/world';
import type { WorldEvent } from '../../src/world/events';
import type { DeviceData } from '../../src/client/types';
import { transcriptLines } from '../../src/client/transcript';

type Mode = 'poll' | 'idle';

function setup(
  devices: Array<{ id: string; mode?: Mode; deleteAction?: 'trash' | 'expunge' }>,
  messages = 3,
) {
  const world = World.empty();
  for (const d of devices)
    world.dispatch({
      do: 'addDevice',
      device: {
        id: d.id,
        kind: 'laptop',
        protocol: 'imap',
        settings: { imap: { mode: d.mode ?? 'poll', deleteAction: d.deleteAction ?? 'trash' } },
      },
    });
  for (let i = 1; i <= messages; i++)
    world.dispatch({ do: 'deliver', message: { id: `m${i}`, subject: `Subject ${i}` } });
  const events: WorldEvent[] = [];
  world.subscribe((e) => events.push(e));
  return { world, events, mailbox: (name = 'INBOX') => world.mailStore.getMailbox('alice', name)!.messages };
}

const view = (d: DeviceData) =>
  d.messages.map((m) => `${m.folder}:${m.messageId.split('@')[0]}:${[...m.flags].sort().join(',')}`).sort();
const sent = (world: World, id: string) =>
  transcriptLines(world.device(id).transcript)
    .filter((l) => l.dir === 'C')
    .map((l) => l.text);

/** What the server holds, in the same shape as `view`. */
function serverView(world: World): string[] {
  const out: string[] = [];
  for (const mb of world.mailStore.listMailboxes('alice'))
    for (const m of mb.messages) {
      const id = /Message-ID: <([^@]+)@/.exec(m.raw)![1];
      out.push(
        `${mb.name}:${id}:${m.flags
          .filter((f) => f !== '\\Recent')
          .sort()
          .join(',')}`,
      );
    }
  return out.sort();
}

describe('IMAP device (RFC 9051)', () => {
  it('logs in, selects, fetches by UID with BODY.PEEK[] and leaves the originals on the server', () => {
    const { world, mailbox } = setup([{ id: 'laptop' }]);
    world.dispatch({ do: 'check', device: 'laptop' });
    const cmds = sent(world, 'laptop');
    expect(cmds[0]).toBe('A1 LOGIN "alice" "wonderland"');
    expect(cmds.some((c) => /^A\d+ SELECT "INBOX"$/.test(c))).toBe(true);
    expect(cmds.some((c) => /^A\d+ UID FETCH 1:3 \(UID FLAGS RFC822\.SIZE BODY\.PEEK\[\]\)$/.test(c))).toBe(
      true,
    );
    expect(world.device('laptop').messages).toHaveLength(3);
    expect(mailbox()).toHaveLength(3);
    // BODY.PEEK does not set \Seen (RFC 9051 §6.4.5).
    expect(mailbox().every((m) => !m.flags.includes('\\Seen'))).toBe(true);
    expect(world.device('laptop').folders.map((f) => f.name)).toEqual(
      expect.arrayContaining(['INBOX', 'Drafts', 'Sent', 'Trash', 'Archive', 'Junk']),
    );
  });

  it('a later check is a NOOP poll that fetches only what is new', () => {
    const { world } = setup([{ id: 'laptop' }]);
    world.dispatch({ do: 'check', device: 'laptop' });
    const n = sent(world, 'laptop').length;
    world.dispatch({ do: 'deliver', message: { id: 'm4', subject: 'new' } });
    world.dispatch({ do: 'check', device: 'laptop' });
    const later = sent(world, 'laptop').slice(n);
    expect(later.some((c) => / NOOP$/.test(c))).toBe(true);
    expect(later.some((c) => / LOGIN /.test(c))).toBe(false);
    expect(
      later.filter((c) => / UID FETCH \d+:\* \(UID FLAGS RFC822\.SIZE BODY\.PEEK\[\]\)$/.test(c)),
    ).toHaveLength(1);
    expect(world.device('laptop').messages).toHaveLength(4);
  });

  it('read and flag on one device reach the server at once and the other device on its NOOP', () => {
    const { world, mailbox } = setup([{ id: 'phone' }, { id: 'laptop' }]);
    world.dispatch({ do: 'check', device: '*' });
    world.dispatch({ do: 'read', device: 'phone', message: 'm1' });
    world.dispatch({ do: 'flag', device: 'phone', message: 'm2' });
    expect(sent(world, 'phone').some((c) => /UID STORE 1 \+FLAGS\.SILENT \(\\Seen\)$/.test(c))).toBe(true);
    expect(mailbox()[0].flags).toContain('\\Seen');
    expect(mailbox()[1].flags).toContain('\\Flagged');
    expect(view(world.device('laptop'))).not.toEqual(view(world.device('phone')));
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(view(world.device('laptop'))).toEqual(view(world.device('phone')));
  });

  it('an IDLE device sees a change made elsewhere at once, without checking', () => {
    const { world, events } = setup([{ id: 'phone' }, { id: 'laptop', mode: 'idle' }]);
    world.dispatch({ do: 'check', device: '*' });
    expect(sent(world, 'laptop').at(-1)).toMatch(/^A\d+ IDLE$/);
    world.dispatch({ do: 'read', device: 'phone', message: 'm3' });
    expect(view(world.device('laptop'))).toEqual(view(world.device('phone')));
    const flagSync = events.find((e) => e.type === 'device.flags.synced' && e.device === 'laptop');
    expect(flagSync).toMatchObject({ messageId: 'm3@lab.example', flags: ['\\Seen'] });
    // New mail is pushed too: EXISTS during IDLE, DONE, UID FETCH, IDLE again.
    world.dispatch({ do: 'deliver', message: { id: 'm9', subject: 'pushed' } });
    expect(world.device('laptop').messages.map((m) => m.messageId)).toContain('m9@lab.example');
    const tail = sent(world, 'laptop').slice(-3);
    expect(tail[0]).toBe('DONE');
    expect(tail[1]).toMatch(/UID FETCH/);
    expect(tail[2]).toMatch(/ IDLE$/);
  });

  it('move, delete to Trash and a new folder show on every device after a sync round', () => {
    const { world, mailbox } = setup([{ id: 'phone' }, { id: 'laptop' }, { id: 'workpc', mode: 'idle' }]);
    world.dispatch({ do: 'check', device: '*' });
    world.dispatch({ do: 'move', device: 'phone', message: 'm1', to: 'Archive' });
    world.dispatch({ do: 'delete', device: 'phone', message: 'm2' });
    world.dispatch({ do: 'createFolder', device: 'phone', name: 'Travel' });
    world.dispatch({ do: 'move', device: 'phone', message: 'm3', to: 'Travel' });
    expect(mailbox()).toHaveLength(0);
    expect(mailbox('Archive')).toHaveLength(1);
    expect(mailbox('Trash')).toHaveLength(1);
    expect(mailbox('Travel')).toHaveLength(1);
    world.dispatch({ do: 'check', device: '*' });
    for (const id of ['phone', 'laptop', 'workpc']) {
      expect(view(world.device(id))).toEqual(serverView(world));
      expect(world.device(id).folders.map((f) => f.name)).toContain('Travel');
    }
    // The phone kept its own copies (COPYUID told it the new UIDs): nothing downloaded twice.
    const phone = world.device('phone');
    expect(phone.messages.map((m) => m.key).sort()).toEqual(['d1', 'd2', 'd3']);
  });

  it('delete with "expunge" marks \\Deleted and expunges just that message', () => {
    const { world, mailbox } = setup([{ id: 'phone', deleteAction: 'expunge' }, { id: 'laptop' }]);
    world.dispatch({ do: 'check', device: '*' });
    world.dispatch({ do: 'delete', device: 'phone', message: 'm2' });
    expect(
      sent(world, 'phone')
        .slice(-2)
        .map((c) => c.replace(/^A\d+ /, '')),
    ).toEqual(['UID STORE 2 +FLAGS.SILENT (\\Deleted)', 'UID EXPUNGE 2']);
    expect(mailbox().map((m) => m.uid)).toEqual([1, 3]);
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(view(world.device('laptop'))).toEqual(serverView(world));
  });

  it('queues what is done offline and replays it when back online', () => {
    const { world, events, mailbox } = setup([{ id: 'phone' }, { id: 'laptop' }]);
    world.dispatch({ do: 'check', device: '*' });
    world.dispatch({ do: 'offline', device: 'phone' });
    world.dispatch({ do: 'read', device: 'phone', message: 'm1' });
    world.dispatch({ do: 'move', device: 'phone', message: 'm2', to: 'Archive' });
    world.dispatch({ do: 'delete', device: 'phone', message: 'm3' });
    expect(world.device('phone').queue).toHaveLength(3);
    expect(mailbox()).toHaveLength(3);
    world.dispatch({ do: 'check', device: 'phone' });
    expect(events.some((e) => e.type === 'device.check' && e.result === 'offline')).toBe(true);
    world.dispatch({ do: 'online', device: 'phone' });
    expect(events.some((e) => e.type === 'device.queue.replayed' && e.actions === 3)).toBe(true);
    expect(world.device('phone').queue).toEqual([]);
    expect(mailbox().map((m) => m.flags.includes('\\Seen'))).toEqual([true]);
    expect(mailbox('Archive')).toHaveLength(1);
    expect(mailbox('Trash')).toHaveLength(1);
    world.dispatch({ do: 'check', device: '*', full: true });
    expect(view(world.device('phone'))).toEqual(serverView(world));
    expect(view(world.device('laptop'))).toEqual(serverView(world));
  });

  it('resynchronizes after reconnecting: expunges and flag changes made while away', () => {
    const { world } = setup([{ id: 'phone' }, { id: 'laptop' }]);
    world.dispatch({ do: 'check', device: '*' });
    world.dispatch({ do: 'offline', device: 'laptop' });
    world.dispatch({ do: 'flag', device: 'phone', message: 'm1' });
    world.dispatch({ do: 'delete', device: 'phone', message: 'm2' });
    world.dispatch({ do: 'online', device: 'laptop' });
    expect(view(world.device('laptop'))).toEqual(serverView(world));
  });

  it('a new UIDVALIDITY makes the device drop its copies of that folder and fetch again', () => {
    const { world, events } = setup([{ id: 'laptop' }]);
    world.dispatch({ do: 'createFolder', device: 'laptop', name: 'Projects' });
    world.dispatch({ do: 'move', device: 'laptop', message: 'm1', to: 'Projects' });
    world.dispatch({ do: 'offline', device: 'laptop' });
    // Someone deletes and recreates the folder on the server (a new UIDVALIDITY), with other mail.
    world.mailStore.deleteMailbox('alice', 'Projects');
    world.mailStore.createMailbox('alice', 'Projects');
    world.dispatch({ do: 'deliver', message: { id: 'p1', subject: 'fresh', mailbox: 'Projects' } });
    world.dispatch({ do: 'online', device: 'laptop' });
    expect(events.some((e) => e.type === 'device.removed' && e.reason === 'uidvalidity')).toBe(true);
    expect(view(world.device('laptop'))).toEqual(serverView(world));
  });

  it('manual FETCH of a body puts the message on the device', () => {
    const { world } = setup([]);
    world.dispatch({
      do: 'addDevice',
      device: { id: 'dev', kind: 'laptop', protocol: 'imap', manual: true },
    });
    for (const line of [
      'a LOGIN alice wonderland',
      'b SELECT INBOX',
      'c UID FETCH 2 (UID FLAGS BODY[])',
      'd LOGOUT',
    ])
      world.dispatch({ do: 'manual', device: 'dev', line });
    const d = world.device('dev');
    expect(d.messages.map((m) => [m.folder, m.uid, m.messageId])).toEqual([['INBOX', 2, 'm2@lab.example']]);
    expect(
      transcriptLines(d.transcript)
        .filter((l) => l.dir === 'C')
        .map((l) => l.text),
    ).toEqual(['a LOGIN alice wonderland', 'b SELECT INBOX', 'c UID FETCH 2 (UID FLAGS BODY[])', 'd LOGOUT']);
  });
});
