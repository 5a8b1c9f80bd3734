import { describe, expect, it } from 'vitest';
import { LabSession } from '../../src/ui/lab.svelte';
import { realEngine, pop3Diagram } from '../../src/ui/real-engine';

function lab() {
  return new LabSession(realEngine);
}

const sLines = (l: LabSession) => l.transcript.flatMap((e) => (e.kind === 'S' ? e.lines : []));
const lastReply = (l: LabSession) => sLines(l).at(-1) ?? '';

function login(l: LabSession) {
  l.send('USER alice');
  l.send('PASS wonderland');
}

describe('LabSession (the real engine behind the first screen)', () => {
  it('connects at once: greeting in the transcript, AUTHORIZATION, the whole maildrop on the server', () => {
    const l = lab();
    expect(l.state).toBe('AUTHORIZATION');
    expect(sLines(l)[0]).toMatch(/^\+OK /);
    expect(l.server.cards.length).toBeGreaterThanOrEqual(10);
    expect(l.server.cards.map((c) => c.number)).toEqual(l.server.cards.map((_, i) => i + 1));
    expect(l.user).toBe('alice');
    expect(l.password).toBe('wonderland');
    expect(l.legal.map((c) => c.name)).toContain('USER');
    expect(l.legal.map((c) => c.name)).not.toContain('RETR');
  });

  it('shows each command as C: and the exact reply lines as S:', () => {
    const l = lab();
    login(l);
    l.send('LIST 1');
    const kinds = l.transcript.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'C')).toHaveLength(3);
    expect(l.transcript.filter((e) => e.kind === 'C').map((e) => (e.kind === 'C' ? e.text : ''))).toEqual([
      'USER alice',
      'PASS wonderland',
      'LIST 1',
    ]);
    expect(lastReply(l)).toBe(`+OK 1 ${l.server.cards[0].size}`);
    expect(l.state).toBe('TRANSACTION');
  });

  it('RETR copies to the laptop, DELE marks, RSET unmarks, QUIT removes from the server only', () => {
    const l = lab();
    const total = l.server.cards.length;
    const first = l.server.cards[0];
    login(l);
    l.send('RETR 1');
    expect(l.laptop).toEqual([{ id: first.id, subject: first.subject, from: first.from, size: first.size }]);
    expect(l.server.cards[0].retrieved).toBe(true);
    l.send('DELE 1');
    l.send('DELE 2');
    expect(l.server.cards.filter((c) => c.marked).map((c) => c.number)).toEqual([1, 2]);
    l.send('RSET');
    expect(l.server.cards.some((c) => c.marked)).toBe(false);
    l.send('DELE 1');
    l.send('QUIT');
    expect(l.state).toBeNull();
    expect(l.diagram.current).toBe('closed');
    expect(l.trail.map((t) => t.state)).toEqual(['AUTHORIZATION', 'TRANSACTION', 'UPDATE', 'closed']);
    expect(l.server.cards).toHaveLength(total - 1);
    expect(l.server.cards.find((c) => c.id === first.id)).toBeUndefined();
    expect(l.laptop.map((c) => c.id)).toEqual([first.id]);
  });

  it('a wrong command gets -ERR and changes nothing', () => {
    const l = lab();
    const before = JSON.stringify(l.server);
    l.send('RETR 1');
    expect(lastReply(l)).toMatch(/^-ERR/);
    l.send('<b>hello</b>');
    expect(lastReply(l)).toMatch(/^-ERR/);
    expect(JSON.stringify(l.server)).toBe(before);
    expect(l.state).toBe('AUTHORIZATION');
    expect(l.laptop).toEqual([]);
  });

  it('after QUIT a new command opens a new session first, and says so', () => {
    const l = lab();
    l.send('QUIT');
    expect(l.connected).toBe(false);
    l.send('USER alice');
    expect(l.state).toBe('AUTHORIZATION');
    const notes = l.transcript.filter((e) => e.kind === 'note');
    expect(notes.at(-1)).toMatchObject({ text: expect.stringContaining('new connection') });
    expect(lastReply(l)).toMatch(/^\+OK/);
  });

  it('reconnect() opens a new session only when the last one ended', () => {
    const l = lab();
    const greetings = () => sLines(l).filter((s) => s.startsWith('+OK POP')).length;
    l.reconnect();
    expect(greetings()).toBe(1);
    l.send('QUIT');
    l.reconnect();
    expect(greetings()).toBe(2);
    expect(l.state).toBe('AUTHORIZATION');
  });

  it('reset() brings back the starting mailbox, an empty laptop and a fresh transcript', () => {
    const l = lab();
    const start = JSON.stringify(l.server);
    login(l);
    l.send('RETR 1');
    l.send('DELE 1');
    l.send('QUIT');
    l.reset();
    expect(JSON.stringify(l.server)).toBe(start);
    expect(l.laptop).toEqual([]);
    expect(l.transcript.filter((e) => e.kind !== 'note')).toHaveLength(1);
    expect(l.state).toBe('AUTHORIZATION');
    // The old session's lock is gone: logging in works again.
    login(l);
    expect(l.state).toBe('TRANSACTION');
  });

  it('sends what is typed as UTF-8 octets ending in CRLF', () => {
    const l = lab();
    l.send('USER ålice');
    expect(lastReply(l)).toMatch(/^[+-]/);
    expect(l.transcript.at(-2)).toMatchObject({ kind: 'C', text: 'USER ålice' });
  });
});

describe('pop3Diagram', () => {
  it('comes from the machine: RFC 1939 states in order, the final state last, QUIT into UPDATE', () => {
    const d = pop3Diagram();
    expect(d.states.map((s) => s.id)).toEqual(['AUTHORIZATION', 'TRANSACTION', 'UPDATE', 'closed']);
    expect(d.states.at(-1)?.final).toBe(true);
    expect(d.transitions).toContainEqual(
      expect.objectContaining({ from: 'TRANSACTION', to: 'UPDATE', label: 'QUIT' }),
    );
    expect(d.transitions.every((t) => t.from !== t.to)).toBe(true);
    expect(d.states[1].commands).toContain('RETR');
  });
});
