import { describe, expect, it } from 'vitest';
import { getScenario } from '../../src/world/scenarios';
import { compareTimeline } from '../../src/world/timeline';
import { tableRows } from '../../src/world/table';
import { DEFAULT_SETTINGS } from '../../src/client/types';
import { parseRoute } from '../../src/ui/world/route';
import {
  applyForks,
  clampStep,
  describeFork,
  devicesAt,
  faultAction,
  frameBadges,
  plainHref,
  readCompareState,
  settingsAt,
  settingsPatch,
  storageViewModel,
  type ForkStep,
} from '../../src/ui/compare/compare-model';
import { imapAvailable } from '../world/imap-available';

const story = getScenario('three-devices-pop3')!;
const leave: ForkStep = {
  atStep: 0,
  change: { kind: 'settings', device: 'laptop', settings: { pop3: { leaveOnServer: true } } },
};

describe('Compare routes', () => {
  it('reads the default, a story, a step, the end and a packed link; refuses the rest', () => {
    expect(parseRoute('#/compare')).toEqual({ kind: 'compare', id: null, step: null });
    expect(parseRoute('#/compare/three-devices-pop3')).toEqual({
      kind: 'compare',
      id: 'three-devices-pop3',
      step: null,
    });
    expect(parseRoute('#/compare/three-devices-pop3/5')).toEqual({
      kind: 'compare',
      id: 'three-devices-pop3',
      step: 5,
    });
    expect(parseRoute('#/compare/laptop-lost/end')).toEqual({
      kind: 'compare',
      id: 'laptop-lost',
      step: 'end',
    });
    expect(parseRoute('#/compare/share/abc_-9')).toEqual({ kind: 'compare-share', payload: 'abc_-9' });
    expect(parseRoute('#/compare/<script>').kind).toBe('unknown');
    expect(parseRoute('#/compare/x/-1').kind).toBe('unknown');
  });
});

describe('Compare links', () => {
  it('a shipped story without what-ifs is a plain link; the start has no step, the end is /end', () => {
    const s = { v: 1, origin: { scenario: 'laptop-lost' }, forks: [], step: 0 } as const;
    expect(plainHref(s, 8)).toBe('#/compare/laptop-lost');
    expect(plainHref({ ...s, step: 3 }, 8)).toBe('#/compare/laptop-lost/3');
    expect(plainHref({ ...s, step: 7 }, 8)).toBe('#/compare/laptop-lost/end');
    expect(plainHref({ ...s, step: 'end' }, 8)).toBe('#/compare/laptop-lost/end');
    expect(plainHref({ ...s, forks: [leave] }, 8)).toBeNull();
    expect(plainHref({ v: 1, origin: { inline: story }, forks: [], step: 0 }, 8)).toBeNull();
  });

  it('positions are clamped into the timeline', () => {
    expect(clampStep('end', 12)).toBe(11);
    expect(clampStep(99, 12)).toBe(11);
    expect(clampStep(-3, 12)).toBe(0);
    expect(clampStep(null, 12)).toBe(0);
    expect(clampStep(2.7, 12)).toBe(2);
  });

  it("a link's value is checked before anything runs: damaged ones get a reason", () => {
    const good = { v: 1, origin: { scenario: 'laptop-lost' }, forks: [leave], step: 'end' };
    expect(readCompareState(JSON.parse(JSON.stringify(good)))).toEqual(good);
    for (const [bad, why] of [
      [null, /version/],
      [{ ...good, v: 2 }, /version/],
      [{ ...good, origin: { scenario: '<img onerror=alert(1)>' } }, /scenario/],
      [{ ...good, origin: {} }, /scenario/],
      [{ ...good, forks: 'x' }, /what-ifs/],
      [{ ...good, forks: [{ atStep: 'x', change: {} }] }, /what-ifs/],
      [{ ...good, forks: Array.from({ length: 51 }, () => leave) }, /what-ifs/],
      [{ ...good, step: -1 }, /position/],
    ] as const)
      expect(() => readCompareState(bad), JSON.stringify(bad).slice(0, 60)).toThrow(why);
  });
});

