// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import {
  COST_TICK_SPACING,
  GB,
  costAxisNote,
  costPerMonth,
  costTicks,
  formatBytes,
  formatCost,
  formatDate,
  parsePrice,
  pointAt,
  renderStorageChart,
  storageReadout,
  storageTableRows,
  storageTimes,
  type StorageReadout,
} from '../../src/viz/storage-chart';
import type { StorageChartViewModel } from '../../src/viz/types';

const MB = 1024 ** 2;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** POP3 empties the server at each sync; IMAP keeps everything (claims C7/C10). */
const vm = (extra: Partial<StorageChartViewModel> = {}): StorageChartViewModel => ({
  series: [
    {
      id: 'pop3',
      label: 'POP3',
      points: [
        { at: day('2025-01-15'), bytes: 2 * MB, messages: 20 },
        { at: day('2025-02-01'), bytes: 0, messages: 0 },
        { at: day('2025-03-10'), bytes: 1 * MB, messages: 10 },
      ],
    },
    {
      id: 'imap',
      label: 'IMAP',
      points: [
        { at: day('2025-01-15'), bytes: 2 * MB, messages: 20 },
        { at: day('2025-02-01'), bytes: 6 * MB, messages: 60 },
        { at: day('2025-03-10'), bytes: 12 * MB, messages: 120 },
      ],
    },
  ],
  quotaBytes: 5 * MB,
  pricePerGBMonth: 1024, // $1 per MB above the quota: easy numbers
  marker: day('2025-02-01'),
  ...extra,
});

describe('cost and units', () => {
  it('costPerMonth bills only what is above the quota, per GB of 1024^3 bytes', () => {
    expect(costPerMonth(3 * GB, GB, 0.5)).toBe(1);
    expect(costPerMonth(GB + GB / 4, GB, 0.02)).toBe(0.005);
    expect(costPerMonth(500 * MB, GB, 2)).toBe(0);
    expect(costPerMonth(GB / 2, null, 0.02)).toBe(0.01);
    expect(costPerMonth(2 * GB, 0, 0)).toBe(0);
    expect(costPerMonth(2 * GB, 0, -1)).toBe(0);
    expect(costPerMonth(2 * GB, 0, NaN)).toBe(0);
  });

  it('costAxisNote says why there is no cost axis: nothing billed, or under a cent at the top', () => {
    expect(costAxisNote(vm())).toBeNull();
    expect(costAxisNote(vm({ pricePerGBMonth: 0 }))).toBe(
      'No cost axis: at $0.00 per GB, storage costs nothing.',
    );
    // The top of the chart is 14 MB; 9 MB above the quota at $0.0005 per GB is far below a cent.
    expect(costAxisNote(vm({ pricePerGBMonth: 0.0005 }))).toBe(
      'No cost axis: even the top of the chart (14 MB) costs less than a cent a month at $0.0005 per GB above the 5 MB quota.',
    );
    expect(costAxisNote(vm({ quotaBytes: null, pricePerGBMonth: 0.1 }), 2048)).toBe(
      'No cost axis: even the top of the chart (2 KB) costs less than a cent a month at $0.10 per GB.',
    );
  });

  it('costTicks: whole cents from the quota up, as many as the room allows', () => {
    const at = (ticks: number[], price = 1024) => ticks.map((b) => costPerMonth(b, 5 * MB, price));
    expect(at(costTicks(vm(), 14 * MB, 136))).toEqual([0, 2, 4, 6, 8]);
    expect(at(costTicks(vm(), 14 * MB, 50))).toEqual([0, 5]);
    // No room for two: the level where billing starts.
    expect(at(costTicks(vm(), 14 * MB, 5))).toEqual([0]);
    // $0.012 at the top: $0.00 and $0.01, never "$0.005".
    const cent = vm({ pricePerGBMonth: 0.012 * 1024 * (1 / 9) });
    expect(at(costTicks(cent, 14 * MB, 200), cent.pricePerGBMonth).map((c) => Math.round(c * 100))).toEqual([
      0, 1,
    ]);
    expect(costTicks(vm({ pricePerGBMonth: 0 }), 14 * MB, 200)).toEqual([]);
  });

  it('formatBytes uses 1024-based units; an axis can fix the unit', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * MB)).toBe('5 MB');
    expect(formatBytes(12.34 * MB)).toBe('12.3 MB');
    expect(formatBytes(123.4 * MB)).toBe('123 MB');
    expect(formatBytes(15 * GB)).toBe('15 GB');
    expect(formatBytes(MB / 2, 2)).toBe('0.5 MB');
  });

  it('formatCost shows cents, and two significant digits below a cent', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(1.5)).toBe('$1.50');
    expect(formatCost(1234.5)).toBe('$1,234.50');
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(0.000001234)).toBe('$0.0000012');
  });

  it('parsePrice accepts a plain decimal (point or comma) and nothing else', () => {
    expect(parsePrice('0.02')).toBe(0.02);
    expect(parsePrice(' 0,5 ')).toBe(0.5);
    expect(parsePrice('3')).toBe(3);
    expect(parsePrice('.5')).toBe(0.5);
    expect(parsePrice('0.')).toBe(0);
    for (const bad of ['', '-1', 'abc', '1e3', '1.2.3', 'Infinity']) expect(parsePrice(bad)).toBeNaN();
  });

  it('formatDate is UTC, with the time only when it is not midnight', () => {
    expect(formatDate(day('2025-03-10'))).toBe('10 Mar 2025');
    expect(formatDate(day('2025-03-10') + 14 * 3600_000 + 5 * 60_000)).toBe('10 Mar 2025, 14:05 UTC');
  });
});

