import { describe, expect, it } from 'vitest';
import { IMAP_COMMAND_DOCS, IMAP_COMMANDS } from '../../src/protocol/imap/registry';
import { MAX_APPEND_SIZE } from '../../src/server/imap/session';
import { loggedIn, setup } from './harness';

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

describe('registry', () => {
  it('documents every command, plain and UID forms', () => {
    for (const name of [
      'CAPABILITY',
      'LOGIN',
      'AUTHENTICATE',
      'SELECT',
      'FETCH',
      'UID FETCH',
      'UID EXPUNGE',
      'MOVE',
      'UID MOVE',
      'IDLE',
      'LSUB',
    ])
      expect(IMAP_COMMANDS.has(name), name).toBe(true);
    for (const d of IMAP_COMMAND_DOCS) {
      expect(d.summary.length, d.name).toBeGreaterThan(20);
      expect(d.rfc, d.name).toMatch(/^RFC \d+/);
      expect(d.examples.length, d.name).toBeGreaterThan(0);
    }
  });
});

describe('authentication', () => {
  it('AUTHENTICATE PLAIN with an initial response (SASL-IR)', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd(`a AUTHENTICATE PLAIN ${b64('\0alice\0wonderland')}`)).toMatch(
      /^a OK \[CAPABILITY IMAP4rev1 .*\] Logged in\r\n$/,
    );
    expect(c.conn.state).toBe('Authenticated');
  });

  it('AUTHENTICATE PLAIN after a "+" continuation', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd('a AUTHENTICATE PLAIN')).toBe('+ \r\n');
    expect(c.cmd(b64('alice\0alice\0wonderland'))).toMatch(/^a OK \[CAPABILITY/);
  });

  it('AUTHENTICATE: wrong password, bad base64, cancel, unknown mechanism', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd(`a AUTHENTICATE PLAIN ${b64('\0alice\0nope')}`)).toBe(
      'a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n',
    );
    // Dovecot: bad base64 after the "+" prompt is NO [ALERT]; in the initial response it is BAD.
    c.cmd('b AUTHENTICATE PLAIN');
    expect(c.cmd('***')).toMatch(/^b NO \[ALERT\] /);
    expect(c.cmd('b2 AUTHENTICATE PLAIN ***')).toMatch(/^b2 BAD /);
    c.cmd('c AUTHENTICATE PLAIN');
    expect(c.cmd('*')).toMatch(/^c BAD /);
    c.cmd('c2 AUTHENTICATE PLAIN');
    expect(c.cmd('')).toBe('c2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n');
    expect(c.cmd('d AUTHENTICATE CRAM-MD5')).toMatch(/^d NO \[ALERT\] /);
    expect(c.cmd('d2 AUTHENTICATE "PLAIN"')).toMatch(/^d2 NO \[ALERT\] /);
    expect(c.conn.state).toBe('Not Authenticated');
  });

  it('AUTHENTICATE LOGIN: user name and password after their own prompts, or the name as initial response', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd('a AUTHENTICATE LOGIN')).toBe('+ VXNlcm5hbWU6\r\n');
    expect(c.cmd(b64('alice'))).toBe('+ UGFzc3dvcmQ6\r\n');
    expect(c.cmd(b64('nope'))).toBe('a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n');
    expect(c.cmd(`b AUTHENTICATE LOGIN ${b64('alice')}`)).toBe('+ UGFzc3dvcmQ6\r\n');
    expect(c.cmd(b64('wonderland'))).toMatch(/^b OK \[CAPABILITY IMAP4rev1 /);
    expect(c.conn.state).toBe('Authenticated');
  });

  it('LOGIN after CAPABILITY answers with an untagged CAPABILITY (as Dovecot)', () => {
    const { open } = setup();
    const c = open();
    c.take();
    c.cmd('a CAPABILITY');
    expect(c.lines('b LOGIN alice wonderland')).toEqual([
      expect.stringMatching(/^\* CAPABILITY IMAP4rev1 /),
      'b OK Logged in',
    ]);
  });

  it('LOGIN accepts literals for user and password', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd('a LOGIN {5}')).toBe('+ OK\r\n');
    expect(c.cmd('alice {10+}\r\nwonderland')).toMatch(/^a OK /);
  });
});

