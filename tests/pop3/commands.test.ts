import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/protocol/base64';
import { md5Hex } from '../../src/protocol/md5';
import {
  findPop3Command,
  formatPop3Reply,
  pop3Commands,
  pop3CommandsLegalIn,
  POP3_MAX_LINE_LENGTH,
} from '../../src/protocol/pop3';
import { connect, login, makeLab, PATIENT, SAMPLE_MESSAGES } from '../server/helpers';

// Replies marked "Dovecot" were measured against Dovecot 2.3.19 on loopback with the same
// messages (tests/server/helpers.ts SAMPLE_MESSAGES).

describe('command registry', () => {
  it('documents every RFC 1939/2449/5034 command once, with states, syntax, RFC and examples', () => {
    expect(pop3Commands.map((c) => c.name)).toEqual([
      'USER',
      'PASS',
      'APOP',
      'AUTH',
      'CAPA',
      'STAT',
      'LIST',
      'RETR',
      'DELE',
      'NOOP',
      'RSET',
      'QUIT',
      'TOP',
      'UIDL',
    ]);
    for (const c of pop3Commands) {
      expect(c.syntax.startsWith(c.name)).toBe(true);
      expect(c.summary.length).toBeGreaterThan(40);
      expect(c.rfc).toMatch(/^RFC \d+/);
      expect(c.examples.length).toBeGreaterThan(0);
      for (const e of c.examples) expect(findPop3Command(e.split(' ')[0])).toBe(c);
    }
  });

  it('finds commands case-insensitively, but only by ASCII names', () => {
    expect(findPop3Command('retr')?.name).toBe('RETR');
    expect(findPop3Command('ReTr')?.name).toBe('RETR');
    expect(findPop3Command('RETRX')).toBeUndefined();
    expect(findPop3Command('ſTAT')).toBeUndefined();
  });

  it('lists the commands legal in each state', () => {
    expect(pop3CommandsLegalIn('AUTHORIZATION').map((c) => c.name)).toEqual([
      'USER',
      'PASS',
      'APOP',
      'AUTH',
      'CAPA',
      'QUIT',
    ]);
    expect(pop3CommandsLegalIn('TRANSACTION').map((c) => c.name)).toEqual([
      'CAPA',
      'STAT',
      'LIST',
      'RETR',
      'DELE',
      'NOOP',
      'RSET',
      'QUIT',
      'TOP',
      'UIDL',
    ]);
    expect(pop3CommandsLegalIn('UPDATE')).toEqual([]);
  });
});

describe('formatter', () => {
  it('writes status, response code and text', () => {
    expect(formatPop3Reply({ ok: true, text: '' })).toBe('+OK\r\n');
    expect(formatPop3Reply({ ok: false, code: 'IN-USE', text: 'locked' })).toBe('-ERR [IN-USE] locked\r\n');
  });
  it('dot-stuffs multi-line bodies and ends them with a lone dot', () => {
    expect(formatPop3Reply({ ok: true, text: '', lines: ['.a', 'b'] })).toBe('+OK\r\n..a\r\nb\r\n.\r\n');
    expect(formatPop3Reply({ ok: true, text: '', lines: [] })).toBe('+OK\r\n.\r\n');
    expect(formatPop3Reply({ ok: true, text: 'x', body: '.a\r\nb\r\n.\r\n' })).toBe(
      '+OK x\r\n..a\r\nb\r\n..\r\n.\r\n',
    );
    expect(formatPop3Reply({ ok: true, text: '', body: 'no crlf' })).toBe('+OK\r\nno crlf\r\n.\r\n');
    expect(formatPop3Reply({ ok: true, text: '', body: 'bare\n.lf\r\n' })).toBe('+OK\r\nbare\n..lf\r\n.\r\n');
  });
});