describe('values over time', () => {
  it('pointAt is the step in force; storageTimes lists each change once', () => {
    const [pop3] = vm().series;
    expect(pointAt(pop3, day('2025-01-01'))).toBeNull();
    expect(pointAt(pop3, day('2025-01-15'))!.bytes).toBe(2 * MB);
    expect(pointAt(pop3, day('2025-02-20'))!.bytes).toBe(0);
    expect(pointAt(pop3, day('2026-01-01'))!.bytes).toBe(MB);
    expect(storageTimes(vm())).toEqual([day('2025-01-15'), day('2025-02-01'), day('2025-03-10')]);
  });

  it('storageReadout gives date, bytes, messages and cost per series', () => {
    const r = storageReadout(vm(), day('2025-03-10'));
    expect(r.cells).toEqual([
      { id: 'pop3', label: 'POP3', bytes: MB, messages: 10, cost: 0 },
      { id: 'imap', label: 'IMAP', bytes: 12 * MB, messages: 120, cost: 7 },
    ]);
    expect(r.text).toBe(
      '10 Mar 2025. POP3: 1 MB, 10 messages, $0.00 a month. IMAP: 12 MB, 120 messages, $7.00 a month.',
    );
  });

  it('storageTableRows: one row per month with the storage at its end, exact costs', () => {
    const rows = storageTableRows(vm());
    expect(rows.map((r) => [r.kind, r.label, r.date])).toEqual([
      ['month', 'Jan 2025', '31 Jan 2025'],
      ['month', 'Feb 2025', '28 Feb 2025'],
      ['month', 'Mar 2025', '10 Mar 2025'],
    ]);
    expect(rows.map((r) => r.cells.map((c) => [c.bytes, c.messages, c.cost]))).toEqual([
      [
        [2 * MB, 20, 0],
        [2 * MB, 20, 0],
      ],
      [
        [0, 0, 0],
        [6 * MB, 60, 1],
      ],
      [
        [MB, 10, 0],
        [12 * MB, 120, 7],
      ],
    ]);
    expect(rows[0].at).toBe(day('2025-02-01') - 1);
    expect(rows[2].at).toBe(day('2025-03-10'));
  });

  it('storageTableRows: one row per change within a single month, or when asked', () => {
    const short = vm({
      series: [
        {
          id: 'imap',
          label: 'IMAP',
          points: [
            { at: day('2025-01-02'), bytes: MB, messages: 1 },
            { at: day('2025-01-03'), bytes: 2 * MB, messages: 2 },
          ],
        },
      ],
    });
    expect(storageTableRows(short).map((r) => [r.kind, r.label])).toEqual([
      ['point', '2 Jan 2025'],
      ['point', '3 Jan 2025'],
    ]);
    expect(storageTableRows(vm(), { every: 'point' })).toHaveLength(3);
    expect(storageTableRows(short, { every: 'month' }).map((r) => r.label)).toEqual(['Jan 2025']);
    expect(storageTableRows(vm({ series: [] }))).toEqual([]);
  });
});