describe('ENABLE, ID, NAMESPACE, CAPABILITY', () => {
  it('ENABLE IMAP4rev2 switches SEARCH to ESEARCH and drops \\Recent', () => {
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.lines('e ENABLE IMAP4rev2 XFOO')).toEqual(['* ENABLED IMAP4rev2', 'e OK Enabled']);
    const sel = c.lines('s SELECT INBOX');
    expect(sel.some((l) => /RECENT|UNSEEN/.test(l))).toBe(false);
    expect(c.lines('f SEARCH UNSEEN')).toEqual(['* ESEARCH (TAG "f") ALL 1:6', 'f OK Search completed']);
    expect(c.cmd('g FETCH 1 FLAGS')).toBe('* 1 FETCH (FLAGS ())\r\ng OK Fetch completed\r\n');
  });

  it('ID and NAMESPACE', () => {
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.lines('i ID ("name" "test")')[0]).toBe('* ID ("name" "POP vs IMAP Lab")');
    expect(c.lines('i2 ID ("odd")')[0]).toMatch(/^i2 BAD/);
    expect(c.lines('n NAMESPACE')).toEqual(['* NAMESPACE (("" "/")) NIL NIL', 'n OK Namespace completed.']);
  });

  it('lists more capabilities after login', () => {
    const { open } = setup();
    const c = open();
    c.take();
    const before = c.lines('a CAPABILITY')[0];
    expect(before).toContain('AUTH=PLAIN');
    expect(before).not.toContain('MOVE');
    c.cmd('b LOGIN alice wonderland');
    const after = c.lines('c CAPABILITY')[0];
    for (const cap of [
      'IMAP4rev2',
      'IDLE',
      'UIDPLUS',
      'MOVE',
      'UNSELECT',
      'SPECIAL-USE',
      'ENABLE',
      'NAMESPACE',
      'LITERAL+',
      'SASL-IR',
      'ID',
    ])
      expect(after.split(' ')).toContain(cap);
  });
});

describe('mailboxes', () => {
  it('RENAME INBOX moves its messages and leaves INBOX empty (RFC 9051 §6.3.6)', () => {
    const { open, store } = setup();
    const c = loggedIn(open);
    expect(c.cmd('r RENAME INBOX Old')).toBe('r OK Rename completed\r\n');
    expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(0);
    expect(store.getMailbox('alice', 'Old')!.messages).toHaveLength(6);
  });

  it('RENAME and CREATE refuse existing names; DELETE refuses INBOX and missing ones', () => {
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.cmd('a CREATE Sent')).toBe('a NO [ALREADYEXISTS] Mailbox already exists\r\n');
    expect(c.cmd('b RENAME Sent Trash')).toMatch(/^b NO \[ALREADYEXISTS\]/);
    expect(c.cmd('c RENAME Nope X')).toMatch(/^c NO \[NONEXISTENT\]/);
    expect(c.cmd('d DELETE INBOX')).toBe("d NO INBOX can't be deleted\r\n");
    expect(c.cmd('e DELETE Nope')).toBe("e NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n");
    // Dovecot refuses a badly shaped name with NO [CANNOT], not BAD (measured).
    expect(c.cmd('f CREATE /bad')).toBe(
      'f NO [CANNOT] Invalid mailbox name: Begins with hierarchy separator\r\n',
    );
    expect(c.cmd('g CREATE inbox')).toMatch(/^g NO \[ALREADYEXISTS\]/);
  });

  it('SUBSCRIBE / UNSUBSCRIBE show in LSUB and LIST (SUBSCRIBED)', () => {
    const { open } = setup();
    const c = loggedIn(open);
    c.cmd('a CREATE Work');
    expect(c.cmd('b LSUB "" Work')).toBe('b OK Lsub completed\r\n');
    c.cmd('c SUBSCRIBE Work');
    expect(c.lines('d LSUB "" Work')).toEqual(['* LSUB () "/" Work', 'd OK Lsub completed']);
    expect(c.lines('e LIST (SUBSCRIBED) "" W*')).toEqual([
      '* LIST (\\Subscribed) "/" Work',
      'e OK List completed',
    ]);
    c.cmd('f UNSUBSCRIBE Work');
    expect(c.cmd('g LIST (SUBSCRIBED) "" Work')).toBe('g OK List completed\r\n');
    expect(c.cmd('h SUBSCRIBE Nope')).toMatch(/^h NO /);
  });

  it('LIST patterns: % stops at the delimiter, missing parents are \\Noselect', () => {
    const { open } = setup();
    const c = loggedIn(open);
    c.cmd('a CREATE Work/2025/Q1');
    expect(c.lines('b LIST "" Work%')).toEqual([
      '* LIST (\\Noselect \\HasChildren) "/" Work',
      'b OK List completed',
    ]);
    expect(c.lines('c LIST Work/ %')).toEqual([
      '* LIST (\\Noselect \\HasChildren) "/" Work/2025',
      'c OK List completed',
    ]);
    expect(c.lines('d LIST "" */Q1')).toEqual([
      '* LIST (\\HasNoChildren) "/" Work/2025/Q1',
      'd OK List completed',
    ]);
    expect(c.lines('e LIST "" inbox')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', 'e OK List completed']);
    expect(c.lines('f LIST (SPECIAL-USE) "" *').length).toBe(6);
  });

  it('STATUS counts without selecting', () => {
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.lines('a STATUS INBOX (UIDNEXT MESSAGES UNSEEN DELETED SIZE UIDVALIDITY RECENT)')[0]).toBe(
      '* STATUS INBOX (MESSAGES 6 RECENT 6 UIDNEXT 7 UIDVALIDITY 1 UNSEEN 6 DELETED 0 SIZE 2948)',
    );
    expect(c.cmd('b STATUS Nope (MESSAGES)')).toBe("b NO Mailbox doesn't exist: Nope\r\n");
    expect(c.cmd('c STATUS INBOX (FOO)')).toMatch(/^c BAD .*Invalid status item FOO/);
  });

  it('STATUS HIGHESTMODSEQ comes before SIZE and turns CONDSTORE on (RFC 7162 §3.1), as in Dovecot', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    // The selected INBOX's HIGHESTMODSEQ first (the harness delivered its six messages one by one).
    expect(c.lines('a STATUS Sent (SIZE HIGHESTMODSEQ MESSAGES)')).toEqual([
      '* OK [HIGHESTMODSEQ 7] Highest',
      '* STATUS Sent (MESSAGES 0 HIGHESTMODSEQ 1 SIZE 0)',
      'a OK Status completed',
    ]);
    expect(c.lines('b STATUS Sent (HIGHESTMODSEQ)')).toEqual([
      '* STATUS Sent (HIGHESTMODSEQ 1)',
      'b OK Status completed',
    ]);
    expect(c.lines('c EXAMINE Sent')).toContain('* OK [HIGHESTMODSEQ 1] Highest');
  });
});

