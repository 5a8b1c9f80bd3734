/**
 * Too many bad commands: the server hangs up, counting exactly what Dovecot 2.3 counts
 * (measured against dovecot-imapd on loopback; see ImapBadCommandLimits).
 */
import { describe, expect, it } from 'vitest';
import { MailStore } from '../../src/mail/store';
import { createMailServer } from '../../src/server/server';
import type { ServerEvent } from '../../src/server/types';
import {
  createImapSessionFactory,
  DOVECOT_IMAP_BAD_COMMAND_LIMITS,
  TOO_MANY_BAD_COMMANDS_BYE,
} from '../../src/server/imap/session';
import { Client, fixtureMessages, loggedIn, setup } from './harness';

const BYE = TOO_MANY_BAD_COMMANDS_BYE;

function fresh() {
  const { open, server } = setup();
  const events: ServerEvent[] = [];
  server.subscribe((e) => events.push(e));
  const c = open();
  c.take();
  return { c, open, events };
}

describe('bad commands before login (Dovecot imap-login: 3)', () => {
  it('defaults to Dovecot values', () => {
    expect(DOVECOT_IMAP_BAD_COMMAND_LIMITS).toEqual({ notAuthenticated: 3, authenticated: 20 });
  });

  it('the third bad command gets only the BYE, and the connection closes with reason bad-input', () => {
    const { c, events } = fresh();
    expect(c.cmd('a1 FOO')).toMatch(/^a1 BAD /);
    expect(c.cmd('a2 FETCH 1 FLAGS')).toMatch(/^a2 BAD /);
    expect(c.cmd('a3 BAR')).toBe(BYE);
    expect(c.conn.closed).toBe(true);
    expect(c.cmd('a4 NOOP')).toBe('');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'connection.closed', reason: 'bad-input' }),
    );
  });

  it('a good command between them does not reset the count', () => {
    const { c } = fresh();
    c.cmd('a1 FOO');
    expect(c.cmd('a2 NOOP')).toMatch(/^a2 OK /);
    c.cmd('a3 FOO');
    expect(c.cmd('a4 FOO')).toBe(BYE);
  });

  it('counts wrong arguments, invalid tags and empty lines', () => {
    const { c } = fresh();
    expect(c.cmd('a1 LOGIN alice')).toMatch(/^a1 BAD /);
    expect(c.cmd('* NOOP')).toMatch(/^\* BAD /);
    expect(c.cmd('')).toBe(BYE);
  });

  it('does not count tokenizer errors, failed logins or cancelled and failed AUTHENTICATE', () => {
    const { c } = fresh();
    c.cmd('a0 FOO');
    for (let i = 0; i < 4; i++) expect(c.cmd(`b${i} LOGIN "alice`)).toMatch(/^b\d BAD /);
    expect(c.cmd('c1 LOGIN alice wrong')).toMatch(/^c1 NO \[AUTHENTICATIONFAILED\]/);
    c.cmd('c2 AUTHENTICATE PLAIN');
    expect(c.cmd('*')).toMatch(/^c2 BAD /);
    expect(c.cmd('c3 AUTHENTICATE PLAIN !!!')).toMatch(/^c3 BAD /);
    expect(c.cmd('c4 AUTHENTICATE CRAM-MD5')).toMatch(/^c4 NO /);
    expect(c.cmd('c5 LOGIN alice wonderland x)')).toMatch(/^c5 BAD /);
    expect(c.conn.closed).toBe(false);
    expect(c.cmd('d1 FOO')).toMatch(/^d1 BAD /);
    expect(c.cmd('d2 FOO')).toBe(BYE);
  });

  it('logging in starts a new count under the post-login limit', () => {
    const { c } = fresh();
    c.cmd('a1 FOO');
    c.cmd('a2 FOO');
    expect(c.cmd('a3 LOGIN alice wonderland')).toMatch(/^a3 OK /);
    for (let i = 1; i <= 19; i++) expect(c.cmd(`b${i} FOO`)).toMatch(/^b\d+ BAD /);
    expect(c.conn.closed).toBe(false);
  });
});

