import { describe, expect, it } from 'vitest';
import type { StoreEvent } from '../../src/mail/types';
import { createMailServer, type ServerEvent } from '../../src/server';
import type { SessionFactory } from '../../src/server/types';
import { connect, login, makeLab } from './helpers';

const inboxUids = (lab: ReturnType<typeof makeLab>) =>
  lab.store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid);

describe('the maildrop lock (RFC 1939 §8)', () => {
  it('refuses a second session with [IN-USE]; it stays in AUTHORIZATION and gets in once the first quits', () => {
    const lab = makeLab();
    const a = login(lab.server);
    expect(lab.server.locks.holder('alice')).toBe(a.conn.id);
    const b = connect(lab.server);
    b.cmd('USER alice');
    expect(b.cmd('PASS wonderland')).toBe('-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n');
    expect(b.conn.state).toBe('AUTHORIZATION');
    expect(b.conn.closed).toBe(false);
    // The refusal checked the password first: a wrong one is still [AUTH].
    b.cmd('USER alice');
    expect(b.cmd('PASS wrong')).toBe('-ERR [AUTH] Authentication failed.\r\n');
    a.cmd('QUIT');
    expect(lab.server.locks.holder('alice')).toBeUndefined();
    b.cmd('USER alice');
    expect(b.cmd('PASS wonderland')).toBe('+OK Logged in.\r\n');
    expect(
      lab.events.filter((e) => e.type.startsWith('lock.')).map((e) => `${e.type} ${e.connection}`),
    ).toEqual(['lock.taken pop3-1', 'lock.refused pop3-2', 'lock.released pop3-1', 'lock.taken pop3-2']);
  });

  it('locks per user: bob can log in while alice is in', () => {
    const lab = makeLab();
    login(lab.server);
    expect(login(lab.server, 'bob', 'builder').conn.state).toBe('TRANSACTION');
  });

  it('a dropped connection releases the lock and removes nothing', () => {
    const lab = makeLab();
    const a = login(lab.server);
    a.cmd('DELE 1');
    a.cmd('RETR 2');
    a.conn.close();
    expect(a.conn.closed).toBe(true);
    expect(lab.server.locks.held()).toEqual([]);
    expect(inboxUids(lab)).toEqual([1, 2, 3, 4, 5]);
    // Dovecot commits RETR's \Seen only at QUIT: a dropped session leaves the message unseen.
    expect(lab.store.getMessage('alice', 'INBOX', 2)!.flags).toEqual([]);
    expect(lab.events.at(-1)).toEqual({
      type: 'connection.closed',
      connection: 'pop3-1',
      protocol: 'pop3',
      reason: 'dropped',
    });
    expect(login(lab.server).cmd('STAT')).toBe('+OK 5 640\r\n');
  });
});

describe('the session view', () => {
  it('numbers are fixed at login: mail delivered during the session shows only in the next one', () => {
    const lab = makeLab();
    const a = login(lab.server);
    lab.store.deliver('alice', 'INBOX', 'Subject: late\r\n\r\nhi\r\n');
    expect(a.cmd('STAT')).toBe('+OK 5 640\r\n');
    expect(a.cmd('LIST 6')).toBe("-ERR There's no message 6.\r\n");
    a.cmd('QUIT');
    expect(login(lab.server).cmd('STAT')).toBe('+OK 6 661\r\n');
  });

  it('RETR still answers if another session expunged the message meanwhile', () => {
    const lab = makeLab();
    const a = login(lab.server);
    lab.store.expunge('alice', 'INBOX', [1], 'imap-9');
    expect(a.cmd('RETR 1')).toMatch(/^\+OK 162 octets\r\n/);
    a.cmd('DELE 1');
    expect(a.cmd('QUIT')).toBe('+OK Logging out, messages deleted.\r\n');
    expect(inboxUids(lab)).toEqual([2, 3, 4, 5]);
  });

  it('QUIT sets \\Seen on retrieved messages (not on TOP) and expunges marked ones, with the session as origin', () => {
    const lab = makeLab();
    const storeEvents: StoreEvent[] = [];
    lab.store.subscribe((e) => storeEvents.push(e));
    const a = login(lab.server);
    a.cmd('RETR 2');
    a.cmd('TOP 3 1');
    a.cmd('RETR 4');
    a.cmd('DELE 4');
    a.cmd('RSET'); // Dovecot: RSET forgets RETR's \Seen too (measured on 2.3.19)
    a.cmd('RETR 4');
    a.cmd('DELE 1');
    expect(storeEvents).toEqual([]);
    a.cmd('QUIT');
    expect(
      storeEvents.map((e) => [e.type, 'uid' in e ? e.uid : 'uids' in e ? e.uids : null, e.origin]),
    ).toEqual([
      ['flags.changed', 4, 'pop3-1'],
      ['message.expunged', [1], 'pop3-1'],
    ]);
    expect(lab.store.getMessage('alice', 'INBOX', 2)!.flags).toEqual([]);
    expect(lab.store.getMessage('alice', 'INBOX', 3)!.flags).toEqual([]);
  });

  it('announces state changes, commands, replies, marks and retrievals', () => {
    const lab = makeLab();
    const a = login(lab.server);
    a.cmd('RETR 1');
    a.cmd('DELE 1');
    a.cmd('RSET');
    a.cmd('QUIT');
    const pick = (e: ServerEvent) =>
      e.type === 'session.state'
        ? `${e.from}->${e.to}`
        : e.type === 'pop3.marked'
          ? `marked ${e.uid} ${e.deleted}`
          : e.type === 'pop3.retrieved'
            ? `retrieved ${e.uid}`
            : e.type === 'command'
              ? `C: ${e.line}`
              : e.type;
    expect(lab.events.filter((e) => e.type !== 'reply').map(pick)).toEqual([
      'connection.opened',
      'C: USER alice',
      'C: PASS wonderland',
      'lock.taken',
      'AUTHORIZATION->TRANSACTION',
      'C: RETR 1',
      'retrieved 1',
      'C: DELE 1',
      'marked 1 true',
      'C: RSET',
      'marked 1 false',
      'C: QUIT',
      'TRANSACTION->UPDATE',
      'UPDATE->closed',
      'lock.released',
      'connection.closed',
    ]);
    const replies = lab.events.filter((e) => e.type === 'reply');
    expect(replies).toHaveLength(7); // greeting + 6 commands
  });
});

