/**
 * The D3 views in jsdom (no layout, no paint: this measures the joins and DOM work only).
 * Sequence diagram: first draw, one more item, and the window sliding by one, at 200 items
 * (what `ui/SequenceDiagram.svelte` draws) and at 2,000 (a whole long session, for scale).
 * Storage chart: two series of 1,000 changes each, an update and one keyboard step.
 */
import { renderSequenceDiagram } from '../src/viz/sequence-diagram';
import { renderStorageChart } from '../src/viz/storage-chart';
import type { SequenceItem, StorageChartViewModel } from '../src/viz/types';

const items = (n: number, from = 0): SequenceItem[] =>
  Array.from({ length: n }, (_, j): SequenceItem => {
    const i = j + from;
    if (i % 3 === 2) return { key: String(i), kind: 'state', text: 'TRANSACTION' };
    if (i % 3 === 1) return { key: String(i), kind: 'reply', text: '+OK 320 octets', status: 'ok', lines: 4 };
    return { key: String(i), kind: 'command', text: `RETR ${i}`, title: 'Sends a whole message' };
  });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The part of jsdom used here (the package ships no types and @types/jsdom is not installed). */
type JSDOMClass = new (html: string) => { window: Window & typeof globalThis };

export default async function (): Promise<void> {
  const specifier = 'jsdom';
  const { JSDOM } = (await import(specifier)) as { JSDOM: JSDOMClass };
  const { window } = new JSDOM('<!doctype html><body></body>');
  const fresh = () => {
    window.document.body.innerHTML = '<svg></svg>';
    return window.document.querySelector('svg')!;
  };
  const time = async (f: () => Promise<void>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const vm = (list: SequenceItem[]) => ({ client: 'Laptop', server: 'POP3 server', items: list });
  for (const n of [200, 2000]) {
    const first: number[] = [];
    const append: number[] = [];
    const slide: number[] = [];
    for (let r = 0; r < 7; r++) {
      const svg = fresh();
      first.push(await time(() => renderSequenceDiagram(svg, vm(items(n)), { duration: 0 })));
      append.push(await time(() => renderSequenceDiagram(svg, vm(items(n + 1)), { duration: 0 })));
      slide.push(await time(() => renderSequenceDiagram(svg, vm(items(n, 2)), { duration: 0 })));
    }
    console.log(
      `  sequence, ${n} items: first draw ${ms(median(first))}, one more ${ms(median(append))}, window slides by one ${ms(median(slide))}`,
    );
  }

  const points = (k: number) =>
    Array.from({ length: 1000 }, (_, i) => ({
      at: Date.UTC(2025, 0, 1) + i * 3_600_000,
      bytes: (i % 50) * k * 1024,
      messages: i,
    }));
  const chart: StorageChartViewModel = {
    series: [
      { id: 'pop3', label: 'POP3', points: points(1) },
      { id: 'imap', label: 'IMAP', points: points(3) },
    ],
    quotaBytes: 50 * 1024,
    pricePerGBMonth: 0.02,
    marker: Date.UTC(2025, 0, 10),
  };
  const opts = { width: 640, height: 280, duration: 0 };
  const first: number[] = [];
  const update: number[] = [];
  const step: number[] = [];
  for (let r = 0; r < 7; r++) {
    const svg = fresh();
    first.push(await time(() => renderStorageChart(svg, chart, opts)));
    update.push(await time(() => renderStorageChart(svg, { ...chart, marker: Date.UTC(2025, 0, 20) }, opts)));
    svg.dispatchEvent(new window.FocusEvent('focus'));
    const t = performance.now();
    for (let i = 0; i < 100; i++)
      svg.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowLeft' }));
    step.push((performance.now() - t) / 100);
  }
  console.log(
    `  storage chart, 2 x 1,000 changes: first draw ${ms(median(first))}, update ${ms(median(update))}, one key step ${median(step).toFixed(2)} ms`,
  );
}
