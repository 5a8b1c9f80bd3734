/**
 * The session state diagram (e.g. POP3's AUTHORIZATION → TRANSACTION → UPDATE,
 * RFC 1939 §3), drawn from the machine definition's own states and transitions.
 * States sit in a row in the order given; a final state is drawn as the usual
 * state-chart bullseye. An edge to the next state is a straight arrow, any other
 * edge an arc (forward above, backward below).
 */
import { select } from 'd3-selection';
import { animateAll } from './motion';
import type { StateDiagramViewModel, RenderOptions } from './types';

const NODE_W = 124;
const FINAL_W = 44;
const NODE_H_PLAIN = 30;
/** Height of a state that holds sub-states (IMAP's Selected with IDLE inside, RFC 2177). */
const PARENT_H = 52;
const CHILD_H = 18;
const GAP = 42;
const TOP = 34;

type StateDatum = StateDiagramViewModel['states'][number] & { x: number; w: number };
type ChildDatum = StateDiagramViewModel['states'][number] & { x: number; w: number; y: number };

interface Edge {
  key: string;
  path: string;
  label: string;
  description: string;
  lx: number;
  ly: number;
}

/** Top-level states in a row, in the order given; a long name widens its box. */
function layoutStates(vm: StateDiagramViewModel): StateDatum[] {
  let x = 0;
  return vm.states
    .filter((s) => !s.parent)
    .map((s) => {
      const w = s.final ? FINAL_W : Math.max(NODE_W, Math.round(s.id.length * 7.6 + 24));
      const d = { ...s, x, w };
      x += w + GAP;
      return d;
    });
}

/** Sub-states as small boxes side by side in the lower half of their parent. */
function layoutChildren(vm: StateDiagramViewModel, states: StateDatum[]): ChildDatum[] {
  const out: ChildDatum[] = [];
  for (const parent of states) {
    const kids = vm.states.filter((s) => s.parent === parent.id);
    const w = Math.min(64, (parent.w - 16) / Math.max(kids.length, 1));
    kids.forEach((k, i) => {
      const x = parent.x + parent.w / 2 - (kids.length * w) / 2 + i * w;
      out.push({ ...k, x, w: w - 6, y: TOP + PARENT_H - CHILD_H - 6 });
    });
  }
  return out;
}

/** The name a sub-state shows: its own last segment ("Selected.IDLE" → "IDLE"). */
const shortName = (id: string) => id.slice(id.lastIndexOf('.') + 1);

function layoutEdges(vm: StateDiagramViewModel, states: StateDatum[], nodeH: number): Edge[] {
  const index = new Map(states.map((s, i) => [s.id, i]));
  const edges: Edge[] = [];
  // Several transitions between the same two states share one arrow with a joined label.
  const grouped = new Map<string, { from: number; to: number; labels: string[]; descriptions: string[] }>();
  for (const t of vm.transitions) {
    const from = index.get(t.from);
    const to = index.get(t.to);
    if (from === undefined || to === undefined || from === to) continue;
    const key = `${t.from}->${t.to}`;
    const g = grouped.get(key) ?? { from, to, labels: [], descriptions: [] };
    if (!g.labels.includes(t.label)) g.labels.push(t.label);
    if (t.description) g.descriptions.push(t.description);
    grouped.set(key, g);
  }
  const NODE_H = nodeH;
  const mid = TOP + NODE_H / 2;
  for (const [key, g] of grouped) {
    const a = states[g.from];
    const b = states[g.to];
    const label = g.labels.join(' / ');
    const description = g.descriptions.join(' ');
    const bLeft = b.final ? b.x + b.w / 2 - 11 : b.x;
    if (g.to === g.from + 1) {
      edges.push({
        key,
        path: `M${a.x + a.w},${mid} L${bLeft - 3},${mid}`,
        label,
        description,
        lx: (a.x + a.w + bLeft) / 2,
        ly: mid - 7,
      });
    } else {
      const forward = g.to > g.from;
      const bend = forward ? -26 : 26;
      const ax = a.x + a.w / 2;
      const bx = b.x + b.w / 2;
      const ay = forward ? TOP : TOP + NODE_H;
      const by = b.final ? mid + (forward ? -11 : 11) : ay;
      edges.push({
        key,
        path: `M${ax},${ay} C${ax},${ay + bend} ${bx},${ay + bend} ${bx},${by + (forward ? -3 : 3)}`,
        label,
        description,
        lx: (ax + bx) / 2,
        // The curve peaks at three quarters of its bend; the label sits just beyond it.
        ly: ay + bend * 0.75 + (forward ? -4 : 12),
      });
    }
  }
  return edges;
}

