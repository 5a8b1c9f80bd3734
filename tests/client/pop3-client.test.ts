import { describe, expect, it } from 'vitest';
import { World, DAY } from '../../src/world/world';
import type { WorldEvent } from '../../src/world/events';
import { transcriptLines } from '../../src/client/transcript';

function setup(settings: object = {}) {
  const world = World.empty();
  world.dispatch({ do: 'addDevice', device: { id: 'laptop', kind: 'laptop', protocol: 'pop3', settings } });
  for (const id of ['m1', 'm2', 'm3'])
    world.dispatch({ do: 'deliver', message: { id, subject: `Subject ${id}` } });
  const events: WorldEvent[] = [];
  world.subscribe((e) => events.push(e));
  return { world, events, inbox: () => world.mailStore.getMailbox('alice', 'INBOX')!.messages };
}

const sent = (world: World, id: string) =>
  transcriptLines(world.device(id).transcript)
    .filter((l) => l.dir === 'C')
    .map((l) => l.text);

describe('POP3 device: check mail (RFC 1939)', () => {
  it('downloads everything, deletes it with DELE and QUIT, and the server ends empty', () => {
    const { world, inbox } = setup();
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(sent(world, 'laptop')).toEqual([
      'USER alice',
      'PASS wonderland',
      'UIDL',
      'RETR 1',
      'RETR 2',
      'RETR 3',
      'DELE 1',
      'DELE 2',
      'DELE 3',
      'QUIT',
    ]);
    expect(world.device('laptop').messages.map((m) => m.messageId)).toEqual([
      'm1@lab.example',
      'm2@lab.example',
      'm3@lab.example',
    ]);
    expect(inbox()).toHaveLength(0);
    // Every line of the exchange is in the transcript, greeting first.
    const t = transcriptLines(world.device('laptop').transcript);
    expect(t[0]).toMatchObject({ dir: 'S' });
    expect(t[0].text.startsWith('+OK')).toBe(true);
    expect(t.some((l) => l.dir === 'S' && l.text === 'Subject: Subject m2')).toBe(true);
  });

  it('with "leave on server" keeps the server copies and never downloads a UIDL twice', () => {
    const { world, inbox } = setup({ pop3: { leaveOnServer: true } });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(inbox()).toHaveLength(3);
    world.dispatch({ do: 'deliver', message: { id: 'm4', subject: 'late' } });
    world.dispatch({ do: 'check', device: 'laptop' });
    const second = sent(world, 'laptop').slice(sent(world, 'laptop').lastIndexOf('USER alice'));
    expect(second).toEqual(['USER alice', 'PASS wonderland', 'UIDL', 'RETR 4', 'QUIT']);
    expect(world.device('laptop').messages).toHaveLength(4);
    expect(Object.keys(world.device('laptop').uidlSeen)).toHaveLength(4);
  });

  it('"remove after N days" deletes server copies first downloaded N days ago', () => {
    const { world, inbox } = setup({ pop3: { leaveOnServer: true, removeAfterDays: 7 } });
    world.dispatch({ do: 'check', device: 'laptop' });
    world.dispatch({ do: 'advance', days: 6 });
    world.dispatch({ do: 'deliver', message: { id: 'm4', subject: 'newer' } });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(inbox()).toHaveLength(4);
    world.dispatch({ do: 'advance', days: 1 });
    world.dispatch({ do: 'check', device: 'laptop' });
    // m1..m3 are 7 days old now; m4 only 1 day.
    expect(inbox()).toHaveLength(1);
    expect(world.device('laptop').messages).toHaveLength(4);
    expect(world.now - world.device('laptop').uidlSeen[Object.keys(world.device('laptop').uidlSeen)[0]]).toBe(
      DAY,
    );
  });

  it('"remove from server when deleted here" deletes the server copy on the next check only', () => {
    const { world, inbox } = setup({ pop3: { leaveOnServer: true, removeWhenDeletedHere: true } });
    world.dispatch({ do: 'check', device: 'laptop' });
    world.dispatch({ do: 'delete', device: 'laptop', message: 'm2' });
    expect(inbox()).toHaveLength(3);
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(inbox().map((m) => m.uid)).toEqual([1, 3]);
    expect(world.device('laptop').pendingServerDeletes).toEqual([]);
  });

  it('reading, flagging, filing and deleting stay on the device', () => {
    const { world, inbox } = setup({ pop3: { leaveOnServer: true } });
    world.dispatch({ do: 'check', device: 'laptop' });
    const before = JSON.stringify(world.mailStore.toJSON());
    world.dispatch({ do: 'flag', device: 'laptop', message: 'm1' });
    world.dispatch({ do: 'move', device: 'laptop', message: 'm2', to: 'Receipts' });
    world.dispatch({ do: 'delete', device: 'laptop', message: 'm3' });
    world.dispatch({ do: 'unread', device: 'laptop', message: 'm1' });
    expect(JSON.stringify(world.mailStore.toJSON())).toBe(before);
    const d = world.device('laptop');
    expect(d.messages.find((m) => m.messageId.startsWith('m1'))!.flags).toEqual(['\\Flagged']);
    expect(d.messages.find((m) => m.messageId.startsWith('m2'))!.folder).toBe('Receipts');
    expect(d.messages.find((m) => m.messageId.startsWith('m3'))!.folder).toBe('Trash');
    expect(d.folders.find((f) => f.name === 'Receipts')).toEqual({ name: 'Receipts', localOnly: true });
    expect(inbox()).toHaveLength(3);
  });

  it('a second POP3 session is refused with [IN-USE] while another holds the maildrop lock', () => {
    const { world, events, inbox } = setup();
    world.dispatch({
      do: 'addDevice',
      device: { id: 'phone', kind: 'phone', protocol: 'pop3', manual: true },
    });
    world.dispatch({ do: 'manual', device: 'phone', line: 'USER alice' });
    world.dispatch({ do: 'manual', device: 'phone', line: 'PASS wonderland' });
    world.dispatch({ do: 'check', device: 'laptop' });
    const check = events.find((e) => e.type === 'device.check' && e.device === 'laptop');
    expect(check).toMatchObject({ result: 'locked', downloaded: 0 });
    expect(world.device('laptop').messages).toHaveLength(0);
    expect(
      transcriptLines(world.device('laptop').transcript).some(
        (l) => l.dir === 'S' && /^-ERR \[IN-USE\]/.test(l.text),
      ),
    ).toBe(true);
    expect(events.some((e) => e.type === 'server.event' && e.event.type === 'lock.refused')).toBe(true);
    // After the manual session quits, the laptop gets everything.
    world.dispatch({ do: 'manual', device: 'phone', line: 'QUIT' });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(world.device('laptop').messages).toHaveLength(3);
    expect(inbox()).toHaveLength(0);
  });

  it('manual RETR puts the message on the device, remembered by its UIDL', () => {
    const { world } = setup();
    world.dispatch({ do: 'protocol', device: 'laptop', protocol: 'pop3' });
    for (const line of ['USER alice', 'PASS wonderland', 'UIDL', 'RETR 2', 'QUIT'])
      world.dispatch({ do: 'manual', device: 'laptop', line });
    const d = world.device('laptop');
    expect(d.messages.map((m) => m.messageId)).toEqual(['m2@lab.example']);
    expect(d.uidlSeen[d.messages[0].uidl!]).toBe(world.now);
    expect(transcriptLines(d.transcript).map((l) => `${l.dir}: ${l.text}`)).toContain('C: RETR 2');
    // The automatic check now skips what the learner already retrieved.
    world.dispatch({ do: 'settings', device: 'laptop', settings: { pop3: { leaveOnServer: true } } });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(world.device('laptop').messages).toHaveLength(3);
  });

  it('after another device removed mail and new mail came, downloads only the new and forgets the removed', () => {
    const { world, inbox } = setup({ pop3: { leaveOnServer: true } });
    world.dispatch({
      do: 'addDevice',
      device: { id: 'phone', kind: 'phone', protocol: 'pop3', settings: { pop3: { leaveOnServer: true } } },
    });
    world.dispatch({ do: 'check', device: 'laptop' });
    world.dispatch({ do: 'check', device: 'phone' });
    const laptopIds = () => world.device('laptop').messages.map((m) => m.messageId.split('@')[0]);
    // Nothing changed: the same listing again, nothing downloaded.
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(laptopIds()).toEqual(['m1', 'm2', 'm3']);
    // The phone removes m1 and m2 from the server; m4 and m5 arrive.
    world.dispatch({
      do: 'settings',
      device: 'phone',
      settings: { pop3: { leaveOnServer: true, removeWhenDeletedHere: true } },
    });
    world.dispatch({ do: 'delete', device: 'phone', message: 'm1' });
    world.dispatch({ do: 'delete', device: 'phone', message: 'm2' });
    world.dispatch({ do: 'check', device: 'phone' });
    expect(inbox()).toHaveLength(1);
    for (const id of ['m4', 'm5']) world.dispatch({ do: 'deliver', message: { id, subject: id } });
    world.dispatch({ do: 'check', device: 'laptop' });
    const last = sent(world, 'laptop').slice(sent(world, 'laptop').lastIndexOf('USER alice'));
    // Message numbers are the new session's: m3 is 1, m4 is 2, m5 is 3 (RFC 1939 §7).
    expect(last).toEqual(['USER alice', 'PASS wonderland', 'UIDL', 'RETR 2', 'RETR 3', 'QUIT']);
    expect(laptopIds()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    // The UIDL memory holds what is still on the server, nothing else.
    const onServer = inbox().map((m) => m.uid);
    expect(Object.keys(world.device('laptop').uidlSeen)).toHaveLength(onServer.length);
    world.dispatch({ do: 'deliver', message: { id: 'm6', subject: 'm6' } });
    world.dispatch({ do: 'check', device: 'laptop' });
    expect(sent(world, 'laptop').slice(-2)).toEqual(['RETR 4', 'QUIT']);
    expect(laptopIds()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });
});
