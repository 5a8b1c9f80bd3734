/**
 * The sequence diagram of one device's exchange with the server (issue 7): the client's
 * lifeline on the left, the server's on the right, one arrow per command (client → server)
 * and per reply (server → client), the session's states as bands across both lanes, and
 * notes (connection opened, dropped) as dashed bands. One row per item, oldest at the top;
 * the SVG grows downwards and its box scrolls.
 *
 * Rows are joined by the item's stable key, so an item keeps its element across updates;
 * new rows slide in from their sender's side, rows whose item is gone are removed at once.
 *
 * Performance: every update walks all the items it is given (a row whose content and place
 * did not change is left alone). The wrapper (`ui/SequenceDiagram.svelte`) therefore passes
 * only the newest `SEQUENCE_WINDOW` items; the whole session is in the transcript.
 *
 * Arrowheads are drawn as paths inside each row rather than SVG markers, so they take the
 * row's colour from CSS and two diagrams on one page never share a marker id.
 */
import { select, type Selection } from 'd3-selection';
import { animateAll } from './motion';
import type { SequenceItem, SequenceViewModel } from './types';

/** How many of the newest items the wrapper draws; older ones are left to the transcript. */
export const SEQUENCE_WINDOW = 200;

export interface SequenceRenderOptions {
  /** Milliseconds for a new row to slide in; 0 = at once (reduced motion, tests). */
  duration: number;
  /** Where elements are created; defaults to the SVG's own document. */
  document?: Document;
  /** Height of one row in px (default 30). */
  rowHeight?: number;
  /** Width of the drawing in px (default 480); the text never shrinks below 12 px. */
  width?: number;
}

export const SEQUENCE_DEFAULTS = { rowHeight: 30, width: 480 } as const;
/** Space above the first row for the two lifelines' names. */
const HEADER = 40;
/** Distance of each lifeline from its edge of the drawing. */
const LANE_INSET = 56;
const FONT_PX = 12.5;
/** Advance of one character of the monospace label font at FONT_PX (0.6 em, a little spare). */
const CHAR_PX = 7.6;
/** At most this many new rows animate at once; a longer burst (a reload) just appears. */
const MAX_ANIMATED = 24;

/** Shortens `text` to at most `max` characters, ending in "…" when it was cut. */
export function ellipsize(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 1 ? '…' : `${chars.slice(0, max - 1).join('')}…`;
}

/** "+N lines" for a multi-line reply: the lines after the first, which the label shows. */
export function moreLines(item: SequenceItem): string {
  const extra = item.kind === 'reply' ? (item.lines ?? 1) - 1 : 0;
  return extra > 0 ? `+${extra} line${extra === 1 ? '' : 's'}` : '';
}

/** The tooltip: the full text, the reply's size and the explanation. */
export function sequenceTitle(item: SequenceItem): string {
  const lines = item.kind === 'reply' && (item.lines ?? 1) > 1 ? ` (${item.lines} lines)` : '';
  return `${item.text}${lines}${item.title ? ` — ${item.title}` : ''}`;
}

/** A one-sentence summary of the whole exchange, for the wrapper's accessible name. */
export function sequenceSummary(vm: SequenceViewModel): string {
  const commands = vm.items.filter((i) => i.kind === 'command').length;
  let state: string | undefined;
  for (const i of vm.items) if (i.kind === 'state') state = i.text;
  const n = `${commands} command${commands === 1 ? '' : 's'}`;
  return `${vm.client} and ${vm.server}: ${n}, ${state ? `last state ${state}` : 'no state yet'}.`;
}

interface Row {
  item: SequenceItem;
  y: number;
}

interface Layout {
  clientX: number;
  serverX: number;
  rowHeight: number;
  /** Characters that fit on one label line between the lifelines. */
  maxChars: number;
}

type RowSelection = Selection<SVGGElement, Row, SVGGElement, unknown>;