describe('the server', () => {
  it('holds output written before anyone listens (the greeting) for the first listener', () => {
    const lab = makeLab();
    const conn = lab.server.connect('pop3');
    const got: string[] = [];
    conn.onOutput((b) => got.push(b));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^\+OK /);
    conn.send('NOOP\r\n');
    expect(got[1]).toMatch(/^-ERR /);
  });

  it('lists open connections with client, state and user; closed ones disappear', () => {
    const lab = makeLab();
    const a = lab.server.connect('pop3', { client: 'laptop' });
    const b = login(lab.server);
    expect(lab.server.connections()).toEqual([
      { id: 'pop3-1', protocol: 'pop3', state: 'AUTHORIZATION', client: 'laptop' },
      { id: 'pop3-2', protocol: 'pop3', state: 'TRANSACTION', user: 'alice' },
    ]);
    expect(lab.server.actor.getSnapshot().context.connections).toEqual(['pop3-1', 'pop3-2']);
    a.close();
    b.cmd('QUIT');
    expect(lab.server.connections()).toEqual([]);
    expect(lab.server.actor.getSnapshot().context).toEqual({ locks: {}, connections: [] });
    expect(lab.server.connection('pop3-2')).toBeUndefined();
  });

  it('ignores input after close and calls onClose once (or at once when already closed)', () => {
    const lab = makeLab();
    const a = connect(lab.server);
    let closes = 0;
    a.conn.onClose(() => closes++);
    a.cmd('QUIT');
    a.conn.close();
    expect(a.raw('STAT\r\n')).toBe('');
    a.conn.onClose(() => closes++);
    expect(closes).toBe(2);
  });

  it('connects IMAP through the IMAP session factory', () => {
    const lab = makeLab();
    const seen: string[] = [];
    const fake: SessionFactory = (host) => ({
      state: 'Not Authenticated',
      start: () => host.write('* OK fake\r\n'),
      receive: (b) => seen.push(b),
      dropped: () => seen.push('dropped'),
    });
    const server = createMailServer({ store: lab.store, sessionFactories: { imap: fake } });
    const c = server.connect('imap');
    let out = '';
    c.onOutput((b) => (out += b));
    c.send('a NOOP\r\n');
    c.close();
    expect([c.id, out, seen]).toEqual(['imap-1', '* OK fake\r\n', ['a NOOP\r\n', 'dropped']]);
  });

  it('releases a lock left behind by a session that ends without releasing it', () => {
    const lab = makeLab();
    const sloppy: SessionFactory = (host) => ({
      state: 'x',
      start: () => void host.locks.acquire('alice', host.id),
      receive: () => host.end('quit'),
      dropped: () => {},
    });
    const server = createMailServer({ store: lab.store, sessionFactories: { pop3: sloppy } });
    const c = server.connect('pop3');
    expect(server.locks.holder('alice')).toBe(c.id);
    c.send('x');
    expect(server.locks.held()).toEqual([]);
  });
});
