// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ellipsize,
  renderSequenceDiagram,
  sequenceSummary,
  sequenceTitle,
} from '../../src/viz/sequence-diagram';
import type { SequenceItem, SequenceViewModel } from '../../src/viz/types';

const pop3Session: SequenceItem[] = [
  { key: '1', kind: 'note', text: 'connected to port 110' },
  { key: '2', kind: 'state', text: 'AUTHORIZATION' },
  { key: '3', kind: 'reply', text: '+OK POP3 server ready', status: 'ok' },
  { key: '4', kind: 'command', text: 'USER alice', title: 'Names the mailbox (RFC 1939 §7)' },
  { key: '5', kind: 'reply', text: '+OK', status: 'ok' },
  { key: '6', kind: 'command', text: 'PASS wonderland' },
  { key: '7', kind: 'reply', text: '+OK maildrop has 3 messages', status: 'ok' },
  { key: '8', kind: 'state', text: 'TRANSACTION' },
  { key: '9', kind: 'command', text: 'RETR 9' },
  { key: '10', kind: 'reply', text: '-ERR no such message', status: 'err' },
  { key: '11', kind: 'command', text: 'LIST' },
  { key: '12', kind: 'reply', text: '+OK 3 messages', status: 'ok', lines: 5 },
];

const vm = (items: SequenceItem[] = pop3Session): SequenceViewModel => ({
  client: 'Laptop',
  server: 'POP3 server',
  items,
});

let svg: SVGSVGElement;
beforeEach(() => {
  document.body.innerHTML = '<svg></svg>';
  svg = document.querySelector('svg')!;
});
afterEach(() => vi.restoreAllMocks());

const rows = () => [...svg.querySelectorAll<SVGGElement>('g.seq-row')];
const row = (key: string) => svg.querySelector<SVGGElement>(`g.seq-row[data-key="${key}"]`)!;
const rowY = (g: SVGGElement) => Number(/translate\(0,([\d.]+)\)/.exec(g.getAttribute('transform')!)![1]);
const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