let svg: SVGSVGElement;
beforeEach(() => {
  document.body.innerHTML = '<svg></svg>';
  svg = document.querySelector('svg')!;
});
const opts = { width: 640, height: 280, duration: 0 };
const translateX = (el: Element) => Number(/translate\(([-\d.]+),/.exec(el.getAttribute('transform')!)![1]);
const translateY = (el: Element) =>
  Number(/translate\([-\d.]+,([-\d.]+)\)/.exec(el.getAttribute('transform')!)![1]);
const tickTexts = (axis: string) =>
  [...svg.querySelectorAll(`g.${axis} .tick text`)].map((t) => t.textContent);

describe('renderStorageChart', () => {
  it('draws one step line per series, distinct by class and dash, with a legend', async () => {
    await renderStorageChart(svg, vm(), opts);
    const lines = [...svg.querySelectorAll<SVGPathElement>('path.storage-line')];
    expect(lines.map((l) => l.dataset.series)).toEqual(['pop3', 'imap']);
    expect(lines[0].getAttribute('class')).not.toBe(lines[1].getAttribute('class'));
    expect(lines[0].getAttribute('stroke-dasharray')).not.toBe(lines[1].getAttribute('stroke-dasharray'));
    // A step line: only horizontal and vertical segments (H/V or repeated x/y in L commands).
    const d = lines[1].getAttribute('d')!;
    const pts = [...d.matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i][0] === pts[i - 1][0] || pts[i][1] === pts[i - 1][1]).toBe(true);
    }
    // The last level runs on to the right edge of the plot.
    const overlay = svg.querySelector('rect.storage-overlay')!;
    expect(pts[pts.length - 1][0]).toBeCloseTo(
      Number(overlay.getAttribute('x')) + Number(overlay.getAttribute('width')),
    );
    const legend = [...svg.querySelectorAll('g.storage-legend-item')];
    expect(legend.map((g) => g.textContent)).toEqual(['POP3', 'IMAP']);
    expect(legend[1].querySelector('line')!.getAttribute('stroke-dasharray')).toBe(
      lines[1].getAttribute('stroke-dasharray'),
    );
  });

  it('labels the bytes axis in round units, the quota line and the monthly cost axis', async () => {
    await renderStorageChart(svg, vm(), opts);
    expect(tickTexts('storage-axis-y')).toEqual([
      '0 B',
      '2 MB',
      '4 MB',
      '6 MB',
      '8 MB',
      '10 MB',
      '12 MB',
      '14 MB',
    ]);
    const quota = svg.querySelector('g.storage-quota')!;
    expect(quota.textContent).toBe('quota 5 MB');
    // The quota line sits at the 5 MB level, halfway between the 4 MB and 6 MB ticks.
    const tickY = (label: string) =>
      translateY([...svg.querySelectorAll('g.storage-axis-y .tick')].find((t) => t.textContent === label)!);
    // (d3-axis shifts its ticks by half a pixel for crisp lines.)
    expect(Math.abs(translateY(quota) - (tickY('4 MB') + tickY('6 MB')) / 2)).toBeLessThanOrEqual(0.5);
    // $1 per MB above 5 MB: the cost axis starts at $0.00 at the quota.
    const costs = [...svg.querySelectorAll('g.storage-axis-cost .tick')];
    expect(costs[0].textContent).toBe('$0.00');
    expect(Math.abs(translateY(costs[0]) - translateY(quota))).toBeLessThanOrEqual(0.5);
    expect(costs.map((t) => t.textContent)).toEqual(['$0.00', '$2.00', '$4.00', '$6.00', '$8.00']);
    expect(svg.querySelector('text.storage-axis-title-cost')!.textContent).toBe('cost a month');
    // A new price relabels the cost axis.
    await renderStorageChart(svg, vm({ pricePerGBMonth: 512 }), opts);
    expect([...svg.querySelectorAll('g.storage-axis-cost .tick')].map((t) => t.textContent)).toEqual([
      '$0.00',
      '$1.00',
      '$2.00',
      '$3.00',
      '$4.00',
    ]);
  });

  it('has no quota line without a quota, and no cost axis when nothing (or under a cent) is billed', async () => {
    await renderStorageChart(svg, vm({ quotaBytes: null, pricePerGBMonth: 0 }), opts);
    expect(svg.querySelector('g.storage-quota')).toBeNull();
    expect(tickTexts('storage-axis-cost')).toEqual([]);
    expect(svg.querySelector('g.storage-axis-cost')!.childElementCount).toBe(0);
    expect(svg.querySelector('text.storage-axis-title-cost')!.textContent).toBe('');
    const plotRight = () => {
      const overlay = svg.querySelector('rect.storage-overlay')!;
      return Number(overlay.getAttribute('x')) + Number(overlay.getAttribute('width'));
    };
    // The plot takes the room the axis had.
    const wide = plotRight();
    // A story of a few KB at $0.10 per GB (a story without pricing): fractions of a millionth
    // of a dollar are no axis either.
    const small = vm({
      quotaBytes: null,
      pricePerGBMonth: 0.1,
      series: [{ id: 'imap', label: 'IMAP', points: [{ at: day('2025-01-15'), bytes: 1400, messages: 3 }] }],
    });
    await renderStorageChart(svg, small, opts);
    expect(tickTexts('storage-axis-cost')).toEqual([]);
    expect(plotRight()).toBe(wide);
    // A price that bills the same story again draws the axis, in whole cents.
    await renderStorageChart(svg, { ...small, pricePerGBMonth: 50_000 }, opts);
    expect(tickTexts('storage-axis-cost')).toEqual(['$0.00', '$0.02', '$0.04', '$0.06', '$0.08']);
    expect(svg.querySelector('text.storage-axis-title-cost')!.textContent).toBe('cost a month');
    expect(plotRight()).toBeLessThan(wide);
  });

  it('spaces the cost labels at least COST_TICK_SPACING px apart, however short the chart', async () => {
    for (const [height, count] of [
      [280, 5],
      [160, 2],
      [110, 1],
    ]) {
      await renderStorageChart(svg, vm(), { ...opts, height });
      const ys = [...svg.querySelectorAll('g.storage-axis-cost .tick')].map(translateY);
      expect(ys).toHaveLength(count);
      for (let i = 1; i < ys.length; i++)
        expect(Math.abs(ys[i] - ys[i - 1])).toBeGreaterThanOrEqual(COST_TICK_SPACING - 0.5);
    }
  });

  it('keeps the same elements across updates and moves the marker, removes it when null', async () => {
    await renderStorageChart(svg, vm(), opts);
    const imap = svg.querySelector('path[data-series="imap"]');
    const marker = svg.querySelector('g.storage-marker')!;
    const x1 = translateX(marker);
    await renderStorageChart(svg, vm({ marker: day('2025-03-01') }), opts);
    expect(svg.querySelector('path[data-series="imap"]')).toBe(imap);
    expect(svg.querySelector('g.storage-marker')).toBe(marker);
    expect(translateX(marker)).toBeGreaterThan(x1);
    await renderStorageChart(svg, vm({ marker: null }), opts);
    expect(svg.querySelector('g.storage-marker')).toBeNull();
    await renderStorageChart(svg, vm({ series: vm().series.slice(0, 1) }), opts);
    expect(svg.querySelector('path[data-series="imap"]')).toBeNull();
    expect(svg.querySelectorAll('g.storage-legend-item')).toHaveLength(1);
  });

  it('labels the time axis with UTC dates and fits the given size', async () => {
    await renderStorageChart(svg, vm(), opts);
    expect(svg.getAttribute('viewBox')).toBe('0 0 640 280');
    const labels = tickTexts('storage-axis-x');
    expect(labels.length).toBeGreaterThanOrEqual(2);
    // d3's multi-scale UTC format: "Jan 19", "Feb 02", a month name on the 1st, the year in January.
    for (const l of labels) expect(l).toMatch(/^(\w{3} \d{2}|January|February|March|2025)$/);
    expect(labels).toContain('Feb 02');
    // Wider charts get more ticks, narrow ones fewer.
    await renderStorageChart(svg, vm(), { ...opts, width: 320 });
    expect(tickTexts('storage-axis-x').length).toBeLessThan(labels.length);
  });

  it('says so when there is no data', async () => {
    await renderStorageChart(svg, vm({ series: [], marker: null }), opts);
    expect(svg.querySelector('text.storage-empty')!.textContent).toBe('No storage data yet');
    expect(svg.getAttribute('aria-disabled')).toBe('true');
  });

  it('sets text at 12 px or more and no colour of its own', async () => {
    await renderStorageChart(svg, vm(), opts);
    const size = (el: Element | null): number =>
      !el
        ? NaN
        : el.hasAttribute('font-size')
          ? Number(el.getAttribute('font-size'))
          : size(el.parentElement);
    for (const t of svg.querySelectorAll('text')) expect(size(t)).toBeGreaterThanOrEqual(12);
    for (const el of svg.querySelectorAll('*')) {
      for (const attr of ['fill', 'stroke', 'color', 'style']) {
        expect(el.getAttribute(attr) ?? 'none').toMatch(/^(none|currentColor|var\(--[\w-]+\))$/);
      }
    }
  });
});

