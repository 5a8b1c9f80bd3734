import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/cli/compare';
import { compare } from '../../src/world/compare';
import { ScenarioError, type Scenario } from '../../src/world/scenario';
import { getScenario, SCENARIOS } from '../../src/world/scenarios';
import { summarize, tableRows } from '../../src/world/table';
import {
  compareTimeline,
  describeStep,
  fork,
  mergeTimelines,
  replayTo,
  worldTimeline,
  type CompareProgress,
  type CompareTimeline,
  type FrameWorld,
} from '../../src/world/timeline';
import { imapAvailable } from './imap-available';

const timelines = new Map<string, CompareTimeline>();
const timelineOf = (s: Scenario) => {
  let t = timelines.get(s.id);
  if (!t) timelines.set(s.id, (t = compareTimeline(s)));
  return t;
};
/** A frame's world without the narrator's lines (a replay has no narrator). */
const picture = ({ activity: _a, ...rest }: FrameWorld) => rest;

describe.skipIf(!imapAvailable)('compareTimeline: the page shows the CLI numbers', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))(
    '%s: the last frame holds the numbers of npm run compare',
    (_id, s) => {
      const t = timelineOf(s);
      const c = compare(s);
      const last = t.frames.at(-1)!;
      expect(t.frames).toHaveLength(s.timeline.length + 1);
      for (const p of ['pop3', 'imap'] as const) {
        const { storage, timeline: _timeline, ...table } = c[p];
        expect(last[p].table).toEqual(table);
        expect(summarize(last[p].table)).toEqual(summarize(c[p]));
        expect(t.storage[p]).toEqual(storage);
      }
      // The rows the page lays out are the lines the CLI prints.
      const printed = renderTable(c);
      for (const r of tableRows(last.pop3.table, last.imap.table)) {
        const line = printed.split('\n').find((l) => l.startsWith(r.label));
        expect(line, r.label).toBeDefined();
        expect(line!.trimEnd().endsWith(r.imap)).toBe(true);
        expect(line).toContain(` ${r.pop3} `);
      }
    },
  );
});