describe('APPEND', () => {
  it('stores the message with flags and date and answers APPENDUID', () => {
    const { open, store } = setup();
    const c = loggedIn(open);
    const msg = 'Subject: hi\r\n\r\nhello\r\n';
    expect(c.cmd(`a APPEND Drafts (\\Draft $Later) "03-Mar-2025 10:15:00 +0100" {${msg.length}}`)).toBe(
      '+ OK\r\n',
    );
    const uv = store.getMailbox('alice', 'Drafts')!.uidValidity;
    expect(c.cmd(msg)).toBe(`a OK [APPENDUID ${uv} 1] Append completed\r\n`);
    const m = store.getMailbox('alice', 'Drafts')!.messages[0];
    expect(m.raw).toBe(msg);
    expect(m.flags).toEqual(['\\Draft', '$Later']);
    expect(m.internalDate).toBe(Date.UTC(2025, 2, 3, 9, 15, 0));
  });

  it('LITERAL+ needs no continuation; bare LF becomes CRLF', () => {
    const { open, store } = setup();
    const c = loggedIn(open);
    expect(c.raw('a APPEND INBOX {11+}\r\nSubject: x\n\r\n')).toMatch(/^a OK \[APPENDUID 1 7\]/);
    expect(store.getMessage('alice', 'INBOX', 7)!.raw).toBe('Subject: x\r\n');
  });

  it('refuses a missing mailbox and an oversized message before the octets are sent', () => {
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.cmd('a APPEND Nope {10}')).toBe("a NO [TRYCREATE] Mailbox doesn't exist: Nope\r\n");
    expect(c.cmd(`b APPEND INBOX {${MAX_APPEND_SIZE + 1}}`)).toMatch(/^b NO \[TOOBIG\]/);
    expect(c.cmd('c NOOP')).toBe('c OK NOOP completed.\r\n');
    // Flags and date are checked before the message is asked for, as Dovecot does.
    expect(c.cmd('d APPEND INBOX (\\Recent) {3}')).toMatch(/^d BAD .*Invalid system flag/);
    expect(c.cmd('e APPEND INBOX "yesterday" {3}')).toMatch(/^e BAD .*date-time/);
    expect(c.cmd('f APPEND INBOX {0}')).toBe("f NO Can't save a zero byte message\r\n");
    // A refused {0+} literal takes the rest of its line with it.
    expect(c.raw('g APPEND INBOX {0+}\r\n\r\nh NOOP\r\n')).toBe(
      "g NO Can't save a zero byte message\r\nh OK NOOP completed.\r\n",
    );
    expect(c.cmd('i APPEND INBOX (\\Seen) {3}')).toBe('+ OK\r\n');
    expect(c.cmd('abc')).toMatch(/^i OK \[APPENDUID \d+ 7\] /);
  });
});

