/** A comparison frame drawn by the world view: the same device and server lists as a live world. */
import { describe, expect, it } from 'vitest';
import { FrameSource } from '../../src/ui/compare/frame-source';
import { copiesByMessage, deviceList } from '../../src/ui/world/view-models';
import { compareTimeline } from '../../src/world/timeline';
import { getScenario } from '../../src/world/scenarios/index';

describe('FrameSource', () => {
  const t = compareTimeline(getScenario('three-devices-pop3')!);
  const end = t.frames[t.frames.length - 1];

  it('shows the end of the POP3 story: the phone empty, the laptop with five, the server empty', () => {
    const pop3 = new FrameSource(end.pop3, 1);
    const dev = (id: string) => pop3.devices.find((d) => d.id === id)!;
    expect(deviceList(dev('phone'), 'INBOX').total).toBe(0);
    const laptop = deviceList(dev('laptop'), 'INBOX');
    expect(laptop.total).toBe(5);
    expect(laptop.actions).toBe(true); // the panel turns them off when read-only
    expect(laptop.items.map((i) => i.tags.map((x) => x.text))).toEqual(Array(5).fill(['local only']));
    expect(pop3.serverList('INBOX', copiesByMessage(pop3.devices), 60).total).toBe(0);
  });

  it('and of the IMAP story: everyone has five, the server keeps them, copies listed', () => {
    const imap = new FrameSource(end.imap, 2);
    for (const d of imap.devices) expect(deviceList(d, 'INBOX').total).toBe(5);
    const server = imap.serverList('INBOX', copiesByMessage(imap.devices), 60);
    expect(server.total).toBe(5);
    expect(server.items[0].tags.map((x) => x.text)).toEqual(['copies: Laptop, Phone, Work PC']);
    // Keys stay the same from one frame to the next, so scrubbing animates only what changed.
    const before = new FrameSource(t.frames[t.frames.length - 2].imap, 1);
    expect(before.serverList('INBOX', new Map(), 60).items.map((i) => i.key)).toEqual(
      server.items.map((i) => i.key),
    );
  });
});