describe.skipIf(!imapAvailable)('scrubbing', () => {
  const small = SCENARIOS.filter((s) => s.id !== 'storage-year');
  it.each(small.map((s) => [s.id, s] as const))(
    '%s: frame k is what replaying k steps gives, for every k',
    (_id, s) => {
      const t = timelineOf(s);
      for (let k = 0; k <= s.timeline.length; k++)
        for (const p of ['pop3', 'imap'] as const)
          expect(picture(t.frames[k][p]), `frame ${k} ${p}`).toEqual(replayTo(s, p, k));
    },
  );

  it('storage-year: the start and the end frame are what replaying gives', () => {
    const s = getScenario('storage-year')!;
    const t = timelineOf(s);
    for (const k of [0, s.timeline.length])
      for (const p of ['pop3', 'imap'] as const) expect(picture(t.frames[k][p])).toEqual(replayTo(s, p, k));
  });

  it.each(small.map((s) => [s.id, s] as const))(
    '%s: two halves run apart merge into the lockstep comparison',
    (_id, s) => {
      const merged = mergeTimelines(worldTimeline(s, 'pop3'), worldTimeline(s, 'imap'));
      expect({ ...merged, stats: null }).toEqual({ ...timelineOf(s), stats: null });
      expect(() => mergeTimelines(worldTimeline(s, 'imap'), worldTimeline(s, 'pop3'))).toThrow(
        /POP3 and the IMAP half/,
      );
    },
  );

  it('every frame is plain data: JSON gives it back unchanged', () => {
    const t = timelineOf(getScenario('laptop-lost')!);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
});

describe.skipIf(!imapAvailable)('frames', () => {
  it("label each step in the same words under both protocols, with each world's own activity", () => {
    const t = timelineOf(getScenario('three-devices-pop3')!);
    expect(t.frames.map((f) => f.label).slice(0, 3)).toEqual([
      'The start: nothing has happened yet.',
      'The laptop checks mail first.',
      'The laptop checks mail.',
    ]);
    expect(t.frames[2].pop3.activity.lines.at(-1)).toMatch(
      /checked mail over POP3 and downloaded 5 messages/,
    );
    expect(t.frames[2].imap.activity.lines.at(-1)).toMatch(
      /synchronized over IMAP and copied 5 new messages/,
    );
    expect(describeStep({ do: 'advance', days: 30 })).toBe('30 days pass.');
    expect(describeStep({ do: 'advance', hours: 1 })).toBe('1 hour passes.');
  });

  it('list at most `cap` messages per folder, with the totals in the folder counts', () => {
    const s = getScenario('storage-year')!;
    const t = compareTimeline(s, { cap: 5 });
    const end = t.frames.at(-1)!.imap;
    const inbox = end.server.folders.find((f) => f.name === 'INBOX')!;
    expect(inbox.messages).toBe(end.table.server.inbox);
    expect(end.server.messages.filter((m) => m.mailbox === 'INBOX')).toHaveLength(5);
    // The newest five: the highest UIDs, in order.
    const uids = end.server.messages.map((m) => m.uid);
    expect(uids).toEqual([...uids].sort((a, b) => a - b));
    for (const d of end.devices) {
      expect(d.messages.filter((m) => m.folder === 'INBOX').length).toBeLessThanOrEqual(5);
      expect(d.folders.find((f) => f.name === 'INBOX')!.messages).toBe(
        end.table.devices.find((x) => x.id === d.id)!.inbox,
      );
    }
  });

  it('storage-year stays small: the default window keeps the whole comparison under 400 kB of JSON', () => {
    const size = JSON.stringify(timelineOf(getScenario('storage-year')!)).length;
    expect(size).toBeLessThan(400_000);
  });

  it('reports progress from 0 to 1, never going back, inside the year-long step too', () => {
    const seen: CompareProgress[] = [];
    compareTimeline(getScenario('storage-year')!, { onProgress: (p) => seen.push(p), progressEveryMs: 0 });
    expect(seen.length).toBeGreaterThan(20);
    expect(seen[0].fraction).toBe(0);
    expect(seen.at(-1)!.fraction).toBe(1);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
    expect(seen.some((p) => p.step === 1 && p.fraction > 0.2 && p.fraction < 0.8)).toBe(true);
  });
});

describe.skipIf(!imapAvailable)('fork', () => {
  const base = getScenario('three-devices-pop3')!;
  // Step 1 is the laptop's first check.
  const at = 1;

  it('leave on server on the laptop: the POP3 phone gets copies; before the fork and under IMAP nothing changes', () => {
    const f = fork(base, at, {
      kind: 'settings',
      device: 'laptop',
      settings: { pop3: { leaveOnServer: true } },
    });
    expect(f.timeline).toHaveLength(base.timeline.length + 1);
    expect(f.timeline[at]).toEqual({
      do: 'settings',
      device: 'laptop',
      settings: { pop3: { leaveOnServer: true } },
    });
    const orig = timelineOf(base);
    const t = compareTimeline(f);
    for (let k = 0; k <= at; k++) expect(t.frames[k]).toEqual(orig.frames[k]);
    // From the fork on, the original's frame k is the fork's frame k + 1.
    // Under IMAP only the setting itself differs (a POP3 option): the mail is the same everywhere.
    const mail = (f: FrameWorld) => {
      const p = picture(f);
      return { ...p, devices: p.devices.map(({ settings: _s, ...d }) => d) };
    };
    for (let k = at; k < orig.frames.length; k++) {
      expect(mail(t.frames[k + 1].imap)).toEqual(mail(orig.frames[k].imap));
      const laptop = t.frames[k + 1].imap.devices.find((d) => d.id === 'laptop')!;
      expect(laptop.settings.pop3.leaveOnServer).toBe(true);
      if (k > at) expect(picture(t.frames[k + 1].pop3)).not.toEqual(picture(orig.frames[k].pop3));
    }
    const phone = (tl: CompareTimeline) =>
      tl.frames.at(-1)!.pop3.table.devices.find((d) => d.id === 'phone')!;
    expect(phone(orig).messages).toBe(0);
    expect(phone(t).messages).toBe(5);
  });

  it("who checks first: moving the phone's check before the laptop's gives the phone the mail", () => {
    const phoneCheck = base.timeline.findIndex((a) => a.do === 'check' && a.device === 'phone');
    const f = fork(base, at, { kind: 'move', step: phoneCheck });
    expect(f.timeline[at]).toEqual({ do: 'check', device: 'phone' });
    const end = compareTimeline(f).frames.at(-1)!.pop3.table;
    expect(Object.fromEntries(end.devices.map((d) => [d.id, d.messages]))).toEqual({
      laptop: 0,
      phone: 5,
      workpc: 0,
    });
  });

  it('a lost device, an added device, a protocol switch and a fault are steps at the fork', () => {
    expect(fork(base, 2, { kind: 'lose', device: 'laptop' }).timeline[2]).toEqual({
      do: 'lose',
      device: 'laptop',
    });
    expect(fork(base, 0, { kind: 'protocol', device: 'phone', protocol: 'imap' }).timeline[0]).toEqual({
      do: 'protocol',
      device: 'phone',
      protocol: 'imap',
    });
    const added = fork(base, 3, { kind: 'addDevice', device: { id: 'tablet', kind: 'tablet' } });
    expect(added.timeline[3]).toEqual({ do: 'addDevice', device: { id: 'tablet', kind: 'tablet' } });
    const faulted = fork(base, at, {
      kind: 'insert',
      action: { do: 'fault', fault: 'drop-before-quit', device: 'laptop' },
    });
    const end = compareTimeline(faulted).frames;
    // The frame of the fault: the laptop holds the five, and the server still has them (no QUIT).
    expect(end[at + 1].pop3.server.totalMessages).toBe(5);
    expect(end[at + 1].pop3.devices.find((d) => d.id === 'laptop')!.totalMessages).toBe(5);
  });

  it('refuses changes that do not fit the scenario, with the path', () => {
    expect(() => fork(base, 1, { kind: 'lose', device: 'tv' })).toThrow(ScenarioError);
    try {
      fork(base, 1, { kind: 'lose', device: 'tv' });
    } catch (err) {
      expect((err as ScenarioError).problems[0]).toMatch(/^timeline\[1\]\.device: unknown device "tv"/);
    }
    expect(() => fork(base, 99, { kind: 'remove' })).toThrow(RangeError);
    expect(() => fork(base, 1, { kind: 'move', step: 99 })).toThrow(RangeError);
  });
});