/** Each row element's parts and what it last drew, so an unchanged row is skipped on the next update. */
const drawn = new WeakMap<SVGGElement, { parts: RowParts | null; sig: string; y: number }>();

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The fixed parts (lifelines, names, the rows' group), created once per SVG. */
function skeleton(svg: SVGSVGElement, doc: Document): SVGGElement {
  const existing = svg.querySelector<SVGGElement>(':scope > g.seq-rows');
  if (existing) return existing;
  for (const lane of ['client', 'server']) {
    const line = doc.createElementNS(SVG_NS, 'line');
    line.setAttribute('class', `seq-lifeline seq-lifeline-${lane}`);
    svg.appendChild(line);
  }
  for (const lane of ['client', 'server']) {
    const head = doc.createElementNS(SVG_NS, 'g');
    head.setAttribute('class', `seq-lane seq-lane-${lane}`);
    head.setAttribute('data-lane', lane);
    head.append(doc.createElementNS(SVG_NS, 'title'), doc.createElementNS(SVG_NS, 'rect'));
    const text = doc.createElementNS(SVG_NS, 'text');
    text.setAttribute('text-anchor', 'middle');
    text.setAttribute('font-size', '13');
    head.appendChild(text);
    svg.appendChild(head);
  }
  const rows = doc.createElementNS(SVG_NS, 'g');
  rows.setAttribute('class', 'seq-rows');
  svg.appendChild(rows);
  return rows;
}

function drawLanes(svg: SVGSVGElement, vm: SequenceViewModel, layout: Layout, height: number): void {
  const root = select(svg);
  for (const lane of ['client', 'server'] as const) {
    const x = lane === 'client' ? layout.clientX : layout.serverX;
    root
      .select(`line.seq-lifeline-${lane}`)
      .attr('x1', x)
      .attr('x2', x)
      .attr('y1', HEADER - 8)
      .attr('y2', height - 4);
    const name = vm[lane];
    const shown = ellipsize(name, 13);
    const w = Math.max(64, [...shown].length * 8 + 18);
    const head = root.select(`g.seq-lane-${lane}`).attr('transform', `translate(${x},0)`);
    head.select('title').text(name);
    head
      .select('rect')
      .attr('x', -w / 2)
      .attr('y', 4)
      .attr('width', w)
      .attr('height', 26)
      .attr('rx', 6);
    head.select('text').attr('y', 22).text(shown);
  }
}

/** What a row shows; when it is unchanged the row is not touched. */
const signature = (r: Row, layout: Layout) =>
  [r.item.kind, r.item.text, r.item.status, r.item.lines, r.item.title, layout.maxChars, layout.serverX].join(
    '\u0000',
  );

/** A row's parts, kept so an update sets attributes directly instead of searching the row. */
interface RowParts {
  title: SVGTitleElement;
  body: SVGGElement;
  shaft: SVGLineElement | null;
  head: SVGPathElement | null;
  band: SVGRectElement | null;
  label: SVGTextElement;
  text: SVGTSpanElement;
  more: SVGTSpanElement;
}

function buildRow(g: SVGGElement, item: SequenceItem, doc: Document, title?: SVGTitleElement): RowParts {
  const make = <K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, cls: string) => {
    const el = doc.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
    el.setAttribute('class', cls);
    parent.appendChild(el);
    return el;
  };
  // The tooltip (<title>) is the row's first child and survives a rebuild.
  title ??= make(g, 'title', 'seq-title');
  const body = make(g, 'g', 'seq-body');
  const arrow = item.kind === 'command' || item.kind === 'reply';
  const shaft = arrow ? make(body, 'line', 'seq-shaft') : null;
  const head = arrow ? make(body, 'path', 'seq-arrowhead') : null;
  const band = arrow ? null : make(body, 'rect', 'seq-band');
  const label = make(body, 'text', 'seq-label');
  label.setAttribute('text-anchor', 'middle');
  label.setAttribute('font-size', String(FONT_PX));
  return {
    title,
    body,
    shaft,
    head,
    band,
    label,
    text: make(label, 'tspan', 'seq-text'),
    more: make(label, 'tspan', 'seq-more'),
  };
}

function set(el: Element, attrs: Record<string, string | number | null>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, String(value));
  }
}