describe('greeting and AUTHORIZATION', () => {
  it('greets with +OK and an APOP timestamp <n.clock@host>', () => {
    const { server } = makeLab();
    expect(connect(server).greeting).toMatch(/^\+OK .* <\d+\.1700000000@lab\.example>\r\n$/);
  });

  it("CAPA lists Dovecot's capabilities (USER and SASL only before login) plus EXPIRE, LOGIN-DELAY, IMPLEMENTATION", () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('CAPA')).toBe(
      '+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\nSASL PLAIN LOGIN\r\n' +
        'EXPIRE NEVER\r\nLOGIN-DELAY 0\r\nIMPLEMENTATION POP-vs-IMAP-Lab\r\n.\r\n',
    );
    c.cmd('USER alice');
    c.cmd('PASS wonderland');
    expect(c.cmd('capa')).toBe(
      '+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n' +
        'EXPIRE NEVER\r\nLOGIN-DELAY 0\r\nIMPLEMENTATION POP-vs-IMAP-Lab\r\n.\r\n',
    );
  });

  it('USER then PASS logs in (Dovecot: "+OK", "+OK Logged in.")', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('USER alice')).toBe('+OK\r\n');
    expect(c.cmd('PASS wonderland')).toBe('+OK Logged in.\r\n');
    expect(c.conn.state).toBe('TRANSACTION');
  });

  it('PASS without USER, wrong password, unknown user: -ERR, still AUTHORIZATION', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('PASS wonderland')).toBe('-ERR No username given.\r\n');
    c.cmd('USER alice');
    expect(c.cmd('PASS nope')).toBe('-ERR [AUTH] Authentication failed.\r\n');
    // A failed PASS forgets the USER (Dovecot).
    expect(c.cmd('PASS wonderland')).toBe('-ERR No username given.\r\n');
    c.cmd('USER mallory');
    expect(c.cmd('PASS wonderland')).toBe('-ERR [AUTH] Authentication failed.\r\n');
    expect(c.conn.state).toBe('AUTHORIZATION');
  });

  it('takes the whole rest of the line as user name and password, like Dovecot', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('USER')).toBe('+OK\r\n');
    expect(c.cmd('PASS wonderland')).toMatch(/^-ERR \[AUTH\]/);
    c.cmd('USER alice');
    expect(c.cmd('PASS  wonderland')).toMatch(/^-ERR \[AUTH\]/);
    c.cmd('USER alice');
    expect(c.cmd('PASS wonderland ')).toMatch(/^-ERR \[AUTH\]/);
    c.cmd('user alice');
    expect(c.cmd('pass wonderland')).toBe('+OK Logged in.\r\n');
  });

  it('APOP accepts MD5(banner + password) in either case and refuses anything else', () => {
    const { server } = makeLab();
    const c = connect(server);
    const banner = /<[^>]+>/.exec(c.greeting)![0];
    expect(c.cmd('APOP alice')).toBe('-ERR Invalid parameters.\r\n');
    expect(c.cmd('APOP a b c')).toBe('-ERR Invalid parameters.\r\n');
    expect(c.cmd('APOP alice 0123456789abcdef0123456789abcdef')).toBe(
      '-ERR [AUTH] Authentication failed.\r\n',
    );
    expect(c.cmd(`APOP mallory ${md5Hex(banner + 'wonderland')}`)).toBe(
      '-ERR [AUTH] Authentication failed.\r\n',
    );
    expect(c.cmd(`APOP alice ${md5Hex(banner + 'wonderland').toUpperCase()}`)).toBe('+OK Logged in.\r\n');
    expect(c.conn.state).toBe('TRANSACTION');
  });

  it('gives every connection its own APOP timestamp', () => {
    const { server } = makeLab();
    expect(connect(server).greeting).not.toBe(connect(server).greeting);
  });

  it('AUTH alone lists the mechanisms; unknown mechanisms are refused with [AUTH]', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('AUTH')).toBe('+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n');
    expect(c.cmd('AUTH CRAM-MD5 abc')).toBe('-ERR [AUTH] Unsupported authentication mechanism.\r\n');
  });

  it('AUTH LOGIN: the user name, then the password, each after its base64 prompt', () => {
    const { server } = makeLab();
    const c = connect(server);
    // "Username:" and "Password:" in base64, as Dovecot prompts.
    expect(c.cmd('AUTH LOGIN')).toBe('+ VXNlcm5hbWU6\r\n');
    expect(c.cmd('not base64!')).toBe('-ERR [AUTH] Invalid base64 in response\r\n');
    expect(c.cmd('auth login ' + encodeBase64('alice'))).toBe('+ UGFzc3dvcmQ6\r\n');
    // The password line is not a command: "STAT" here is read as the base64 password, not run.
    expect(c.cmd('STAT')).toBe('-ERR [AUTH] Authentication failed.\r\n');
    expect(c.cmd('AUTH LOGIN ' + encodeBase64('alice') + ' extra')).toBe(
      '-ERR [AUTH] Invalid base64 data in initial response\r\n',
    );
    expect(c.cmd('AUTH LOGIN')).toBe('+ VXNlcm5hbWU6\r\n');
    expect(c.cmd(encodeBase64('alice'))).toBe('+ UGFzc3dvcmQ6\r\n');
    expect(c.cmd(encodeBase64('wonderland'))).toBe('+OK Logged in.\r\n');
    expect(c.cmd('STAT')).toMatch(/^\+OK \d+ \d+\r\n$/);
  });

  it('AUTH PLAIN with an initial response (RFC 5034)', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('AUTH PLAIN ' + encodeBase64('\0alice\0wrong'))).toBe(
      '-ERR [AUTH] Authentication failed.\r\n',
    );
    expect(c.cmd('AUTH PLAIN =')).toBe('-ERR [AUTH] Authentication failed.\r\n');
    expect(c.cmd('AUTH PLAIN x y')).toBe('-ERR [AUTH] Invalid base64 data in initial response\r\n');
    expect(c.cmd('AUTH PLAIN !!!!')).toBe('-ERR [AUTH] Invalid base64 data in initial response\r\n');
    expect(c.cmd('AUTH PLAIN ' + encodeBase64('abc'))).toBe('-ERR [AUTH] Authentication failed.\r\n');
    expect(c.cmd('AUTH PLAIN ' + encodeBase64('bob\0alice\0wonderland'))).toBe(
      '-ERR [AUTH] Authentication failed.\r\n',
    );
    expect(c.cmd('auth plain ' + encodeBase64('alice\0alice\0wonderland'))).toBe('+OK Logged in.\r\n');
  });

  it('AUTH PLAIN without initial response: "+ " then the response line; "*" cancels', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.cmd('AUTH PLAIN')).toBe('+ \r\n');
    expect(c.cmd('*')).toBe('-ERR Authentication aborted by client.\r\n');
    expect(c.cmd('AUTH PLAIN')).toBe('+ \r\n');
    expect(c.cmd('garbage!!')).toBe('-ERR [AUTH] Invalid base64 in response\r\n');
    expect(c.cmd('AUTH PLAIN')).toBe('+ \r\n');
    expect(c.cmd('')).toBe('-ERR [AUTH] Authentication failed.\r\n');
    expect(c.cmd('AUTH PLAIN')).toBe('+ \r\n');
    // The response line is not a command, even if it looks like one.
    expect(c.cmd('STAT')).toMatch(/^-ERR \[AUTH\]/);
    expect(c.cmd('AUTH PLAIN')).toBe('+ \r\n');
    expect(c.cmd(encodeBase64('\0alice\0wonderland'))).toBe('+OK Logged in.\r\n');
  });

  it('an over-long SASL response ends the connection, as Dovecot does', () => {
    const { server } = makeLab();
    const c = connect(server);
    c.cmd('AUTH PLAIN');
    expect(c.cmd('A'.repeat(POP3_MAX_LINE_LENGTH + 10))).toBe('-ERR Input buffer full, aborting\r\n');
    expect(c.conn.closed).toBe(true);
  });

  it('refuses TRANSACTION commands before login and AUTHORIZATION commands after it', () => {
    const { server } = makeLab(undefined, PATIENT);
    const c = connect(server);
    for (const l of ['STAT', 'LIST', 'RETR 1', 'DELE 1', 'NOOP', 'RSET', 'TOP 1 1', 'UIDL'])
      expect(c.cmd(l)).toMatch(/^-ERR .*login/);
    c.cmd('USER alice');
    c.cmd('PASS wonderland');
    for (const l of ['USER alice', 'PASS x', 'APOP a b', 'AUTH', 'AUTH PLAIN'])
      expect(c.cmd(l)).toMatch(/^-ERR .*AUTHORIZATION/);
    expect(c.cmd('STAT')).toBe('+OK 5 640\r\n');
  });

  it('QUIT before login says goodbye and closes without touching the maildrop', () => {
    const { server, store } = makeLab();
    const c = connect(server);
    expect(c.cmd('QUIT')).toBe('+OK Logging out\r\n');
    expect(c.conn.closed).toBe(true);
    expect(c.conn.state).toBe('closed');
    expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(5);
  });
});