describe('SELECT / EXAMINE / CLOSE / UNSELECT', () => {
  it('EXAMINE is read-only: FETCH BODY does not set \\Seen, STORE is ignored', () => {
    const { open, store } = setup();
    const c = loggedIn(open);
    const lines = c.lines('a EXAMINE INBOX');
    expect(lines).toContain('* OK [PERMANENTFLAGS ()] Read-only mailbox.');
    expect(lines.at(-1)).toBe('a OK [READ-ONLY] Examine completed');
    c.cmd('b FETCH 1 BODY[TEXT]');
    expect(store.getMessage('alice', 'INBOX', 1)!.flags).toEqual([]);
    expect(c.cmd('c STORE 1 +FLAGS (\\Deleted)')).toBe('c OK Store ignored with read-only mailbox\r\n');
    expect(c.cmd('d EXPUNGE')).toBe('d OK Expunge completed\r\n');
  });

  it('a failed SELECT closes the previous mailbox', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.lines('a SELECT Nope')).toEqual([
      '* OK [CLOSED] Previous mailbox closed.',
      "a NO Mailbox doesn't exist: Nope",
    ]);
    expect(c.conn.state).toBe('Authenticated');
  });

  it('CLOSE expunges \\Deleted silently; UNSELECT does not', () => {
    const { open, store } = setup();
    const c = loggedIn(open, 'INBOX');
    c.cmd('a STORE 1,2 +FLAGS.SILENT (\\Deleted)');
    expect(c.cmd('b UNSELECT')).toBe('b OK Unselect completed\r\n');
    expect(store.getMailbox('alice', 'INBOX')!.messages).toHaveLength(6);
    c.cmd('c SELECT INBOX');
    expect(c.cmd('d CLOSE')).toBe('d OK Close completed\r\n');
    expect(store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid)).toEqual([3, 4, 5, 6]);
    expect(c.conn.state).toBe('Authenticated');
  });
});

