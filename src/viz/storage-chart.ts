/**
 * The server's storage over virtual time (issue 9, claims C7/C10): a step line per series
 * (POP3 and IMAP), told apart by colour and by dash so the chart reads in greyscale, the
 * quota as a labelled horizontal line, a right-hand axis with the monthly cost of each storage
 * level (in whole cents, spaced to be read; none when even the top costs under a cent, and
 * `costAxisNote` gives the sentence that says so), and the scrub position as a vertical marker.
 *
 * The chart is one keyboard stop: Left/Right (and Down/Up) move a focus point from one change
 * to the next, PageUp/PageDown by a tenth, Home/End to the ends, Escape hides the tooltip.
 * It is exposed as a slider over time (role="slider": screen readers switch to focus mode so
 * the arrow keys reach it, and they speak the date as its value); `onpoint` gives the wrapper
 * the full readout for its live region. Hovering does the same with the pointer.
 */
import { select, type Selection } from 'd3-selection';
import { scaleLinear, scaleUtc, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { axisBottom, axisLeft, axisRight } from 'd3-axis';
import { curveStepAfter, line } from 'd3-shape';
import { animateAll } from './motion';
import {
  costAxisNote,
  costPerMonth,
  costTicks,
  describeCell,
  formatBytes,
  formatCost,
  formatDate,
  storageReadout,
  storageTimes,
  storageAxis,
  type StorageReadout,
} from './storage-data';
import type { StorageChartViewModel, StoragePoint, StorageSeries } from './types';

export * from './storage-data';

export interface StorageRenderOptions {
  width: number;
  height: number;
  /** Milliseconds for lines and the marker to move; 0 = at once. */
  duration: number;
  /** Where elements are created; defaults to the SVG's own document. */
  document?: Document;
  /** Called when the focus point (keyboard or pointer) moves, with null when it is hidden. */
  onpoint?: (readout: StorageReadout | null) => void;
}

const MARGIN = { top: 34, right: 84, bottom: 34, left: 70 };
/** The right margin without a cost axis: room for the last date label only. */
const RIGHT_WITHOUT_COST = 28;
/** Dash per series, so the lines differ without colour (first solid). */
export const SERIES_DASHES = [null, '8 4', '2 3', '12 3 3 3'] as const;
const DAY = 86_400_000;
const FONT_PX = 12;
/** Average advance of a character of the tooltip's sans-serif text at 12 px. */
const CHAR_PX = 6.9;

interface ChartState {
  vm: StorageChartViewModel;
  opts: StorageRenderOptions;
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
  times: number[];
  /** Index into `times` of the focus point, or null. */
  focus: number | null;
  shown: boolean;
  focused: boolean;
}

const states = new WeakMap<SVGSVGElement, ChartState>();
const SVG_NS = 'http://www.w3.org/2000/svg';

/** The y domain and its ticks in one unit (0, 0.5 MB, 1 MB...) so every label is round. */
function bytesScale(vm: StorageChartViewModel, height: number) {
  const { top, unit } = storageAxis(vm);
  const size = 1024 ** unit;
  const ticks = scaleLinear()
    .domain([0, top / size])
    .ticks(5)
    .map((t) => t * size);
  const y = scaleLinear()
    .domain([0, top])
    .range([height - MARGIN.bottom, MARGIN.top]);
  return { y, ticks, unit, top };
}

function timeScale(vm: StorageChartViewModel, times: number[], width: number, right: number) {
  // `times` is sorted; the marker may lie outside it (scrubbed past the last change).
  let lo = times.length ? times[0] : (vm.marker ?? 0);
  let hi = times.length ? times[times.length - 1] : lo + 30 * DAY;
  if (vm.marker !== null) [lo, hi] = [Math.min(lo, vm.marker), Math.max(hi, vm.marker)];
  if (hi - lo < DAY) [lo, hi] = [lo - DAY / 2, hi + DAY / 2];
  return scaleUtc()
    .domain([lo, hi])
    .range([MARGIN.left, width - right]);
}

function skeleton(svg: SVGSVGElement, doc: Document): void {
  if (svg.querySelector(':scope > g.storage-plot')) return;
  const add = (parent: Element, tag: string, cls: string) => {
    const el = doc.createElementNS(SVG_NS, tag);
    el.setAttribute('class', cls);
    parent.appendChild(el);
    return el;
  };
  add(svg, 'g', 'storage-grid');
  add(svg, 'g', 'storage-axis storage-axis-x');
  add(svg, 'g', 'storage-axis storage-axis-y');
  add(svg, 'g', 'storage-axis storage-axis-cost');
  add(svg, 'text', 'storage-axis-title storage-axis-title-cost');
  add(svg, 'g', 'storage-plot');
  add(svg, 'g', 'storage-quota-group');
  add(svg, 'g', 'storage-marker-group');
  add(svg, 'g', 'storage-legend');
  add(svg, 'text', 'storage-empty');
  const overlay = add(svg, 'rect', 'storage-overlay');
  overlay.setAttribute('fill', 'none');
  overlay.setAttribute('pointer-events', 'all');
  const focus = add(svg, 'g', 'storage-focus');
  focus.setAttribute('display', 'none');
  // The tooltip never takes the pointer from the plot under it.
  focus.setAttribute('pointer-events', 'none');
  add(focus, 'line', 'storage-focus-line');
  add(focus, 'g', 'storage-focus-dots');
  const tip = add(focus, 'g', 'storage-tooltip');
  add(tip, 'rect', 'storage-tooltip-box');
  add(tip, 'text', 'storage-tooltip-text').setAttribute('font-size', String(FONT_PX));
  listen(svg);
}

/** A series' points with the last level carried to the right edge: storage stays until it changes. */
function extended(s: StorageSeries, end: number): StoragePoint[] {
  const last = s.points[s.points.length - 1];
  return last && last.at < end ? [...s.points, { ...last, at: end }] : s.points;
}

/** Draws (or updates) the chart inside `svg`; resolves when its animations end. */
export function renderStorageChart(
  svg: SVGSVGElement,
  vm: StorageChartViewModel,
  opts: StorageRenderOptions,
): Promise<void> {
  const doc = opts.document ?? svg.ownerDocument;
  const { width, height } = opts;
  skeleton(svg, doc);
  const prev = states.get(svg);
  const times = storageTimes(vm);
  const { y, ticks, unit, top } = bytesScale(vm, height);
  const costs = costAxisNote(vm, top) === null;
  const x = timeScale(vm, times, width, costs ? MARGIN.right : RIGHT_WITHOUT_COST);
  const [x0, x1] = x.range();
  const [yBottom, yTop] = y.range();
  const waits: Promise<void>[] = [];
  const root = select(svg)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .classed('storage-chart', true)
    .attr('tabindex', 0)
    .attr('role', 'slider')
    .attr('aria-label', 'Storage over time')
    .attr('aria-orientation', 'horizontal');

  root
    .select('g.storage-grid')
    .selectAll('line')
    .data(ticks)
    .join('line')
    .attr('x1', x0)
    .attr('x2', x1)
    .attr('y1', (b) => y(b))
    .attr('y2', (b) => y(b));

  const fixFont = (g: Selection<SVGGElement, unknown, null, undefined>) =>
    g.attr('font-size', FONT_PX).attr('font-family', null);
  root
    .select<SVGGElement>('g.storage-axis-x')
    .attr('transform', `translate(0,${yBottom})`)
    .call(axisBottom(x).ticks(Math.max(2, Math.floor((x1 - x0) / 95))))
    .call(fixFont);
  root
    .select<SVGGElement>('g.storage-axis-y')
    .attr('transform', `translate(${x0},0)`)
    .call(
      axisLeft(y)
        .tickValues(ticks)
        .tickFormat((b) => formatBytes(+b, unit)),
    )
    .call(fixFont);
  // Without a cost axis (costAxisNote says why, under the chart) its group is emptied.
  const costAxis = root.select<SVGGElement>('g.storage-axis-cost').attr('transform', `translate(${x1},0)`);
  if (costs)
    costAxis
      .call(
        axisRight(y)
          .tickValues(costTicks(vm, top, y(vm.quotaBytes ?? 0) - y(top)))
          .tickFormat((b) => formatCost(costPerMonth(+b, vm.quotaBytes, vm.pricePerGBMonth))),
      )
      .call(fixFont);
  else costAxis.selectAll('*').remove();
  // Above the legend's row, so the "now" label of a marker at the right end does not cover it.
  root
    .select('text.storage-axis-title-cost')
    .attr('x', width - 4)
    .attr('y', MARGIN.top - 22)
    .attr('text-anchor', 'end')
    .attr('font-size', FONT_PX)
    .text(costs ? 'cost a month' : '');

  const path = line<StoragePoint>()
    .x((p) => x(p.at))
    .y((p) => y(p.bytes))
    .curve(curveStepAfter);
  const end = x.domain()[1].getTime();
  root
    .select('g.storage-plot')
    .selectAll<SVGPathElement, StorageSeries>('path.storage-line')
    .data(vm.series, (s) => s.id)
    .join((enter) =>
      enter.append('path').each(function () {
        if (prev) waits.push(animateAll([this], [{ opacity: 0 }, { opacity: 1 }], opts.duration));
      }),
    )
    .attr('class', (_, i) => `storage-line storage-series-${i % SERIES_DASHES.length}`)
    .attr('data-series', (s) => s.id)
    .attr('fill', 'none')
    .attr('stroke-width', 2.5)
    .attr('stroke-dasharray', (_, i) => SERIES_DASHES[i % SERIES_DASHES.length])
    .attr('d', (s) => path(extended(s, end)) ?? '');

  drawLegend(root, vm);
  drawQuota(root, vm, y, x0, x1);
  waits.push(drawMarker(root, vm, x, prev?.x, yTop, yBottom, opts.duration));

  root
    .select('text.storage-empty')
    .attr('x', (x0 + x1) / 2)
    .attr('y', (yTop + yBottom) / 2)
    .attr('text-anchor', 'middle')
    .attr('font-size', 13)
    .text(times.length ? '' : 'No storage data yet');
  root
    .select('rect.storage-overlay')
    .attr('x', x0)
    .attr('y', yTop)
    .attr('width', Math.max(0, x1 - x0))
    .attr('height', Math.max(0, yBottom - yTop));

  // Keep the focus on the same moment across updates (new points arrive while it is open).
  const keptAt = prev && prev.focus !== null ? prev.times[prev.focus] : null;
  let focus: number | null = null;
  if (keptAt !== null && keptAt !== undefined && times.length) {
    const i = times.findIndex((t) => t >= keptAt);
    focus = i === -1 ? times.length - 1 : i;
  }
  const state: ChartState = {
    vm,
    opts,
    x,
    y,
    times,
    focus,
    shown: prev?.shown ?? false,
    focused: prev?.focused ?? false,
  };
  states.set(svg, state);
  root
    .attr('aria-valuemin', times[0] ?? 0)
    .attr('aria-valuemax', times[times.length - 1] ?? 0)
    .attr('aria-disabled', times.length ? null : 'true');
  // A tooltip that is open follows the new numbers; the wrapper hears of them only then.
  drawFocus(svg, state, state.shown);
  return Promise.all(waits).then(() => undefined);
}

type Root = Selection<SVGSVGElement, unknown, null, undefined>;

function drawLegend(root: Root, vm: StorageChartViewModel): void {
  let offset = MARGIN.left;
  const item = root
    .select('g.storage-legend')
    .selectAll<SVGGElement, StorageSeries>('g.storage-legend-item')
    .data(vm.series, (s) => s.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'storage-legend-item');
      g.append('line');
      g.append('text').attr('font-size', FONT_PX);
      return g;
    })
    .attr('data-series', (s) => s.id)
    .attr('transform', (s) => {
      const at = offset;
      offset += 40 + [...s.label].length * CHAR_PX + 18;
      return `translate(${at},${MARGIN.top - 18})`;
    });
  item
    .select('line')
    .attr('class', (_, i) => `storage-series-${i % SERIES_DASHES.length}`)
    .attr('x1', 0)
    .attr('x2', 32)
    .attr('y1', 0)
    .attr('y2', 0)
    .attr('stroke-width', 2.5)
    .attr('stroke-dasharray', (_, i) => SERIES_DASHES[i % SERIES_DASHES.length]);
  item
    .select('text')
    .attr('x', 38)
    .attr('dy', '0.35em')
    .text((s) => s.label);
}

