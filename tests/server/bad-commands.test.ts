import { describe, expect, it } from 'vitest';
import { DOVECOT_BAD_COMMAND_LIMITS } from '../../src/protocol/pop3/types';
import { connect, login, makeLab } from './helpers';

describe('POP3 hangs up on too many bad commands (Dovecot 2.3.19, measured)', () => {
  it('defaults to Dovecot: 3 in a row before login, 21 after', () => {
    expect(DOVECOT_BAD_COMMAND_LIMITS).toEqual({ authorization: 3, transaction: 21 });
  });

  it('before login: the 3rd unknown command gets one more line, then the connection closes', () => {
    const { server, events } = makeLab();
    const c = connect(server);
    expect(c.cmd('FOO')).toMatch(/^-ERR /);
    expect(c.cmd('STAT')).toMatch(/^-ERR /);
    expect(c.conn.closed).toBe(false);
    expect(c.cmd('')).toMatch(/^-ERR [^\r]*\r\n-ERR Too many invalid bad commands\.\r\n$/);
    expect(c.conn.closed).toBe(true);
    expect(events.filter((e) => e.type === 'connection.closed')).toEqual([
      { type: 'connection.closed', connection: c.conn.id, protocol: 'pop3', reason: 'bad-input' },
    ]);
  });

  it('before login: USER, PASS, APOP, CAPA start the count again, AUTH leaves it alone', () => {
    const { server } = makeLab();
    const reset = connect(server);
    for (const good of ['USER x', 'PASS y', 'APOP a b', 'CAPA', 'USER alice']) {
      reset.cmd('FOO');
      reset.cmd('BAR');
      reset.cmd(good);
    }
    expect(reset.conn.closed).toBe(false);
    const neutral = connect(server);
    neutral.cmd('FOO');
    neutral.cmd('AUTH');
    neutral.cmd('AUTH PLAIN');
    neutral.cmd('*');
    neutral.cmd('BAR');
    expect(neutral.conn.closed).toBe(false);
    expect(neutral.cmd('BAZ')).toMatch(/Too many invalid bad commands/);
    expect(neutral.conn.closed).toBe(true);
  });

  it('after login: 21 -ERR in a row close the session like a drop: nothing expunged, lock released', () => {
    const { server, store } = makeLab();
    const c = login(server);
    c.cmd('DELE 1');
    c.cmd('RETR 2');
    for (let i = 0; i < 19; i++) c.cmd(i % 2 ? 'LIST 99' : 'XYZ');
    expect(c.cmd('NOOP')).toBe('+OK\r\n');
    for (let i = 0; i < 20; i++) c.cmd('DELE 1');
    expect(c.conn.closed).toBe(false);
    expect(c.cmd('DELE 1')).toBe('-ERR Message is deleted.\r\n-ERR Too many bad commands.\r\n');
    expect(c.conn.closed).toBe(true);
    expect(server.locks.held()).toEqual([]);
    const inbox = store.getMailbox('alice', 'INBOX')!.messages;
    expect(inbox.map((m) => m.uid)).toEqual([1, 2, 3, 4, 5]);
    expect(inbox[1].flags).not.toContain('\\Seen');
    expect(login(server).cmd('STAT')).toBe('+OK 5 640\r\n');
  });

  it('limits are a server option; 0 never hangs up', () => {
    const five = makeLab(undefined, { badCommandLimits: { authorization: 5 } });
    const c = connect(five.server);
    for (let i = 0; i < 4; i++) c.cmd('FOO');
    expect(c.conn.closed).toBe(false);
    expect(c.cmd('FOO')).toMatch(/Too many invalid bad commands/);
    const never = makeLab(undefined, { badCommandLimits: { authorization: 0, transaction: 0 } });
    const d = login(never.server);
    for (let i = 0; i < 100; i++) d.cmd('FOO');
    expect(d.conn.closed).toBe(false);
    expect(d.cmd('STAT')).toBe('+OK 5 640\r\n');
  });
});
