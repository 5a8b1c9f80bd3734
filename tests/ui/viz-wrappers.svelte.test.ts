// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { flushSync, mount, unmount } from 'svelte';
import SequenceDiagram from '../../src/ui/SequenceDiagram.svelte';
import StorageChart from '../../src/ui/StorageChart.svelte';
import type { SequenceItem, SequenceViewModel, StorageChartViewModel } from '../../src/viz/types';

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
});

const target = () => document.body.appendChild(document.createElement('div'));

/** The accessible name from aria-labelledby / aria-label (enough for these components). */
function nameOf(el: Element): string {
  const ids = el.getAttribute('aria-labelledby');
  if (ids)
    return ids
      .split(' ')
      .map((id) => document.getElementById(id)!.textContent!.trim())
      .join(' ');
  return el.getAttribute('aria-label') ?? '';
}

const items = (n: number): SequenceItem[] =>
  Array.from({ length: n }, (_, i) =>
    i % 2
      ? { key: String(i), kind: 'reply', text: '+OK', status: 'ok' }
      : { key: String(i), kind: 'command', text: `NOOP ${i}` },
  );

describe('SequenceDiagram.svelte', () => {
  function start(vm: SequenceViewModel, limit?: number) {
    const props = $state({ vm, duration: 0, limit });
    app = mount(SequenceDiagram, { target: target(), props });
    flushSync();
    return props;
  }
  const drawn = () => document.querySelectorAll('g.seq-row').length;

  it('is a figure named by its summary, the drawing an image, the scroll box focusable', () => {
    start({
      client: 'Laptop',
      server: 'POP3 server',
      items: [...items(4), { key: 's', kind: 'state', text: 'TRANSACTION' }],
    });
    const figure = document.querySelector('figure')!;
    expect(nameOf(figure)).toBe('Sequence Laptop and POP3 server: 2 commands, last state TRANSACTION.');
    const svg = figure.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(
      'Laptop and POP3 server: 2 commands, last state TRANSACTION.',
    );
    const box = figure.querySelector<HTMLElement>('.scroll')!;
    expect(box.tabIndex).toBe(0);
    expect(nameOf(box)).toBe('Sequence diagram, scrollable');
    expect(drawn()).toBe(5);
    // It handles no keys: Tab moves on as usual.
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    box.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(false);
  });

  it('draws only the newest window of a long exchange and says how many are left out', () => {
    const props = start({ client: 'Laptop', server: 'IMAP server', items: items(2000) });
    expect(drawn()).toBe(200);
    expect(document.querySelector('g.seq-row')!.getAttribute('data-key')).toBe('1800');
    expect(document.querySelector('.earlier')!.textContent).toBe('1800 earlier steps are in the transcript.');
    // The summary still counts the whole exchange.
    expect(document.querySelector('svg')!.getAttribute('aria-label')).toContain('1000 commands');
    props.limit = 50;
    flushSync();
    expect(drawn()).toBe(50);
  });

  it('follows the newest row like a terminal, until the learner scrolls up', () => {
    const props = start({ client: 'Laptop', server: 'POP3 server', items: items(10) });
    const box = document.querySelector<HTMLElement>('.scroll')!;
    // jsdom has no layout: give the box a size so "at the bottom" means something.
    let content = 1000;
    Object.defineProperty(box, 'scrollHeight', { get: () => content });
    Object.defineProperty(box, 'clientHeight', { get: () => 200 });
    props.vm = { ...props.vm, items: items(11) };
    flushSync();
    expect(box.scrollTop).toBe(1000);
    box.scrollTop = 300;
    box.dispatchEvent(new Event('scroll'));
    flushSync();
    content = 1030;
    props.vm = { ...props.vm, items: items(12) };
    flushSync();
    expect(box.scrollTop).toBe(300);
    const newest = document.querySelector<HTMLButtonElement>('button.newest')!;
    expect(newest.textContent).toBe('Newest ↓');
    newest.click();
    flushSync();
    expect(box.scrollTop).toBe(1030);
    expect(document.querySelector('button.newest')).toBeNull();
  });
});

const MB = 1024 ** 2;
const storage = (price = 1024): StorageChartViewModel => ({
  series: [
    { id: 'pop3', label: 'POP3', points: [{ at: Date.UTC(2025, 0, 15), bytes: 2 * MB, messages: 20 }] },
    {
      id: 'imap',
      label: 'IMAP',
      points: [
        { at: Date.UTC(2025, 0, 15), bytes: 2 * MB, messages: 20 },
        { at: Date.UTC(2025, 2, 10), bytes: 12 * MB, messages: 120 },
      ],
    },
  ],
  quotaBytes: 5 * MB,
  pricePerGBMonth: price,
  marker: null,
});