function drawQuota(
  root: Root,
  vm: StorageChartViewModel,
  y: ScaleLinear<number, number>,
  x0: number,
  x1: number,
) {
  const quota = root
    .select('g.storage-quota-group')
    .selectAll<SVGGElement, number>('g.storage-quota')
    .data(vm.quotaBytes === null ? [] : [vm.quotaBytes])
    .join((enter) => {
      const g = enter.append('g').attr('class', 'storage-quota');
      g.append('line').attr('stroke-dasharray', '6 3').attr('stroke-width', 1.5);
      g.append('text').attr('text-anchor', 'end').attr('font-size', FONT_PX);
      return g;
    })
    .attr('transform', (q) => `translate(0,${y(q)})`);
  quota.select('line').attr('x1', x0).attr('x2', x1);
  quota
    .select('text')
    .attr('x', x1 - 4)
    .attr('y', -5)
    .text((q) => `quota ${formatBytes(q)}`);
}

function drawMarker(
  root: Root,
  vm: StorageChartViewModel,
  x: ScaleTime<number, number>,
  oldX: ScaleTime<number, number> | undefined,
  yTop: number,
  yBottom: number,
  duration: number,
): Promise<void> {
  const waits: Promise<void>[] = [];
  const marker = root
    .select('g.storage-marker-group')
    .selectAll<SVGGElement, number>('g.storage-marker')
    .data(vm.marker === null ? [] : [vm.marker])
    .join((enter) => {
      const g = enter.append('g').attr('class', 'storage-marker');
      g.append('line').attr('stroke-width', 2);
      g.append('text').attr('text-anchor', 'middle').attr('font-size', FONT_PX);
      return g;
    });
  marker.each(function (t) {
    const before = this.getAttribute('data-at');
    if (before !== null && oldX && Number(before) !== t) {
      // Slide from where the marker was drawn to where it is now.
      const dx = oldX(Number(before)) - x(t);
      waits.push(
        animateAll([this], [{ transform: `translate(${dx}px, 0)` }, { transform: 'none' }], duration),
      );
    }
  });
  marker.attr('data-at', (t) => t).attr('transform', (t) => `translate(${x(t)},0)`);
  marker.select('line').attr('y1', yTop).attr('y2', yBottom);
  marker
    .select('text')
    .attr('y', yTop - 4)
    .text('now');
  return Promise.all(waits).then(() => undefined);
}