describe('FETCH', () => {
  it('BODY[] sets \\Seen and reports FLAGS first; BODY.PEEK does not', () => {
    const { open, store } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.cmd('a FETCH 6 BODY.PEEK[TEXT]')).toBe(
      '* 6 FETCH (BODY[TEXT] {20}\r\nYes, see you then!\r\n)\r\na OK Fetch completed\r\n',
    );
    expect(store.getMessage('alice', 'INBOX', 6)!.flags).toEqual([]);
    expect(c.cmd('b FETCH 6 (UID BODY[TEXT])')).toBe(
      '* 6 FETCH (UID 6 FLAGS (\\Seen \\Recent) BODY[TEXT] {20}\r\nYes, see you then!\r\n)\r\nb OK Fetch completed\r\n',
    );
    expect(c.cmd('c FETCH 6 BODY[TEXT]<5.3>')).toBe(
      '* 6 FETCH (BODY[TEXT]<5> {3}\r\nsee)\r\nc OK Fetch completed\r\n',
    );
  });

  it('BINARY decodes the transfer encoding', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    const out = c.cmd('a FETCH 3 (BINARY.SIZE[2] BINARY.PEEK[2]<0.4>)');
    expect(out).toBe('* 3 FETCH (BINARY.SIZE[2] 78 BINARY[2]<0> ~{4}\r\n%PDF)\r\na OK Fetch completed\r\n');
  });

  it('orders items as Dovecot: UID, FLAGS, INTERNALDATE, RFC822.SIZE first, the rest as asked', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    const out = c.cmd('a FETCH 6 (BODY.PEEK[HEADER.FIELDS (Date)] ENVELOPE RFC822.SIZE FLAGS)');
    expect(out.indexOf('RFC822.SIZE')).toBeLessThan(out.indexOf('FLAGS'));
    expect(out.indexOf('FLAGS')).toBeLessThan(out.indexOf('BODY[HEADER.FIELDS (DATE)]'));
    expect(out.indexOf('BODY[HEADER.FIELDS (DATE)]')).toBeLessThan(out.indexOf('ENVELOPE'));
  });

  it('part numbers: a leaf in a multipart answers to .1 as itself; missing parts are empty', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.cmd('a FETCH 2 BODY.PEEK[1.1]')).toContain(
      'BODY[1.1] {31}\r\nLet us meet at the caf=C3=A9.\r\n',
    );
    expect(c.cmd('b FETCH 1 BODY.PEEK[1.1]')).toContain('BODY[1.1] {0}\r\n');
    expect(c.cmd('c FETCH 1 BODY.PEEK[0]')).toContain('BODY[0] {0}\r\n');
    expect(c.cmd('d FETCH 3 BODY.PEEK[9]')).toContain('BODY[9] {0}\r\n');
    expect(c.cmd('e FETCH 4 BODY.PEEK[2.HEADER.FIELDS (Subject)]')).toContain(
      '{28}\r\nSubject: Lunch tomorrow?\r\n\r\n)',
    );
  });

  it('UID FETCH puts UID first and ignores UIDs that do not exist', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.cmd('a UID FETCH 5:99 (FLAGS)')).toBe(
      '* 5 FETCH (UID 5 FLAGS (\\Recent))\r\n* 6 FETCH (UID 6 FLAGS (\\Recent))\r\na OK Fetch completed\r\n',
    );
    expect(c.cmd('b UID FETCH 99 FLAGS')).toBe('b OK Fetch completed\r\n');
  });
});

describe('STORE, COPY, MOVE, EXPUNGE', () => {
  it('STORE reports only messages whose flags changed; UID STORE includes the UID', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.lines('a STORE 1:2 +FLAGS (\\Seen)')).toEqual([
      '* 1 FETCH (FLAGS (\\Seen \\Recent))',
      '* 2 FETCH (FLAGS (\\Seen \\Recent))',
      'a OK Store completed',
    ]);
    expect(c.lines('b STORE 1:2 +FLAGS (\\Seen)')).toEqual(['b OK Store completed']);
    expect(c.lines('c UID STORE 2 -FLAGS \\Seen')).toEqual([
      '* 2 FETCH (UID 2 FLAGS (\\Recent))',
      'c OK Store completed',
    ]);
    expect(c.lines('d STORE 1 FLAGS.SILENT ()')).toEqual(['d OK Store completed']);
    expect(c.cmd('e STORE 1 TAGS (x)')).toMatch(/^e BAD /);
  });

  it('MOVE copies, expunges and reports COPYUID before the EXPUNGEs', () => {
    const { open, store } = setup();
    const c = loggedIn(open, 'INBOX');
    const tv = store.getMailbox('alice', 'Trash')!.uidValidity;
    expect(c.lines('a MOVE 2:3 Trash')).toEqual([
      `* OK [COPYUID ${tv} 2:3 1:2] Moved UIDs.`,
      '* 3 EXPUNGE',
      '* 2 EXPUNGE',
      '* 4 RECENT',
      'a OK Move completed',
    ]);
    expect(c.lines('b COPY 1 Trash')).toEqual([`b OK [COPYUID ${tv} 1 3] Copy completed`]);
    expect(c.lines('c COPY 1 Nope')).toEqual(["c NO [TRYCREATE] Mailbox doesn't exist: Nope"]);
    expect(c.lines('d UID COPY 99 Trash')).toEqual(['d OK No messages found']);
    expect(c.lines('e COPY 1 INBOX')).toEqual([
      '* 5 EXISTS',
      '* 5 RECENT',
      `e OK [COPYUID 1 1 7] Copy completed`,
    ]);
  });

  it('UID EXPUNGE removes only the named \\Deleted messages', () => {
    const { open, store } = setup();
    const c = loggedIn(open, 'INBOX');
    c.cmd('a STORE 1:3 +FLAGS.SILENT (\\Deleted)');
    expect(c.lines('b UID EXPUNGE 2:5')).toEqual([
      '* 3 EXPUNGE',
      '* 2 EXPUNGE',
      '* 4 RECENT',
      'b OK Expunge completed',
    ]);
    expect(store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid)).toEqual([1, 4, 5, 6]);
  });
});