describe('StorageChart.svelte', () => {
  function start() {
    const prices: number[] = [];
    const props = $state({ vm: storage(), duration: 0, onprice: (p: number) => prices.push(p) });
    app = mount(StorageChart, { target: target(), props });
    flushSync();
    return { props, prices };
  }
  const input = () => document.querySelector<HTMLInputElement>('input')!;
  function type(text: string) {
    input().value = text;
    input().dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
  }

  it('is a figure named "Server storage" with the chart inside', () => {
    start();
    const figure = document.querySelector('figure')!;
    expect(nameOf(figure)).toBe('Server storage');
    const svg = figure.querySelector('svg')!;
    expect(svg.querySelectorAll('path.storage-line')).toHaveLength(2);
    expect(svg.getAttribute('role')).toBe('slider');
    expect(document.getElementById(svg.getAttribute('aria-describedby')!)!.textContent).toContain('←');
  });

  it('says in a sentence why there is no cost axis, and describes the chart with it', () => {
    const { props } = start();
    const svg = document.querySelector('svg')!;
    const described = () =>
      svg
        .getAttribute('aria-describedby')!
        .split(' ')
        .map((id) => document.getElementById(id)!.textContent!.trim());
    expect(svg.querySelectorAll('g.storage-axis-cost .tick').length).toBeGreaterThan(1);
    expect(described()).toHaveLength(1);
    props.vm = storage(0);
    flushSync();
    expect(svg.querySelectorAll('g.storage-axis-cost .tick')).toHaveLength(0);
    expect(described()[1]).toBe('No cost axis: at $0.00 per GB, storage costs nothing.');
    props.vm = storage(1);
    flushSync();
    expect(described()[1]).toMatch(
      /^No cost axis: even the top of the chart \(14 MB\) costs less than a cent/,
    );
    props.vm = storage();
    flushSync();
    expect(described()).toHaveLength(1);
    expect(document.body.textContent).not.toContain('No cost axis');
  });

  it('announces the focused point in a live region', () => {
    start();
    const svg = document.querySelector('svg')!;
    const live = document.querySelector('[aria-live="polite"]')!;
    expect(live.textContent).toBe('');
    svg.focus();
    flushSync();
    expect(live.textContent).toBe(
      '10 Mar 2025. POP3: 2 MB, 20 messages, $0.00 a month. IMAP: 12 MB, 120 messages, $7.00 a month.',
    );
    svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    flushSync();
    expect(live.textContent).toMatch(/^15 Jan 2025\. /);
  });

  it('has a labelled price field that reports valid prices and flags the rest', () => {
    const { props, prices } = start();
    const field = document.querySelector('label')!;
    expect(field.textContent!.trim()).toMatch(/^Price per GB per month/);
    expect(field.querySelector('input')).toBe(input());
    expect(input().value).toBe('1024');
    type('0.0');
    type('0.05');
    expect(prices).toEqual([0, 0.05]);
    type('abc');
    expect(prices).toEqual([0, 0.05]);
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input().getAttribute('aria-describedby')!)!.textContent).toBe(
      'Enter a price of 0 or more.',
    );
    // The lab adopts a price: the field shows it, the cost axis follows.
    props.vm = storage(512);
    flushSync();
    expect(input().value).toBe('512');
    expect(input().getAttribute('aria-invalid')).toBe('false');
    // What the learner is typing is not rewritten when it already means the price.
    type('512.');
    props.vm = storage(512);
    flushSync();
    expect(input().value).toBe('512.');
  });

  it('offers the data as a table with a caption, one row per month', () => {
    start();
    const details = document.querySelector('details')!;
    expect(details.querySelector('summary')!.textContent).toBe('Show as a table');
    expect(details.querySelector('table')).toBeNull();
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    flushSync();
    const table = details.querySelector('table')!;
    expect(table.querySelector('caption')!.textContent).toBe(
      'Server storage at the end of each month, quota 5 MB, cost a month at $1,024.00 per GB above the quota',
    );
    const cells = [...table.querySelectorAll('tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent!.trim()),
    );
    expect(cells).toEqual([
      [
        'Date',
        'POP3 storage',
        'POP3 messages',
        'POP3 cost a month',
        'IMAP storage',
        'IMAP messages',
        'IMAP cost a month',
      ],
      ['Jan 2025', '2 MB', '20', '$0.00', '2 MB', '20', '$0.00'],
      ['Feb 2025', '2 MB', '20', '$0.00', '2 MB', '20', '$0.00'],
      ['Mar 2025', '2 MB', '20', '$0.00', '12 MB', '120', '$7.00'],
    ]);
    expect(table.querySelectorAll('th[scope="row"]')).toHaveLength(3);
  });
});

describe('viz styles', () => {
  it('colour the sequence diagram and storage chart only through theme variables', () => {
    const css = readFileSync('src/ui/app.css', 'utf8');
    const ours = css.slice(css.indexOf('/* ---- sequence diagram'));
    expect(ours).toContain('.seq-command .seq-shaft');
    expect(ours).toContain('.storage-quota line');
    expect(ours).not.toMatch(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i);
    for (const [, value] of ours.matchAll(/(?:fill|stroke|color|background):\s*([^;]+);/g)) {
      expect(value).toMatch(/^(none|currentColor|var\(--[\w-]+\))$/);
    }
  });
});