/** Shows (or hides) the focus line, a dot per series and the tooltip; tells the wrapper. */
function drawFocus(svg: SVGSVGElement, state: ChartState, notify = true): void {
  const root = select(svg);
  const g = root.select<SVGGElement>('g.storage-focus');
  const at = state.focus === null ? null : state.times[state.focus];
  const now = at ?? state.times[state.times.length - 1];
  root
    .attr('aria-valuenow', now ?? 0)
    .attr('aria-valuetext', now === undefined ? 'No data yet' : formatDate(now));
  if (at === null || at === undefined || !state.shown) {
    g.attr('display', 'none');
    if (notify) state.opts.onpoint?.(null);
    return;
  }
  const readout = storageReadout(state.vm, at);
  const fx = state.x(at);
  const [yBottom, yTop] = state.y.range();
  g.attr('display', null).attr('data-at', at);
  g.select('line.storage-focus-line').attr('x1', fx).attr('x2', fx).attr('y1', yTop).attr('y2', yBottom);
  g.select('g.storage-focus-dots')
    .selectAll('circle')
    .data(readout.cells.filter((c) => c.bytes !== null))
    .join('circle')
    .attr(
      'class',
      (c) => `storage-series-${state.vm.series.findIndex((s) => s.id === c.id) % SERIES_DASHES.length}`,
    )
    .attr('cx', fx)
    .attr('cy', (c) => state.y(c.bytes ?? 0))
    .attr('r', 4.5);

  const lines = [readout.date, ...readout.cells.map(describeCell)];
  const w = Math.max(...lines.map((l) => [...l].length)) * CHAR_PX + 20;
  const h = lines.length * 17 + 10;
  const [x0, x1] = state.x.range();
  const left = fx + 12 + w > x1 ? Math.max(x0, fx - 12 - w) : fx + 12;
  const tip = g.select('g.storage-tooltip').attr('transform', `translate(${left},${yTop + 6})`);
  tip.select('rect').attr('width', w).attr('height', h).attr('rx', 6);
  tip
    .select('text')
    .selectAll('tspan')
    .data(lines)
    .join('tspan')
    .attr('x', 10)
    .attr('y', (_, i) => 20 + i * 17)
    .attr('font-weight', (_, i) => (i === 0 ? 600 : null))
    .text((l) => l);
  if (notify) state.opts.onpoint?.(readout);
}

