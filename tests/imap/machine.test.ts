import { getSimplePaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import {
  describeImapMachine,
  imapSessionMachine,
  type ImapMachineEvent,
} from '../../src/server/imap/machine';
import type { ImapSession } from '../../src/server/imap/session';
import { setup, type Client } from './harness';

const EVENTS: ImapMachineEvent[] = [
  { type: 'auth.ok' },
  { type: 'mailbox.select' },
  { type: 'mailbox.deselect' },
  { type: 'idle.start' },
  { type: 'idle.done' },
  { type: 'session.end' },
];

/** Drives the real session so that it takes the machine event (how a client causes each one). */
function drive(c: Client, event: ImapMachineEvent, idling: boolean): void {
  switch (event.type) {
    case 'auth.ok':
      c.cmd('m LOGIN alice wonderland');
      return;
    case 'mailbox.select':
      c.cmd('m SELECT INBOX');
      return;
    case 'mailbox.deselect':
      c.cmd('m CLOSE');
      return;
    case 'idle.start':
      c.cmd('m IDLE');
      return;
    case 'idle.done':
      c.cmd('DONE');
      return;
    case 'session.end':
      // From IDLE the only way out is the connection going away; otherwise LOGOUT.
      if (idling) c.conn.close();
      else c.cmd('m LOGOUT');
      return;
  }
}

function expected(value: unknown): { top: string; idle: boolean } {
  if (typeof value === 'string') return { top: value, idle: false };
  const [top, sub] = Object.entries(value as Record<string, string>)[0];
  return { top, idle: sub === 'IDLE' };
}

describe('IMAP session machine, model-based (@xstate/graph)', () => {
  const paths = getSimplePaths(imapSessionMachine, { events: EVENTS });

  it('reaches every state of the machine', () => {
    const seen = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    for (const v of [
      '"Not Authenticated"',
      '{"Authenticated":"Ready"}',
      '{"Authenticated":"IDLE"}',
      '{"Selected":"Ready"}',
      '{"Selected":"IDLE"}',
      '"Logout"',
    ])
      expect(seen).toContain(v);
  });

  for (const path of paths) {
    const name = path.steps.map((s) => s.event.type).join(' → ') || '(start)';
    it(`follows ${name}`, () => {
      const { open } = setup();
      const c = open();
      c.take();
      const session = (c.conn as unknown as { session: ImapSession }).session;
      for (const step of path.steps) {
        drive(c, step.event, session.idling);
        const want = expected(step.state.value);
        expect(c.conn.state).toBe(want.top);
        expect(session.idling).toBe(want.idle);
      }
    });
  }

  it('describes states, transitions and the legal commands for the diagram', () => {
    const d = describeImapMachine();
    expect(d.initial).toBe('Not Authenticated');
    const byId = new Map(d.states.map((s) => [s.id, s]));
    expect(byId.get('Not Authenticated')!.commands).toEqual(
      expect.arrayContaining(['LOGIN', 'AUTHENTICATE', 'CAPABILITY']),
    );
    expect(byId.get('Not Authenticated')!.commands).not.toContain('SELECT');
    expect(byId.get('Selected')!.commands).toEqual(
      expect.arrayContaining(['FETCH', 'UID FETCH', 'STORE', 'EXPUNGE', 'IDLE']),
    );
    expect(byId.get('Authenticated')!.commands).not.toContain('FETCH');
    expect(byId.get('Selected.IDLE')!.commands).toEqual(['DONE']);
    expect(byId.get('Logout')!.final).toBe(true);
    expect(d.transitions).toContainEqual(
      expect.objectContaining({ from: 'Selected.Ready', to: 'Authenticated', event: 'mailbox.deselect' }),
    );
    expect(d.transitions).toContainEqual(
      expect.objectContaining({ from: 'Selected.IDLE', to: 'Selected.Ready', event: 'idle.done' }),
    );
  });
});
