// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderStateDiagram } from '../../src/viz/state-diagram';
import type { StateDiagramViewModel } from '../../src/viz/types';

const pop3: Omit<StateDiagramViewModel, 'current'> = {
  states: [
    { id: 'AUTHORIZATION', commands: ['USER', 'PASS', 'QUIT'] },
    { id: 'TRANSACTION', commands: ['STAT', 'RETR', 'QUIT'] },
    { id: 'UPDATE', commands: [] },
  ],
  transitions: [
    { from: 'AUTHORIZATION', to: 'TRANSACTION', label: 'PASS' },
    { from: 'AUTHORIZATION', to: 'TRANSACTION', label: 'APOP' },
    { from: 'TRANSACTION', to: 'UPDATE', label: 'QUIT' },
    { from: 'AUTHORIZATION', to: 'UPDATE', label: 'ignored: not drawn twice' },
    { from: 'UPDATE', to: 'closed', label: 'not a drawn state' },
  ],
};

function svg(): SVGSVGElement {
  document.body.innerHTML = '<svg></svg>';
  return document.querySelector('svg')!;
}

describe('renderStateDiagram', () => {
  it('draws every state of the machine in order and highlights the current one', async () => {
    const root = svg();
    await renderStateDiagram(root, { ...pop3, current: 'AUTHORIZATION' });
    const nodes = [...root.querySelectorAll<SVGGElement>('g.state-node')];
    expect(nodes.map((n) => n.dataset.state)).toEqual(['AUTHORIZATION', 'TRANSACTION', 'UPDATE']);
    expect(root.querySelector('.current')!.getAttribute('data-state')).toBe('AUTHORIZATION');
    await renderStateDiagram(root, { ...pop3, current: 'TRANSACTION' });
    expect(root.querySelectorAll('g.state-node')).toHaveLength(3);
    expect(root.querySelector('.current')!.getAttribute('data-state')).toBe('TRANSACTION');
    expect(root.querySelector('.current')!.getAttribute('aria-current')).toBe('step');
  });

  it('labels each transition once, joining the events that cause it', async () => {
    const root = svg();
    await renderStateDiagram(root, { ...pop3, current: null });
    const labels = [...root.querySelectorAll('g.state-edge text')].map((t) => t.textContent);
    expect(labels).toEqual(['PASS / APOP', 'QUIT', 'ignored: not drawn twice']);
    expect(root.querySelector('.current')).toBeNull();
    expect(root.getAttribute('aria-label')).toContain('Current: no connection');
  });
});

describe('renderStateDiagram with sub-states (IMAP)', () => {
  it('draws IDLE inside Selected and lights both while idling', async () => {
    const { imapDiagram } = await import('../../src/ui/world/imap-support');
    const root = svg();
    const d = imapDiagram();
    await renderStateDiagram(root, { ...d, current: 'Selected.IDLE' });
    const top = [...root.querySelectorAll<SVGGElement>('g.state-node')].map((n) => n.dataset.state);
    expect(top).toEqual(['Not Authenticated', 'Authenticated', 'Selected', 'Logout']);
    const inner = [...root.querySelectorAll<SVGGElement>('g.state-child')].map((n) => n.dataset.state);
    expect(inner).toEqual(['Authenticated.IDLE', 'Selected.IDLE']);
    expect(root.querySelector('g.state-child.current')!.getAttribute('data-state')).toBe('Selected.IDLE');
    expect(root.querySelector('g.state-node.current')!.getAttribute('data-state')).toBe('Selected');
    const labels = [...root.querySelectorAll('g.state-edge text')].map((t) => t.textContent);
    expect(labels).toEqual(['LOGIN', 'SELECT', 'CLOSE', 'LOGOUT']);
  });
});