describe('renderSequenceDiagram', () => {
  it('draws two named lifelines and one row per item, in wire order', async () => {
    await renderSequenceDiagram(svg, vm(), { duration: 0 });
    expect(svg.querySelector('.seq-lane-client text')!.textContent).toBe('Laptop');
    expect(svg.querySelector('.seq-lane-server text')!.textContent).toBe('POP3 server');
    const client = svg.querySelector('line.seq-lifeline-client')!;
    const server = svg.querySelector('line.seq-lifeline-server')!;
    expect(num(client, 'x1')).toBeLessThan(num(server, 'x1'));
    expect(rows().map((r) => r.dataset.key)).toEqual(pop3Session.map((i) => i.key));
    expect(rows().map((r) => r.dataset.kind)).toEqual(pop3Session.map((i) => i.kind));
    const ys = rows().map(rowY);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    // Lifelines run from under the names to the last row.
    expect(num(client, 'y2')).toBeGreaterThan(ys[ys.length - 1]);
  });

  it('points commands from client to server and replies back, with the status on the row', async () => {
    await renderSequenceDiagram(svg, vm(), { duration: 0 });
    const clientX = num(svg.querySelector('line.seq-lifeline-client')!, 'x1');
    const serverX = num(svg.querySelector('line.seq-lifeline-server')!, 'x1');
    const user = row('4').querySelector('line.seq-shaft')!;
    expect(num(user, 'x1')).toBe(clientX);
    expect(num(user, 'x2')).toBeGreaterThan(clientX);
    expect(row('4').querySelector('path.seq-arrowhead')!.getAttribute('d')).toMatch(
      new RegExp(`^M${serverX},`),
    );
    const reply = row('5').querySelector('line.seq-shaft')!;
    expect(num(reply, 'x1')).toBe(serverX);
    expect(num(reply, 'x2')).toBeLessThan(serverX);
    expect(row('10').dataset.status).toBe('err');
    expect(row('5').dataset.status).toBe('ok');
    expect(row('4').dataset.status).toBeUndefined();
  });

  it('draws states as a band across both lanes and notes as a dashed band', async () => {
    await renderSequenceDiagram(svg, vm(), { duration: 0 });
    const clientX = num(svg.querySelector('line.seq-lifeline-client')!, 'x1');
    const serverX = num(svg.querySelector('line.seq-lifeline-server')!, 'x1');
    const band = row('8').querySelector('rect.seq-band')!;
    expect(num(band, 'x')).toBeLessThan(clientX);
    expect(num(band, 'x') + num(band, 'width')).toBeGreaterThan(serverX);
    expect(row('8').querySelector('.seq-text')!.textContent).toBe('TRANSACTION');
    expect(row('8').querySelector('line')).toBeNull();
    expect(band.getAttribute('stroke-dasharray')).toBeNull();
    expect(row('1').querySelector('rect.seq-band')!.getAttribute('stroke-dasharray')).toBeTruthy();
  });

  it('draws a multi-line reply thicker with "+N lines" and untagged/continuation replies dashed', async () => {
    await renderSequenceDiagram(
      svg,
      vm([
        ...pop3Session,
        { key: 'u', kind: 'reply', text: '* 3 EXISTS', status: 'untagged' },
        { key: 'c', kind: 'reply', text: '+ idling', status: 'continue' },
      ]),
      { duration: 0 },
    );
    const list = row('12');
    expect(list.classList.contains('seq-multi')).toBe(true);
    expect(list.querySelector('.seq-more')!.textContent!.trim()).toBe('+4 lines');
    expect(num(list.querySelector('line')!, 'stroke-width')).toBeGreaterThan(
      num(row('5').querySelector('line')!, 'stroke-width'),
    );
    expect(list.querySelector('title')!.textContent).toBe('+OK 3 messages (5 lines)');
    expect(row('5').querySelector('.seq-more')!.textContent).toBe('');
    const dash = (k: string) => row(k).querySelector('line')!.getAttribute('stroke-dasharray');
    expect(dash('u')).toBeTruthy();
    expect(dash('c')).toBeTruthy();
    expect(dash('u')).not.toBe(dash('c'));
    expect(dash('5')).toBeNull();
  });

  it('ellipsizes a long line and keeps the full text and the explanation in <title>', async () => {
    const long = `a1 FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)])`;
    await renderSequenceDiagram(
      svg,
      vm([{ key: 'f', kind: 'command', text: long, title: 'Reads data of messages' }]),
      { duration: 0, width: 420 },
    );
    const shown = row('f').querySelector('.seq-text')!.textContent!;
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThan(long.length);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expect(row('f').querySelector('title')!.textContent).toBe(`${long} — Reads data of messages`);
    // A wider drawing has room for more of the line.
    await renderSequenceDiagram(
      svg,
      vm([{ key: 'f', kind: 'command', text: long, title: 'Reads data of messages' }]),
      { duration: 0, width: 900 },
    );
    expect(row('f').querySelector('.seq-text')!.textContent!.length).toBeGreaterThan(shown.length);
  });

  it('keeps each row element across updates; new rows enter, removed ones go', async () => {
    await renderSequenceDiagram(svg, vm(pop3Session.slice(0, 6)), { duration: 0 });
    const before = new Map(rows().map((r) => [r.dataset.key, r]));
    const h1 = num(svg, 'height');
    await renderSequenceDiagram(svg, vm(pop3Session), { duration: 0 });
    for (const [key, el] of before) expect(row(key!)).toBe(el);
    expect(rows()).toHaveLength(pop3Session.length);
    expect(num(svg, 'height')).toBeGreaterThan(h1);
    // The window slides: the oldest rows leave, the rest keep their elements and move up.
    const y9 = rowY(row('9'));
    const kept = row('9');
    await renderSequenceDiagram(svg, vm(pop3Session.slice(2)), { duration: 0 });
    expect(row('1')).toBeNull();
    expect(row('2')).toBeNull();
    expect(row('9')).toBe(kept);
    expect(rowY(row('9'))).toBeLessThan(y9);
    await renderSequenceDiagram(svg, vm([]), { duration: 0 });
    expect(rows()).toHaveLength(0);
  });

  it('rebuilds a row whose kind changed under the same key', async () => {
    await renderSequenceDiagram(svg, vm([{ key: 'x', kind: 'command', text: 'NOOP' }]), { duration: 0 });
    await renderSequenceDiagram(svg, vm([{ key: 'x', kind: 'note', text: 'connection dropped' }]), {
      duration: 0,
    });
    expect(row('x').querySelector('line')).toBeNull();
    expect(row('x').querySelector('rect.seq-band')).not.toBeNull();
    expect(row('x').querySelectorAll('g.seq-body')).toHaveLength(1);
  });

  it('slides in only the new rows, and nothing on the first draw', async () => {
    const calls: { el: Element; keyframes: Keyframe[]; duration: number }[] = [];
    (Element.prototype as unknown as { animate: unknown }).animate = function (
      this: Element,
      keyframes: Keyframe[],
      o: { duration: number },
    ) {
      calls.push({ el: this, keyframes, duration: o.duration });
      return { finished: Promise.resolve() };
    };
    try {
      await renderSequenceDiagram(svg, vm(pop3Session.slice(0, 4)), { duration: 200 });
      expect(calls).toHaveLength(0);
      await renderSequenceDiagram(svg, vm(pop3Session.slice(0, 6)), { duration: 200 });
      expect(calls.map((c) => c.el.closest('g.seq-row')!.getAttribute('data-key'))).toEqual(['5', '6']);
      // A reply comes from the server's side (right), a command from the client's (left).
      expect(calls[0].keyframes[0].transform).toBe('translate(18px, 0)');
      expect(calls[1].keyframes[0].transform).toBe('translate(-18px, 0)');
      expect(calls[0].duration).toBe(200);
      calls.length = 0;
      await renderSequenceDiagram(svg, vm(pop3Session), { duration: 0 });
      expect(calls).toHaveLength(0);
    } finally {
      delete (Element.prototype as unknown as { animate?: unknown }).animate;
    }
  });

  it('sets every text at 12 px or more and no colour of its own (CSS variables do that)', async () => {
    await renderSequenceDiagram(svg, vm(), { duration: 0 });
    for (const t of svg.querySelectorAll('text')) {
      expect(Number(t.getAttribute('font-size'))).toBeGreaterThanOrEqual(12);
    }
    for (const el of svg.querySelectorAll('*')) {
      for (const attr of ['fill', 'stroke', 'color', 'style']) {
        expect(el.getAttribute(attr) ?? 'none').toMatch(/^(none|currentColor|var\(--[\w-]+\))$/);
      }
    }
  });

  it('renders text as text, never as markup', async () => {
    await renderSequenceDiagram(
      svg,
      vm([{ key: 'h', kind: 'command', text: '<img src=x onerror=alert(1)>' }]),
      {
        duration: 0,
      },
    );
    expect(svg.querySelector('img')).toBeNull();
    expect(row('h').querySelector('.seq-text')!.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('touches only the new row when one item is added to a long exchange', async () => {
    const many: SequenceItem[] = Array.from({ length: 2000 }, (_, i) => ({
      key: String(i),
      kind: i % 2 ? 'reply' : 'command',
      text: i % 2 ? '+OK' : `NOOP ${i}`,
      status: i % 2 ? 'ok' : undefined,
    }));
    await renderSequenceDiagram(svg, vm(many), { duration: 0 });
    const changed = new Set<Element>();
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        const target = r.target instanceof Element ? r.target : r.target.parentElement!;
        const g = target.closest('g.seq-row');
        if (g) changed.add(g);
      }
    });
    observer.observe(svg, { subtree: true, attributes: true, childList: true, characterData: true });
    await renderSequenceDiagram(svg, vm([...many, { key: 'new', kind: 'command', text: 'QUIT' }]), {
      duration: 0,
    });
    await Promise.resolve();
    observer.disconnect();
    expect([...changed].map((g) => g.getAttribute('data-key'))).toEqual(['new']);
  });
});

describe('sequence helpers', () => {
  it('ellipsize cuts to the given length with "…"', () => {
    expect(ellipsize('RETR 1', 10)).toBe('RETR 1');
    expect(ellipsize('abcdefghij', 5)).toBe('abcd…');
    expect(ellipsize('abcdefghij', 1)).toBe('…');
  });

  it('sequenceTitle joins the text, the size and the explanation', () => {
    expect(sequenceTitle({ key: 'a', kind: 'command', text: 'STAT', title: 'Counts the messages' })).toBe(
      'STAT — Counts the messages',
    );
    expect(sequenceTitle({ key: 'b', kind: 'reply', text: '+OK', lines: 1 })).toBe('+OK');
  });

  it('sequenceSummary counts the commands and names the last state', () => {
    expect(sequenceSummary(vm())).toBe('Laptop and POP3 server: 4 commands, last state TRANSACTION.');
    expect(sequenceSummary(vm([{ key: '1', kind: 'command', text: 'CAPA' }]))).toBe(
      'Laptop and POP3 server: 1 command, no state yet.',
    );
  });
});