describe('TRANSACTION commands (replies as Dovecot gives them)', () => {
  it('STAT counts messages and octets of the stored CRLF bytes', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('STAT')).toBe(`+OK 5 ${SAMPLE_MESSAGES.join('').length}\r\n`);
    expect(c.cmd('STAT')).toBe('+OK 5 640\r\n');
    expect(c.cmd('STAT x')).toBe('+OK 5 640\r\n'); // Dovecot ignores arguments of STAT/NOOP/RSET/QUIT
  });

  it('LIST with and without a message number', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('LIST')).toBe('+OK 5 messages:\r\n1 162\r\n2 123\r\n3 82\r\n4 217\r\n5 56\r\n.\r\n');
    expect(c.cmd('LIST 2')).toBe('+OK 2 123\r\n');
    expect(c.cmd('LIST 01')).toBe('+OK 1 162\r\n');
    expect(c.cmd('LIST  1')).toBe('+OK 1 162\r\n');
  });

  it('LIST/RETR/DELE/UIDL/TOP refuse bad message numbers', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('LIST 0')).toBe("-ERR There's no message 0.\r\n");
    expect(c.cmd('LIST 6')).toBe("-ERR There's no message 6.\r\n");
    expect(c.cmd('LIST 99999999999999999999')).toMatch(/^-ERR /);
    expect(c.cmd('LIST x')).toBe('-ERR Invalid message number: x\r\n');
    expect(c.cmd('LIST -1')).toBe('-ERR Invalid message number: -1\r\n');
    expect(c.cmd('LIST +1')).toBe('-ERR Invalid message number: +1\r\n');
    expect(c.cmd('LIST 1 2')).toMatch(/^-ERR Noise after message number/);
    expect(c.cmd('LIST 1 ')).toMatch(/^-ERR Noise after message number/);
    expect(c.cmd('LIST\t1')).toMatch(/^-ERR Unknown command/);
    expect(c.cmd('RETR')).toMatch(/^-ERR Invalid message number/);
    expect(c.cmd('DELE')).toMatch(/^-ERR Invalid message number/);
    expect(c.cmd('RETR 9')).toBe("-ERR There's no message 9.\r\n");
    expect(c.cmd('UIDL x')).toBe('-ERR Invalid message number: x\r\n');
    expect(c.cmd('UIDL 9')).toBe("-ERR There's no message 9.\r\n");
    expect(c.cmd('TOP 1')).toMatch(/^-ERR /);
    expect(c.cmd('TOP 1 x')).toBe('-ERR Invalid size: x\r\n');
    expect(c.cmd('TOP 1 -1')).toBe('-ERR Invalid size: -1\r\n');
    expect(c.cmd('TOP 1 0 0')).toMatch(/^-ERR Noise after size/);
    expect(c.cmd('TOP x 1')).toBe('-ERR Invalid message number: x\r\n');
    expect(c.cmd('STAT')).toBe('+OK 5 640\r\n');
  });

  it('RETR sends the exact octets, dot-stuffed, and a CRLF before "." when the message lacks one', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('RETR 1')).toBe(`+OK 162 octets\r\n${SAMPLE_MESSAGES[0]}.\r\n`);
    expect(c.cmd('RETR 2')).toBe(
      '+OK 123 octets\r\nFrom: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: Dots\r\n\r\n' +
        'line one\r\n..starts with a dot\r\n...two dots\r\n..\r\nend\r\n.\r\n',
    );
    expect(c.cmd('RETR 3')).toBe(`+OK 82 octets\r\n${SAMPLE_MESSAGES[2]}\r\n.\r\n`);
  });

  it('TOP sends the header, the blank line and n body lines', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('TOP 4 2')).toBe(
      '+OK\r\nFrom: Eve <eve@example.org>\r\nSubject: long\r\n\r\nline 1\r\nline 2\r\n.\r\n',
    );
    expect(c.cmd('TOP 1 0')).toBe(`+OK\r\n${SAMPLE_MESSAGES[0].split('\r\n\r\n')[0]}\r\n\r\n.\r\n`);
    expect(c.cmd('TOP 1 100')).toBe(`+OK\r\n${SAMPLE_MESSAGES[0]}.\r\n`);
    expect(c.cmd('TOP 1 99999999999')).toBe(`+OK\r\n${SAMPLE_MESSAGES[0]}.\r\n`);
    expect(c.cmd('TOP 5 0')).toBe(`+OK\r\n${SAMPLE_MESSAGES[4]}.\r\n`); // all header, no blank line
    expect(c.cmd('TOP 3 0')).toBe(
      '+OK\r\nFrom: Dan <dan@example.org>\r\nSubject: no final newline\r\n\r\n.\r\n',
    );
    expect(c.cmd('TOP 3 5')).toBe(`+OK\r\n${SAMPLE_MESSAGES[2]}\r\n.\r\n`);
    expect(c.cmd('TOP 2 3')).toBe(
      '+OK\r\nFrom: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: Dots\r\n\r\n' +
        'line one\r\n..starts with a dot\r\n...two dots\r\n.\r\n',
    );
  });

  it("UIDL gives %08x UID + %08x UIDVALIDITY, like Dovecot's default uidl_format", () => {
    const { server, store } = makeLab();
    const v = store.getMailbox('alice', 'INBOX')!.uidValidity.toString(16).padStart(8, '0');
    const c = login(server);
    expect(c.cmd('UIDL 3')).toBe(`+OK 3 00000003${v}\r\n`);
    expect(c.cmd('UIDL')).toBe(
      `+OK\r\n${[1, 2, 3, 4, 5].map((n) => `${n} 0000000${n}${v}`).join('\r\n')}\r\n.\r\n`,
    );
  });

  it('DELE marks: the message is gone from STAT/LIST/UIDL and cannot be used; RSET brings it back', () => {
    const { server, store } = makeLab();
    const c = login(server);
    expect(c.cmd('DELE 1')).toBe('+OK Marked to be deleted.\r\n');
    expect(c.cmd('DELE 1')).toBe('-ERR Message is deleted.\r\n');
    for (const l of ['LIST 1', 'RETR 1', 'TOP 1 1', 'UIDL 1'])
      expect(c.cmd(l)).toBe('-ERR Message is deleted.\r\n');
    expect(c.cmd('STAT')).toBe('+OK 4 478\r\n');
    expect(c.cmd('LIST')).toBe('+OK 4 messages:\r\n2 123\r\n3 82\r\n4 217\r\n5 56\r\n.\r\n');
    expect(c.cmd('UIDL').split('\r\n')).toHaveLength(4 + 3);
    expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(5);
    expect(c.cmd('RSET')).toBe('+OK\r\n');
    expect(c.cmd('STAT')).toBe('+OK 5 640\r\n');
    expect(c.cmd('RETR 1')).toMatch(/^\+OK 162 octets/);
  });

  it('NOOP answers +OK and changes nothing', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('NOOP')).toBe('+OK\r\n');
    expect(c.cmd('noop')).toBe('+OK\r\n');
    expect(c.cmd('STAT')).toBe('+OK 5 640\r\n');
  });

  it('QUIT in TRANSACTION removes the marked messages, then answers and closes', () => {
    const { server, store } = makeLab();
    const c = login(server);
    c.cmd('DELE 1');
    c.cmd('DELE 3');
    expect(c.cmd('QUIT')).toBe('+OK Logging out, messages deleted.\r\n');
    expect(c.conn.closed).toBe(true);
    expect(store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid)).toEqual([2, 4, 5]);
    const d = login(server);
    expect(d.cmd('LIST')).toBe('+OK 3 messages:\r\n1 123\r\n2 217\r\n3 56\r\n.\r\n');
    expect(d.cmd('QUIT')).toBe('+OK Logging out.\r\n');
  });

  it('an empty maildrop lists nothing', () => {
    const { server } = makeLab();
    const c = login(server, 'bob', 'builder');
    expect(c.cmd('STAT')).toBe('+OK 0 0\r\n');
    expect(c.cmd('LIST')).toBe('+OK 0 messages:\r\n.\r\n');
    expect(c.cmd('UIDL')).toBe('+OK\r\n.\r\n');
    expect(c.cmd('RETR 1')).toBe("-ERR There's no message 1.\r\n");
  });
});