describe('bad commands after login (Dovecot imap: 20 in a row)', () => {
  it('the 20th BAD is sent, then the BYE, and the connection closes', () => {
    const { open } = setup();
    const c = loggedIn(open);
    for (let i = 1; i <= 19; i++) expect(c.cmd(`f${i} FOO`)).toMatch(new RegExp(`^f${i} BAD `));
    const last = c.cmd('f20 FOO');
    expect(last).toMatch(/^f20 BAD [^\r\n]*\r\n/);
    expect(last.endsWith(BYE)).toBe(true);
    expect(c.conn.closed).toBe(true);
  });

  it('counts syntax errors, bad arguments, LOGIN again, invalid tags and a wrong IDLE end', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    const bads = [
      'a FETCH 1 (FLAGS',
      'a FETCH 99 FLAGS',
      'a SEARCH FOO',
      'a LOGIN x y',
      '* NOOP',
      '',
      'a FOO',
    ];
    let n = 0;
    while (n < 18) c.cmd(bads[n++ % bads.length]);
    c.cmd('i IDLE');
    expect(c.cmd('NOTDONE')).toMatch(/^i BAD /);
    expect(c.conn.closed).toBe(false);
    expect(c.cmd('z STORE 1 +FLAGS (\\Recent)').endsWith(BYE)).toBe(true);
  });

  it('OK, NO and "No mailbox selected" start the count again', () => {
    const { open } = setup();
    const c = loggedIn(open);
    const burst = (p: string) => {
      for (let i = 0; i < 15; i++) c.cmd(`${p}${i} FOO`);
    };
    burst('a');
    expect(c.cmd('n1 SELECT nosuch')).toMatch(/^n1 NO /);
    burst('b');
    expect(c.cmd('n2 FETCH 1 FLAGS')).toBe('n2 BAD No mailbox selected\r\n');
    burst('c');
    expect(c.cmd('n3 NOOP')).toMatch(/^n3 OK /);
    burst('d');
    expect(c.conn.closed).toBe(false);
  });

  it('"No mailbox selected" does not count, however often', () => {
    const { open } = setup();
    const c = loggedIn(open);
    for (let i = 0; i < 30; i++) c.cmd(`f${i} FETCH 1 FLAGS`);
    expect(c.conn.closed).toBe(false);
  });
});

describe('limits are session options', () => {
  function serverWith(limits: { notAuthenticated?: number; authenticated?: number }) {
    const store = new MailStore();
    store.addAccount('alice', 'wonderland');
    for (const raw of fixtureMessages()) store.deliver('alice', 'INBOX', raw);
    const server = createMailServer({
      store,
      hostname: 'lab.example',
      sessionFactories: { imap: createImapSessionFactory({ badCommandLimits: limits }) },
    });
    const c = new Client(server.connect('imap'));
    c.take();
    return c;
  }

  it('0 turns a limit off', () => {
    const c = serverWith({ notAuthenticated: 0 });
    for (let i = 0; i < 10; i++) expect(c.cmd(`a${i} FOO`)).toMatch(/BAD/);
    expect(c.conn.closed).toBe(false);
  });

  it('a custom post-login limit', () => {
    const c = serverWith({ authenticated: 2 });
    c.cmd('l LOGIN alice wonderland');
    c.cmd('a1 FOO');
    expect(c.cmd('a2 FOO').endsWith(BYE)).toBe(true);
  });
});

describe('imap-login\'s input buffer before login (measured: 1025 octets after "tag command ")', () => {
  const bye = '* BYE Input buffer full, aborting (command line too long before login)\r\n';
  function send(bytes: string) {
    const { open } = setup();
    const c = open();
    c.take();
    return { out: c.raw(bytes + '\r\nb NOOP\r\n'), c };
  }

  it('hangs up on a longer argument run, tag or literal', () => {
    expect(send('a NOOP ' + 'x'.repeat(1026)).out).toBe(bye);
    expect(send('x'.repeat(1100)).out).toBe(bye);
    expect(send('a LOGIN alice {2000+}\r\n' + 'x'.repeat(2000)).out).toBe(bye);
    const { c } = send('a NOOP ' + 'x'.repeat(70000));
    expect(c.conn.closed).toBe(true);
  });

  it('accepts up to the limit, and lifts it after login', () => {
    expect(send('a NOOP ' + 'x'.repeat(1025)).out).toBe('a OK NOOP completed.\r\nb OK NOOP completed.\r\n');
    expect(send('a LOGIN alice {1000+}\r\n' + 'x'.repeat(1000)).out).toMatch(
      /^a NO \[AUTHENTICATIONFAILED\]/,
    );
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.cmd('a NOOP ' + 'x'.repeat(5000))).toBe('a OK NOOP completed.\r\n');
  });
});

describe('commands without arguments ignore extra ones, as Dovecot does', () => {
  it('CAPABILITY, NOOP, CHECK, EXPUNGE, NAMESPACE, UNSELECT, CLOSE, IDLE, LOGOUT', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd('a0 CAPABILITY x')).toMatch(/a0 OK /);
    c.cmd('a1 LOGIN alice wonderland');
    c.cmd('a2 SELECT INBOX');
    for (const cmd of ['CHECK', 'EXPUNGE', 'NAMESPACE', 'NOOP', 'UNSELECT'])
      expect(c.cmd(`t ${cmd} x y`)).toMatch(/(^|\n)t OK /);
    c.cmd('a3 SELECT INBOX');
    expect(c.cmd('t CLOSE x')).toMatch(/^t OK /);
    expect(c.cmd('i IDLE x')).toBe('+ idling\r\n');
    expect(c.cmd('DONE')).toMatch(/^i OK /);
    expect(c.cmd('z LOGOUT x')).toMatch(/^\* BYE [^\r]*\r\nz OK /);
  });
});