/** The index of the change closest to `at` in the sorted `times` (binary search: hover is hot). */
function nearestIndex(times: number[], at: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && at - times[lo - 1] <= times[lo] - at ? lo - 1 : lo;
}

/** The key handling and hover, attached once per SVG; they read the newest state. */
function listen(svg: SVGSVGElement): void {
  const move = (state: ChartState, index: number) => {
    state.focus = Math.max(0, Math.min(state.times.length - 1, index));
    state.shown = true;
    drawFocus(svg, state);
  };
  svg.addEventListener('focus', () => {
    const state = states.get(svg);
    if (!state || !state.times.length) return;
    state.focused = true;
    const start = state.vm.marker ?? state.times[state.times.length - 1];
    move(state, state.focus ?? nearestIndex(state.times, start));
  });
  svg.addEventListener('blur', () => {
    const state = states.get(svg);
    if (!state) return;
    state.focused = false;
    state.shown = false;
    drawFocus(svg, state);
  });
  svg.addEventListener('keydown', (event) => {
    const state = states.get(svg);
    if (!state || !state.times.length) return;
    const i = state.focus ?? state.times.length - 1;
    const page = Math.max(1, Math.round(state.times.length / 10));
    const next: Record<string, number> = {
      ArrowLeft: i - 1,
      ArrowDown: i - 1,
      ArrowRight: i + 1,
      ArrowUp: i + 1,
      PageDown: i - page,
      PageUp: i + page,
      Home: 0,
      End: state.times.length - 1,
    };
    if (event.key === 'Escape') {
      state.shown = false;
      drawFocus(svg, state);
      return;
    }
    // Only the chart's own keys are taken: Tab and everything else keep their meaning.
    if (!(event.key in next)) return;
    event.preventDefault();
    move(state, next[event.key]);
  });
  svg.addEventListener('pointermove', (event) => {
    const state = states.get(svg);
    if (!state || !state.times.length) return;
    const box = svg.getBoundingClientRect();
    const scale = box.width ? state.opts.width / box.width : 1;
    const at = state.x.invert((event.clientX - box.left) * scale).getTime();
    move(state, nearestIndex(state.times, at));
  });
  svg.addEventListener('pointerleave', () => {
    const state = states.get(svg);
    if (!state || state.focused) return;
    state.shown = false;
    drawFocus(svg, state);
  });
}