/** Draws (or updates) the diagram inside `root`, an <svg> element. */
export function renderStateDiagram(
  root: SVGSVGElement,
  vm: StateDiagramViewModel,
  options: RenderOptions = {},
): Promise<void> {
  const duration = options.duration ?? 0;
  const states = layoutStates(vm);
  const children = layoutChildren(vm, states);
  const NODE_H = children.length ? PARENT_H : NODE_H_PLAIN;
  const last = states[states.length - 1];
  const width = last ? last.x + last.w : 1;
  const svg = select(root)
    // Room below for the backward arcs' labels (IMAP's CLOSE) and the final state's name.
    .attr('viewBox', `-2 0 ${width + 4} ${TOP + NODE_H + (children.length ? 40 : 26)}`)
    .attr('role', 'img')
    .attr(
      'aria-label',
      `Session states: ${vm.states.map((s) => s.id).join(', ')}. Current: ${vm.current ?? 'no connection'}.`,
    );

  if (svg.select('defs').empty()) {
    svg
      .append('defs')
      .append('marker')
      .attr('id', 'state-arrow')
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('class', 'state-arrowhead');
  }

  const edge = svg
    .selectAll<SVGGElement, Edge>('g.state-edge')
    .data(layoutEdges(vm, states, NODE_H), (d) => d.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'state-edge');
      g.append('title');
      g.append('path').attr('marker-end', 'url(#state-arrow)');
      g.append('text').attr('text-anchor', 'middle');
      return g;
    });
  edge.select('title').text((d) => d.description || d.label);
  edge.select('path').attr('d', (d) => d.path);
  edge
    .select('text')
    .attr('x', (d) => d.lx)
    .attr('y', (d) => d.ly)
    .text((d) => d.label);

  const node = svg
    .selectAll<SVGGElement, StateDatum>('g.state-node')
    .data(states, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'state-node');
      g.append('title');
      g.append('rect');
      g.append('circle').attr('class', 'state-final-dot');
      g.append('text').attr('text-anchor', 'middle');
      return g;
    })
    .attr('data-state', (d) => d.id)
    .classed('final', (d) => !!d.final)
    .attr('transform', (d) => `translate(${d.x},${TOP})`);
  // A normal state is a rounded box with its name; a final state a ringed dot named below.
  node
    .select('rect')
    .attr('x', (d) => (d.final ? d.w / 2 - 11 : 0))
    .attr('y', (d) => (d.final ? NODE_H / 2 - 11 : 0))
    .attr('width', (d) => (d.final ? 22 : d.w))
    .attr('height', (d) => (d.final ? 22 : NODE_H))
    .attr('rx', (d) => (d.final ? 11 : NODE_H / 2));
  node
    .select('circle')
    .attr('cx', (d) => d.w / 2)
    .attr('cy', NODE_H / 2)
    .attr('r', (d) => (d.final ? 6 : 0));
  const hasKids = (d: StateDatum) => children.some((c) => c.parent === d.id);
  node
    .select('text')
    .attr('x', (d) => d.w / 2)
    // A parent's name sits in its upper part, above its sub-states.
    .attr('y', (d) => (d.final ? NODE_H + 14 : hasKids(d) ? 15 : NODE_H / 2))
    .attr('dy', (d) => (d.final ? 0 : '0.35em'))
    .text((d) => d.id);
  node.select('title').text((d) => d.description || d.id);

  const child = svg
    .selectAll<SVGGElement, ChildDatum>('g.state-child')
    .data(children, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'state-child');
      g.append('title');
      g.append('rect');
      g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
      return g;
    })
    .attr('data-state', (d) => d.id)
    .attr('transform', (d) => `translate(${d.x},${d.y})`)
    .classed('current', (d) => d.id === vm.current)
    .attr('aria-current', (d) => (d.id === vm.current ? 'step' : null));
  child.select('title').text((d) => d.description || d.id);
  child
    .select('rect')
    .attr('width', (d) => d.w)
    .attr('height', CHILD_H)
    .attr('rx', CHILD_H / 2);
  child
    .select('text')
    .attr('x', (d) => d.w / 2)
    .attr('y', CHILD_H / 2)
    .text((d) => shortName(d.id));

  const wasCurrent = node.filter('.current').data()[0]?.id;
  // Inside a sub-state (Selected.IDLE) the parent stays highlighted too: the session is still Selected.
  const isCurrent = (d: StateDatum) => d.id === vm.current || (vm.current ?? '').startsWith(`${d.id}.`);
  node.classed('current', isCurrent).attr('aria-current', (d) => (d.id === vm.current ? 'step' : null));
  if (wasCurrent !== vm.current && duration > 0) {
    // A short pulse on the state just entered.
    return animateAll(
      node.filter(isCurrent).select('rect').nodes(),
      [{ strokeWidth: '6px' }, { strokeWidth: '2px' }],
      duration,
    );
  }
  return Promise.resolve();
}
