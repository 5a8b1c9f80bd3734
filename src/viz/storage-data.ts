/**
 * The numbers behind the storage chart (issue 9, claims C7/C10), without any drawing: the
 * monthly cost of a storage level, the readable units, the value of a series at a moment, the
 * readout the chart's tooltip and live region show, and the rows of the table alternative.
 * `storage-chart.ts` re-exports them; they are kept apart so the table needs no SVG code.
 */
import { utcFormat } from 'd3-time-format';
import { utcMonth } from 'd3-time';
import { scaleLinear } from 'd3-scale';
import type { StorageChartViewModel, StoragePoint, StorageSeries } from './types';

/** A gigabyte as storage is billed here: 1024^3 octets. */
export const GB = 1024 ** 3;

/**
 * Monthly cost of keeping `bytes` on the server: what lies above the quota, in GB, times the
 * price per GB per 30-day month. No quota (null) means every octet is billed; a price that is
 * not a positive number costs nothing.
 */
export function costPerMonth(bytes: number, quotaBytes: number | null, pricePerGBMonth: number): number {
  if (!(pricePerGBMonth > 0)) return 0;
  return (Math.max(0, bytes - (quotaBytes ?? 0)) / GB) * pricePerGBMonth;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** The power of 1024 that suits `bytes` (0 = B, 1 = KB, 2 = MB...). */
export function bytesUnit(bytes: number): number {
  let k = 0;
  while (k < UNITS.length - 1 && Math.abs(bytes) >= 1024 ** (k + 1)) k++;
  return k;
}

/**
 * "512 B", "1.5 KB", "12.3 MB", "128 GB" (1024-based, like the quota). `unit` fixes the unit,
 * as an axis does so its ticks read 0, 0.5 MB, 1 MB.
 */
export function formatBytes(bytes: number, unit = bytesUnit(bytes)): string {
  if (bytes === 0) return '0 B';
  const v = bytes / 1024 ** unit;
  const digits = unit === 0 ? 0 : Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0;
  return `${Number(v.toFixed(digits)).toLocaleString('en-US')} ${UNITS[unit]}`;
}

/** "$0.00", "$1.25", "$1,024.00"; below a cent two significant digits ("$0.0042"), never 0 for a cost. */
export function formatCost(cost: number): string {
  if (cost === 0) return '$0.00';
  if (cost >= 0.01) {
    return `$${cost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  return `$${cost.toLocaleString('en-US', { maximumSignificantDigits: 2 })}`;
}

/** The learner's price: "0.02", "0,02" (a decimal comma), " 1 " → a number ≥ 0; anything else NaN. */
export function parsePrice(text: string): number {
  const t = text.trim().replace(',', '.');
  return /^(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
}

/**
 * The storage axis: its top (the highest level, or the quota so its line is always drawn, with
 * a little room above, rounded up to a round number of the unit) and its unit (0 = B, 2 = MB),
 * the unit of the highest level, so every label reads 0, 0.5 MB, 1 MB...
 */
export function storageAxis(vm: StorageChartViewModel): { top: number; unit: number } {
  let max = vm.quotaBytes ?? 0;
  for (const s of vm.series) for (const p of s.points) max = Math.max(max, p.bytes);
  const unit = bytesUnit(Math.max(max, 1));
  const size = 1024 ** unit;
  const inUnits = scaleLinear()
    .domain([0, Math.max((max / size) * 1.08, 1)])
    .nice(5);
  return { top: inUnits.domain()[1] * size, unit };
}

/** Closest two cost ticks may be, in px: a 12 px label and some air. */
export const COST_TICK_SPACING = 22;

/**
 * Why the chart has no cost axis, or null when it has one. An axis whose labels are all $0.00,
 * or fractions of a cent ("$0.0000015"), tells nothing and cannot be read: below a cent a
 * month at the top of the chart, a sentence says so instead.
 */
export function costAxisNote(vm: StorageChartViewModel, top = storageAxis(vm).top): string | null {
  const price = vm.pricePerGBMonth;
  if (!(price > 0)) return `No cost axis: at ${formatCost(0)} per GB, storage costs nothing.`;
  if (costPerMonth(top, vm.quotaBytes, price) >= 0.01) return null;
  const above = vm.quotaBytes ? ` above the ${formatBytes(vm.quotaBytes)} quota` : '';
  return (
    `No cost axis: even the top of the chart (${formatBytes(top)}) costs less than a cent a month ` +
    `at ${formatCost(price)} per GB${above}.`
  );
}

/**
 * The storage levels (bytes) where the cost axis has a label: whole cents from $0.00 at the
 * quota up to `top`, as many as fit `room` px (the height from the quota to the top) at
 * COST_TICK_SPACING apart. Empty when costAxisNote says there is no axis.
 */
export function costTicks(vm: StorageChartViewModel, top: number, room: number): number[] {
  if (costAxisNote(vm, top) !== null) return [];
  const quota = vm.quotaBytes ?? 0;
  const price = vm.pricePerGBMonth;
  const maxCost = costPerMonth(top, vm.quotaBytes, price);
  const scale = scaleLinear().domain([0, maxCost]);
  let costs = [0];
  for (let count = 5; count >= 1; count--) {
    // Whole cents only: "$0.005" is not a price anyone is billed.
    const ticks = scale.ticks(count).filter((c) => Math.abs(c * 100 - Math.round(c * 100)) < 1e-6);
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : maxCost;
    costs = ticks;
    if ((step / maxCost) * room >= COST_TICK_SPACING) break;
  }
  return costs.map((c) => quota + (c / price) * GB).filter((b) => b <= top);
}

const dayFormat = utcFormat('%-d %b %Y');
const timeFormat = utcFormat('%-d %b %Y, %H:%M UTC');
const monthFormat = utcFormat('%b %Y');

/** "3 Mar 2025" at midnight UTC, "3 Mar 2025, 14:05 UTC" otherwise (virtual time is UTC). */
export function formatDate(at: number): string {
  const d = new Date(at);
  return d.getTime() % 86_400_000 === 0 ? dayFormat(d) : timeFormat(d);
}

/** The point in force at `at`: the last one at or before it (the series is a step), or null before the first. */
export function pointAt(series: StorageSeries, at: number): StoragePoint | null {
  const pts = series.points;
  let lo = 0;
  let hi = pts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pts[mid].at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : pts[lo - 1];
}

/** Every moment at which some series changes, sorted, without repeats: where the focus can stop. */
export function storageTimes(vm: StorageChartViewModel): number[] {
  const set = new Set<number>();
  for (const s of vm.series) for (const p of s.points) set.add(p.at);
  return [...set].sort((a, b) => a - b);
}

export interface StorageCell {
  id: string;
  label: string;
  /** null before the series' first point. */
  bytes: number | null;
  messages: number | null;
  cost: number | null;
}

/** What the tooltip and the live region say about one moment. */
export interface StorageReadout {
  at: number;
  date: string;
  cells: StorageCell[];
  /** One plain sentence per series after the date, for screen readers. */
  text: string;
}

function cellsAt(vm: StorageChartViewModel, at: number): StorageCell[] {
  return vm.series.map((s) => {
    const p = pointAt(s, at);
    return {
      id: s.id,
      label: s.label,
      bytes: p ? p.bytes : null,
      messages: p ? p.messages : null,
      cost: p ? costPerMonth(p.bytes, vm.quotaBytes, vm.pricePerGBMonth) : null,
    };
  });
}

/** "POP3: 1.5 MB, 12 messages, $0.00 a month" (or "no data yet"). */
export function describeCell(c: StorageCell): string {
  if (c.bytes === null) return `${c.label}: no data yet`;
  const msgs = `${c.messages} message${c.messages === 1 ? '' : 's'}`;
  return `${c.label}: ${formatBytes(c.bytes)}, ${msgs}, ${formatCost(c.cost ?? 0)} a month`;
}

export function storageReadout(vm: StorageChartViewModel, at: number): StorageReadout {
  const date = formatDate(at);
  const cells = cellsAt(vm, at);
  return { at, date, cells, text: [date, ...cells.map(describeCell)].join('. ') + '.' };
}

export interface StorageTableRow {
  /** A calendar month (values at its end) or one change. */
  kind: 'month' | 'point';
  /** The moment the values are taken at. */
  at: number;
  /** "Mar 2025" for a month row, the date for a point row. */
  label: string;
  /** The exact date of `at`. */
  date: string;
  cells: StorageCell[];
}

export interface StorageTableOptions {
  /**
   * 'month': one row per calendar month (UTC) with the storage at its end (the last month at
   * the last change); 'point': one row per change; 'auto' (default): months when the data
   * spans two months or more, else points.
   */
  every?: 'month' | 'point' | 'auto';
}

/** The rows of the table alternative to the chart. */
export function storageTableRows(
  vm: StorageChartViewModel,
  options: StorageTableOptions = {},
): StorageTableRow[] {
  const times = storageTimes(vm);
  if (times.length === 0) return [];
  const first = times[0];
  const last = times[times.length - 1];
  const months = utcMonth.range(
    utcMonth.floor(new Date(first)),
    utcMonth.offset(utcMonth.floor(new Date(last)), 1),
  );
  const every = options.every ?? 'auto';
  if (every === 'point' || (every === 'auto' && months.length < 2)) {
    return times.map((at) => ({
      kind: 'point' as const,
      at,
      label: formatDate(at),
      date: formatDate(at),
      cells: cellsAt(vm, at),
    }));
  }
  return months.map((start) => {
    const at = Math.min(utcMonth.offset(start, 1).getTime() - 1, last);
    // The last millisecond of the month reads as that day, not as "23:59".
    return {
      kind: 'month' as const,
      at,
      label: monthFormat(start),
      date: dayFormat(new Date(at)),
      cells: cellsAt(vm, at),
    };
  });
}