describe('bad input never changes anything and the session goes on', () => {
  it('unknown commands, empty lines, leading spaces, NUL and non-ASCII bytes', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.cmd('FOO')).toBe('-ERR Unknown command: FOO\r\n');
    expect(c.cmd('')).toMatch(/^-ERR Unknown command/);
    expect(c.cmd(' STAT')).toMatch(/^-ERR Unknown command/);
    // Dovecot reads lines as C strings: nothing after a NUL counts (measured).
    expect(c.cmd('STAT\0x')).toBe('+OK 5 640\r\n');
    expect(c.cmd('LIST 1\0 2')).toBe('+OK 1 162\r\n');
    expect(c.cmd('ST\0AT')).toMatch(/^-ERR Unknown command/);
    expect(c.cmd('ST\xe9T')).toBe('-ERR Unknown command: ST\\xe9T\r\n');
    expect(c.cmd('LIST \xe9')).toBe('-ERR Invalid message number: \\xe9\r\n');
    expect(c.cmd('STAT')).toBe('+OK 5 640\r\n');
  });

  it('accepts bare LF and answers with CRLF', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.raw('STAT\nLIST 1\n')).toBe('+OK 5 640\r\n+OK 1 162\r\n');
  });

  it('takes lines up to 2046 octets after login; a longer one ends the connection, nothing committed', () => {
    const { server, store } = makeLab();
    const c = login(server);
    expect(c.cmd('DELE 1')).toBe('+OK Marked to be deleted.\r\n');
    expect(c.cmd('NOOP ' + 'x'.repeat(POP3_MAX_LINE_LENGTH - 5))).toBe('+OK\r\n');
    expect(c.cmd('NOOP ' + 'x'.repeat(POP3_MAX_LINE_LENGTH - 4))).toBe('-ERR Input line too long.\r\n');
    expect(c.conn.closed).toBe(true);
    expect(c.raw('QUIT\r\n')).toBe('');
    expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(5);
    expect(server.locks.held()).toEqual([]);
  });

  it('before login, takes 1024 octets after the keyword (Dovecot pop3-login) and hangs up on more', () => {
    const { server } = makeLab();
    const ok = connect(server);
    expect(ok.cmd('USER ' + 'x'.repeat(1024))).toBe('+OK\r\n');
    expect(ok.cmd('X'.repeat(1032))).toMatch(/^-ERR Unknown command/);
    expect(ok.conn.closed).toBe(false);
    for (const line of ['USER ' + 'x'.repeat(1025), 'X'.repeat(1033), 'ABCDEFGHIJ ' + 'x'.repeat(1022)]) {
      const c = connect(server);
      expect(c.cmd(line)).toBe('-ERR Input buffer full, aborting\r\n');
      expect(c.conn.closed).toBe(true);
    }
  });

  it('handles pipelined commands and commands split across chunks', () => {
    const { server } = makeLab();
    const c = connect(server);
    expect(c.raw('USER alice\r\nPASS wonder')).toBe('+OK\r\n');
    expect(c.raw('land\r\nSTAT\r\nLI')).toBe('+OK Logged in.\r\n+OK 5 640\r\n');
    expect(c.raw('ST 2\r')).toBe('');
    expect(c.raw('\n')).toBe('+OK 2 123\r\n');
  });

  it('ignores whatever follows QUIT in the same chunk', () => {
    const { server } = makeLab();
    const c = login(server);
    expect(c.raw('QUIT\r\nSTAT\r\n')).toBe('+OK Logging out.\r\n');
    expect(c.raw('STAT\r\n')).toBe('');
  });
});