describe('storage chart keyboard and pointer', () => {
  async function setup() {
    const heard: (StorageReadout | null)[] = [];
    await renderStorageChart(svg, vm(), { ...opts, onpoint: (r) => heard.push(r) });
    const key = (k: string) => {
      const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
      svg.dispatchEvent(e);
      return e;
    };
    const focusAt = () => Number(svg.querySelector('g.storage-focus')!.getAttribute('data-at'));
    return { heard, key, focusAt };
  }

  it('is one keyboard stop exposed as a slider over time', async () => {
    await renderStorageChart(svg, vm(), opts);
    expect(svg.getAttribute('tabindex')).toBe('0');
    expect(svg.getAttribute('role')).toBe('slider');
    expect(svg.getAttribute('aria-label')).toBe('Storage over time');
    expect(Number(svg.getAttribute('aria-valuemin'))).toBe(day('2025-01-15'));
    expect(Number(svg.getAttribute('aria-valuemax'))).toBe(day('2025-03-10'));
  });

  it('focus shows the point at the marker; arrows, Home and End move it; the readout follows', async () => {
    const { heard, key, focusAt } = await setup();
    svg.focus();
    expect(svg.querySelector('g.storage-focus')!.getAttribute('display')).toBeNull();
    expect(focusAt()).toBe(day('2025-02-01'));
    expect(heard.at(-1)!.text).toBe(
      '1 Feb 2025. POP3: 0 B, 0 messages, $0.00 a month. IMAP: 6 MB, 60 messages, $1.00 a month.',
    );
    expect(svg.getAttribute('aria-valuetext')).toBe('1 Feb 2025');
    expect(key('ArrowRight').defaultPrevented).toBe(true);
    expect(focusAt()).toBe(day('2025-03-10'));
    key('ArrowRight'); // stays at the end
    expect(focusAt()).toBe(day('2025-03-10'));
    key('Home');
    expect(focusAt()).toBe(day('2025-01-15'));
    expect(Number(svg.getAttribute('aria-valuenow'))).toBe(day('2025-01-15'));
    key('ArrowLeft');
    expect(focusAt()).toBe(day('2025-01-15'));
    key('End');
    expect(focusAt()).toBe(day('2025-03-10'));
    expect(heard.at(-1)!.cells[1].cost).toBe(7);
    // The tooltip shows the date and a line per series.
    const tip = [...svg.querySelectorAll('g.storage-tooltip tspan')].map((t) => t.textContent);
    expect(tip).toEqual([
      '10 Mar 2025',
      'POP3: 1 MB, 10 messages, $0.00 a month',
      'IMAP: 12 MB, 120 messages, $7.00 a month',
    ]);
    expect(svg.querySelectorAll('g.storage-focus-dots circle')).toHaveLength(2);
  });

  it('leaves Tab alone (no keyboard trap); Escape and blur hide the tooltip', async () => {
    const { heard, key } = await setup();
    svg.focus();
    expect(key('Tab').defaultPrevented).toBe(false);
    expect(key('a').defaultPrevented).toBe(false);
    key('Escape');
    expect(svg.querySelector('g.storage-focus')!.getAttribute('display')).toBe('none');
    expect(heard.at(-1)).toBeNull();
    key('ArrowLeft');
    expect(svg.querySelector('g.storage-focus')!.getAttribute('display')).toBeNull();
    svg.blur();
    expect(svg.querySelector('g.storage-focus')!.getAttribute('display')).toBe('none');
    expect(heard.at(-1)).toBeNull();
  });

  it('keeps the focused moment when new data arrives', async () => {
    const { key, focusAt } = await setup();
    svg.focus();
    key('Home');
    const more = vm();
    more.series[1].points = [{ at: day('2025-01-01'), bytes: MB, messages: 1 }, ...more.series[1].points];
    await renderStorageChart(svg, more, opts);
    expect(focusAt()).toBe(day('2025-01-15'));
  });

  it('hovering shows the nearest change; leaving hides it', async () => {
    const { heard, focusAt } = await setup();
    // jsdom has no layout: the SVG's box is at 0,0 and clientX is the chart's own x.
    const overlay = svg.querySelector('rect.storage-overlay')!;
    const right = Number(overlay.getAttribute('x')) + Number(overlay.getAttribute('width'));
    svg.dispatchEvent(new PointerEvent('pointermove', { clientX: right - 2, bubbles: true }));
    expect(focusAt()).toBe(day('2025-03-10'));
    svg.dispatchEvent(
      new PointerEvent('pointermove', { clientX: Number(overlay.getAttribute('x')), bubbles: true }),
    );
    expect(focusAt()).toBe(day('2025-01-15'));
    expect(heard.at(-1)!.date).toBe('15 Jan 2025');
    svg.dispatchEvent(new PointerEvent('pointerleave'));
    expect(svg.querySelector('g.storage-focus')!.getAttribute('display')).toBe('none');
  });
});