describe('what-ifs', () => {
  it('are applied in order; one that names an unknown device is refused with its path', () => {
    const s = applyForks(story, [leave]);
    expect(s.timeline[0]).toEqual({
      do: 'settings',
      device: 'laptop',
      settings: { pop3: { leaveOnServer: true } },
    });
    expect(s.timeline.slice(1)).toEqual(story.timeline);
    expect(() => applyForks(story, [{ atStep: 1, change: { kind: 'lose', device: 'toaster' } }])).toThrow(
      /timeline\[1\]/,
    );
  });

  it("a device's settings at a step: its own, then every settings step before; only changes are sent", () => {
    const s = applyForks(getScenario('leave-on-server')!, []);
    const first = s.devices[0].id;
    const at0 = settingsAt(s, first, 0);
    expect(at0.pop3.leaveOnServer).toBe(true);
    const forked = applyForks(s, [
      {
        atStep: 0,
        change: { kind: 'settings', device: first, settings: { pop3: { leaveOnServer: false } } },
      },
    ]);
    expect(settingsAt(forked, first, 1).pop3.leaveOnServer).toBe(false);
    expect(settingsAt(forked, first, 1).pop3.removeAfterDays).toBe(at0.pop3.removeAfterDays);
    expect(settingsPatch(DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toBeNull();
    expect(
      settingsPatch(DEFAULT_SETTINGS, {
        ...DEFAULT_SETTINGS,
        checkEveryMinutes: 15,
        imap: { ...DEFAULT_SETTINGS.imap, mode: 'idle' },
      }),
    ).toEqual({ checkEveryMinutes: 15, imap: { mode: 'idle' } });
  });

  it('the devices a change can name: added ones appear, lost ones leave', () => {
    const s = applyForks(story, [
      { atStep: 1, change: { kind: 'addDevice', device: { id: 'tablet', name: 'Tablet', kind: 'tablet' } } },
      { atStep: 2, change: { kind: 'lose', device: 'phone' } },
    ]);
    expect(devicesAt(s, 0).map((d) => d.id)).toEqual(['laptop', 'phone', 'workpc']);
    expect(devicesAt(s, 2).map((d) => d.id)).toEqual(['laptop', 'phone', 'workpc', 'tablet']);
    expect(devicesAt(s, 3).map((d) => d.id)).toEqual(['laptop', 'workpc', 'tablet']);
  });

  it('are said in plain words', () => {
    const names = new Map([
      ['laptop', 'Laptop'],
      ['phone', 'Phone'],
    ]);
    expect(describeFork(leave, names)).toBe("At the start: the Laptop's settings change (leave on server).");
    expect(describeFork({ atStep: 3, change: { kind: 'remove' } }, names)).toBe('Step 4 is left out.');
    expect(
      describeFork(
        { atStep: 2, change: { kind: 'insert', action: faultAction('lockout', 'laptop', '', '') } },
        names,
      ),
    ).toMatch(/^After step 2: Fault: locked out by another pop3 session \(the laptop\)\.$/);
    expect(faultAction('delete-same', 'laptop', 'phone', 'm1')).toEqual({
      do: 'fault',
      fault: 'delete-same',
      device: 'laptop',
      other: 'phone',
      message: 'm1',
    });
  });
});

describe.skipIf(!imapAvailable)('what the columns show', () => {
  const t = compareTimeline(story);

  it('badges mark exactly the devices and the server whose numbers differ, with the other side in brackets', () => {
    const start = t.frames[0];
    expect(frameBadges(start, 'pop3').size).toBe(0);
    const end = t.frames.at(-1)!;
    const pop3 = frameBadges(end, 'pop3');
    expect(pop3.get('phone')).toBe('0 messages, 0 unread (IMAP: 5 messages, 4 unread)');
    expect(frameBadges(end, 'imap').get('phone')).toBe('5 messages, 4 unread (POP3: 0 messages, 0 unread)');
    expect(pop3.has('laptop')).toBe(false);
    expect(pop3.get('server')).toMatch(/^0 messages, 0 B \(IMAP: 5 messages, /);
    // The table flags the same rows.
    const rows = tableRows(end.pop3.table, end.imap.table).filter((r) => r.pop3 !== r.imap);
    expect(rows.map((r) => r.key)).toContain('device.phone.messages');
    expect(rows.map((r) => r.key)).not.toContain('device.laptop.messages');
  });

  it('the storage chart: both series as the run sampled them, the scenario quota, the position', () => {
    const vm = storageViewModel(t, 0.5, t.frames[3].at);
    expect(vm.series.map((s) => s.label)).toEqual(['POP3', 'IMAP']);
    expect(vm.series[0].points).toEqual(t.storage.pop3);
    expect(vm.quotaBytes).toBeNull();
    expect(vm.marker).toBe(t.frames[3].at);
    const year = compareTimeline(getScenario('storage-year')!, { cap: 0 });
    expect(storageViewModel(year, 2, null).quotaBytes).toBe(50_000_000);
  });
});