describe('SEARCH', () => {
  it('matches decoded headers and bodies, dates, sizes and sets', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    const s = (q: string) => c.lines(`s SEARCH ${q}`)[0];
    expect(s('CHARSET UTF-8 SUBJECT "caf\xc3\xa9"')).toBe('* SEARCH 2');
    expect(s('BODY "meet at the caf"')).toBe('* SEARCH 2');
    expect(s('TO dave')).toBe('* SEARCH 2');
    expect(s('CC eve')).toBe('* SEARCH 2');
    expect(s('BCC alice')).toBe('* SEARCH 5');
    expect(s('HEADER In-Reply-To ""')).toBe('* SEARCH 2');
    expect(s('SMALLER 300')).toBe('* SEARCH 1 6');
    expect(s('SENTON 7-Mar-2025')).toBe('* SEARCH 5 6');
    expect(s('ON 10-Mar-2025')).toBe('* SEARCH 1 2 3 4 5 6');
    expect(s('BEFORE 10-Mar-2025')).toBe('* SEARCH');
    expect(s('NOT (OR 1 2:3) UNDELETED')).toBe('* SEARCH 4 5 6');
    expect(s('RECENT NEW UNSEEN')).toBe('* SEARCH 1 2 3 4 5 6');
    expect(s('*')).toBe('* SEARCH 6');
    expect(c.lines('u UID SEARCH UID 2,4')[0]).toBe('* SEARCH 2 4');
    expect(c.cmd('x SEARCH SINCE yesterday')).toMatch(/^x BAD /);
    expect(c.cmd('y SEARCH OR SEEN')).toMatch(/^y BAD .*Missing search key/);
    expect(c.cmd('z SEARCH RETURN (SAVE) ALL')).toMatch(/^z BAD /);
  });
});

describe('bad input keeps the session alive', () => {
  it('answers untagged BAD when there is no tag or the line is empty', () => {
    const { open } = setup();
    // After login: before it, the third of these would end the session (bad-commands.test.ts).
    const c = loggedIn(open);
    expect(c.cmd('')).toBe('* BAD Empty command line.\r\n');
    expect(c.cmd('(((')).toMatch(/^\* BAD /);
    expect(c.cmd('a\x00 NOOP')).toMatch(/^\* BAD /);
    // Dovecot refuses "]" in a tag and a tag that runs into a backslash.
    expect(c.cmd('a] NOOP')).toMatch(/^\* BAD /);
    expect(c.cmd('a\\ NOOP')).toMatch(/^\* BAD /);
    expect(c.cmd('a NOOP')).toBe('a OK NOOP completed.\r\n');
  });

  it('ignores spaces at the end of a command line, as Dovecot does', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.cmd('a NOOP ')).toBe('a OK NOOP completed.\r\n');
    expect(c.lines('b fetch 1 flags  ')).toEqual(['* 1 FETCH (FLAGS (\\Recent))', 'b OK Fetch completed']);
    expect(c.cmd('c FETCH 1 (FLAGS )')).toMatch(/^c BAD /);
  });

  it('refuses a line that is too long and continues', () => {
    const { open } = setup();
    const c = loggedIn(open);
    expect(c.cmd('a LIST "" ' + 'x'.repeat(70000))).toBe('a BAD Command line too long\r\n');
    expect(c.cmd('b NOOP')).toBe('b OK NOOP completed.\r\n');
  });

  it('IDLE ends with BAD on anything but DONE', () => {
    const { open } = setup();
    const c = loggedIn(open, 'INBOX');
    expect(c.cmd('i IDLE')).toBe('+ idling\r\n');
    expect(c.cmd('NOOP')).toBe('i BAD Expected DONE.\r\n');
    expect(c.cmd('j NOOP')).toBe('j OK NOOP completed.\r\n');
  });

  it('LOGOUT says BYE and closes', () => {
    const { open } = setup();
    const c = open();
    c.take();
    expect(c.cmd('a LOGOUT')).toBe('* BYE Logging out\r\na OK Logout completed.\r\n');
    expect(c.conn.closed).toBe(true);
  });
});