function fillRow(g: SVGGElement, parts: RowParts, item: SequenceItem, layout: Layout): void {
  const { clientX, serverX, rowHeight } = layout;
  const arrow = item.kind === 'command' || item.kind === 'reply';
  const status = item.kind === 'reply' ? (item.status ?? 'ok') : null;
  const multi = (item.lines ?? 1) > 1 && item.kind === 'reply';
  set(g, {
    class: `seq-row seq-${item.kind}${multi ? ' seq-multi' : ''}`,
    'data-key': item.key,
    'data-kind': item.kind,
    'data-status': status,
  });
  parts.title.textContent = sequenceTitle(item);
  const more = moreLines(item);
  const room = layout.maxChars - (more ? [...more].length + 2 : 0);
  set(parts.label, {
    x: (clientX + serverX) / 2,
    y: arrow ? rowHeight - 15 : rowHeight / 2,
    dy: arrow ? null : '0.35em',
  });
  parts.text.textContent = ellipsize(item.text, Math.max(room, 4));
  parts.more.textContent = more ? `  ${more}` : '';
  if (parts.shaft && parts.head) {
    // Commands go right (client → server), replies left; the head touches the receiver's line.
    const [from, to] = item.kind === 'command' ? [clientX, serverX] : [serverX, clientX];
    const dir = Math.sign(to - from);
    const y = rowHeight - 8;
    set(parts.shaft, {
      x1: from,
      x2: to - dir * 8,
      y1: y,
      y2: y,
      'stroke-width': multi ? 3.5 : 1.5,
      // Untagged data dashed, a continuation request dotted: the pattern reads in greyscale too.
      'stroke-dasharray': status === 'untagged' ? '6 4' : status === 'continue' ? '2 3' : null,
    });
    set(parts.head, { d: `M${to},${y} l${-dir * 9},${-4.5} v9 z`, stroke: 'none' });
  } else if (parts.band) {
    set(parts.band, {
      x: clientX - 34,
      y: 4,
      width: serverX - clientX + 68,
      height: rowHeight - 8,
      rx: item.kind === 'state' ? (rowHeight - 8) / 2 : 4,
      'stroke-dasharray': item.kind === 'note' ? '5 4' : null,
    });
  }
}

/**
 * Draws (or updates) the sequence diagram inside `svg`. Resolves when the new rows' animations
 * have ended. The wrapper owns the SVG's role and accessible name (see `sequenceSummary`).
 */
export function renderSequenceDiagram(
  svg: SVGSVGElement,
  vm: SequenceViewModel,
  opts: SequenceRenderOptions,
): Promise<void> {
  const doc = opts.document ?? svg.ownerDocument;
  const rowHeight = opts.rowHeight ?? SEQUENCE_DEFAULTS.rowHeight;
  const width = Math.max(opts.width ?? SEQUENCE_DEFAULTS.width, 2 * LANE_INSET + 80);
  const clientX = LANE_INSET;
  const serverX = width - LANE_INSET;
  const layout: Layout = {
    clientX,
    serverX,
    rowHeight,
    maxChars: Math.floor((serverX - clientX - 16) / CHAR_PX),
  };
  const height = HEADER + vm.items.length * rowHeight + 12;
  const rowsGroup = skeleton(svg, doc);
  const firstDraw = rowsGroup.childElementCount === 0;
  select(svg)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .classed('sequence-diagram', true);
  drawLanes(svg, vm, layout, height);

  const rows: Row[] = vm.items.map((item, i) => ({ item, y: HEADER + i * rowHeight }));
  const entered: SVGGElement[] = [];
  const sel: RowSelection = select(rowsGroup)
    .selectChildren<SVGGElement, Row>('g.seq-row')
    .data(rows, (r) => r.item.key)
    .join(
      (enter) =>
        enter.append('g').each(function () {
          entered.push(this);
        }),
      (update) => update,
      (exit) => exit.remove(),
    );
  sel.each(function (r) {
    const sig = signature(r, layout);
    const before = drawn.get(this);
    let parts = before?.parts ?? null;
    if (before?.sig !== sig) {
      if (!parts || this.getAttribute('data-kind') !== r.item.kind) {
        parts?.body.remove();
        parts = buildRow(this, r.item, doc, parts?.title);
      }
      fillRow(this, parts, r.item, layout);
    }
    if (before?.y !== r.y) this.setAttribute('transform', `translate(0,${r.y})`);
    drawn.set(this, { parts, sig, y: r.y });
  });
  sel.order();

  if (firstDraw || opts.duration <= 0 || entered.length === 0) return Promise.resolve();
  // A new command slides in from the client's side, a reply from the server's; bands fade in.
  const waits = entered.slice(-MAX_ANIMATED).map((g) => {
    const item = select<SVGGElement, Row>(g).datum().item;
    const dx = item.kind === 'command' ? -18 : item.kind === 'reply' ? 18 : 0;
    return animateAll(
      [drawn.get(g)?.parts?.body ?? null],
      [
        { opacity: 0, transform: `translate(${dx}px, 0)` },
        { opacity: 1, transform: 'translate(0, 0)' },
      ],
      opts.duration,
    );
  });
  return Promise.all(waits).then(() => undefined);
}
