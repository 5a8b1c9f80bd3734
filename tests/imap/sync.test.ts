import { describe, expect, it } from 'vitest';
import type { ImapSession } from '../../src/server/imap/session';
import { loggedIn, setup } from './harness';

describe('synchronization between sessions (RFC 9051 §7.5.1)', () => {
  it('new mail from delivery reaches a selected session as EXISTS and RECENT after its next command', () => {
    const { open, store } = setup();
    const a = loggedIn(open, 'INBOX');
    store.deliver('alice', 'INBOX', 'Subject: new\r\n\r\nhi\r\n', { origin: 'delivery' });
    expect(a.take()).toBe('');
    expect(a.lines('n NOOP')).toEqual(['* 7 EXISTS', '* 7 RECENT', 'n OK NOOP completed.']);
  });

  it('only the first session to see a message gets \\Recent (RFC 3501 §2.3.2)', () => {
    const { open, store } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    store.deliver('alice', 'INBOX', 'Subject: new\r\n\r\nhi\r\n');
    expect(b.lines('n NOOP')).toEqual(['* 7 EXISTS', '* 1 RECENT', 'n OK NOOP completed.']);
    expect(a.lines('n NOOP')).toEqual(['* 7 EXISTS', 'n OK NOOP completed.']);
    expect(a.lines('f FETCH 7 FLAGS')[0]).toBe('* 7 FETCH (FLAGS ())');
    expect(b.lines('f FETCH 7 FLAGS')[0]).toBe('* 7 FETCH (FLAGS (\\Recent))');
  });

  it('several expunges in one batch are sent highest first, so every number is right when read', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    a.cmd('d STORE 2,4,5 +FLAGS.SILENT (\\Deleted)');
    a.cmd('e EXPUNGE');
    const lines = b.lines('n NOOP');
    expect(lines.filter((l) => l.endsWith('EXPUNGE'))).toEqual(['* 5 EXPUNGE', '* 4 EXPUNGE', '* 2 EXPUNGE']);
    expect(b.lines('f FETCH 1:* (UID)').slice(0, -1)).toEqual([
      '* 1 FETCH (UID 1)',
      '* 2 FETCH (UID 3)',
      '* 3 FETCH (UID 6)',
    ]);
  });

  it('sends flag changes before expunges, numbered as the client still knows the messages', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    a.cmd('f STORE 4 +FLAGS (\\Flagged)');
    a.cmd('d STORE 2 +FLAGS (\\Deleted)');
    a.cmd('e EXPUNGE');
    expect(b.lines('n NOOP')).toEqual([
      '* 4 FETCH (FLAGS (\\Flagged))',
      '* 2 EXPUNGE',
      'n OK NOOP completed.',
    ]);
  });

  it('holds EXPUNGE back after FETCH, STORE and SEARCH, and sends it after NOOP', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    a.cmd('d STORE 3 +FLAGS.SILENT (\\Deleted)');
    a.cmd('e EXPUNGE');
    for (const cmd of ['f FETCH 1 FLAGS', 's STORE 1 +FLAGS (\\Seen)', 'q SEARCH ALL'])
      expect(b.cmd(cmd)).not.toMatch(/EXPUNGE/);
    // The expunged message is still number 3 in b's view, and reading it says so.
    expect(b.lines('g FETCH 3 BODY.PEEK[]')).toEqual([
      '* 3 FETCH (BODY[] NIL)',
      'g OK [EXPUNGEISSUED] Some messages were already expunged',
    ]);
    expect(b.lines('q SEARCH ALL')[0]).toBe('* SEARCH 1 2 3 4 5 6');
    expect(b.lines('n NOOP')).toEqual(['* 3 EXPUNGE', 'n OK NOOP completed.']);
    expect(b.lines('q SEARCH ALL')[0]).toBe('* SEARCH 1 2 3 4 5');
  });

  it('COPY and MOVE by sequence number may be followed by EXPUNGE (RFC 3501 §7.4.1 names only FETCH, STORE, SEARCH)', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    a.cmd('d STORE 3 +FLAGS (\\Deleted)');
    a.cmd('e EXPUNGE');
    // The pending FETCH for message 3 is dropped: it is expunged in the same report.
    expect(b.lines('c COPY 1 Trash')).toEqual([
      '* 3 EXPUNGE',
      expect.stringMatching(/^c OK \[COPYUID \d+ 1 1\] /),
    ]);
    a.cmd('d2 STORE 4 +FLAGS (\\Deleted)');
    a.cmd('e2 EXPUNGE');
    // MOVE's own EXPUNGE and the other session's go out in one batch, highest number first.
    expect(b.lines('m MOVE 1 Trash')).toEqual([
      expect.stringMatching(/^\* OK \[COPYUID \d+ 1 2\] /),
      '* 4 EXPUNGE',
      '* 1 EXPUNGE',
      'm OK Move completed',
    ]);
  });

  it('UID FETCH may be followed by EXPUNGE', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    a.cmd('d STORE 1 +FLAGS.SILENT (\\Deleted)');
    a.cmd('e EXPUNGE');
    expect(b.lines('u UID FETCH 1 UID')).toEqual([
      '* 1 FETCH (UID 1)',
      '* 1 EXPUNGE',
      'u OK Fetch completed',
    ]);
  });

  it('pushes changes at once while IDLE, and nothing is repeated after DONE', () => {
    const { open, store } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    expect(a.cmd('i IDLE')).toBe('+ idling\r\n');
    expect((a.conn as unknown as { session: ImapSession }).session.idling).toBe(true);
    b.cmd('s STORE 2 +FLAGS (\\Flagged)');
    expect(a.take()).toBe('* 2 FETCH (FLAGS (\\Flagged \\Recent))\r\n');
    store.deliver('alice', 'INBOX', 'Subject: x\r\n\r\n');
    expect(a.take()).toBe('* 7 EXISTS\r\n* 7 RECENT\r\n');
    b.cmd('t STORE 1 +FLAGS.SILENT (\\Deleted)');
    a.take();
    b.cmd('x EXPUNGE');
    expect(a.take()).toBe('* 1 EXPUNGE\r\n* 6 RECENT\r\n');
    expect(a.cmd('DONE')).toBe('i OK Idle completed.\r\n');
  });

  it('a new keyword is announced to every session with FLAGS and PERMANENTFLAGS', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const b = loggedIn(open, 'INBOX');
    a.cmd('k STORE 1 +FLAGS (Work)');
    expect(b.lines('n NOOP')).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Work)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Work \\*)] Flags permitted.',
      '* 1 FETCH (FLAGS (Work))',
      'n OK NOOP completed.',
    ]);
  });

  it('a session that has the mailbox deleted or renamed under it is ended with BYE (as Dovecot)', () => {
    const { open } = setup();
    const b = loggedIn(open);
    b.cmd('c CREATE Work');
    b.cmd('d CREATE Play');
    const a = loggedIn(open, 'Work');
    const i = loggedIn(open, 'Play');
    i.cmd('i IDLE');
    b.cmd('x DELETE Work');
    expect(a.cmd('n NOOP')).toBe('* BYE IMAP session state is inconsistent, please relogin.\r\n');
    expect(a.conn.closed).toBe(true);
    b.cmd('y RENAME Play Games');
    expect(i.take()).toBe('* BYE IMAP session state is inconsistent, please relogin.\r\n');
    expect(i.conn.closed).toBe(true);
  });

  it("POP3 deletions at QUIT and RETR's \\Seen reach IMAP sessions", () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    const p = open('pop3');
    p.take();
    p.cmd('USER alice');
    p.cmd('PASS wonderland');
    p.cmd('RETR 3');
    p.cmd('DELE 1');
    p.cmd('QUIT');
    expect(a.lines('n NOOP')).toEqual([
      '* 3 FETCH (FLAGS (\\Seen \\Recent))',
      '* 1 EXPUNGE',
      '* 5 RECENT',
      'n OK NOOP completed.',
    ]);
  });

  it('UIDs never change and UIDVALIDITY stays put across sessions', () => {
    const { open } = setup();
    const a = loggedIn(open, 'INBOX');
    a.cmd('d STORE 1 +FLAGS.SILENT (\\Deleted)');
    a.cmd('e EXPUNGE');
    const b = open();
    b.take();
    b.cmd('l LOGIN alice wonderland');
    const sel = b.lines('s SELECT INBOX');
    expect(sel).toContain('* OK [UIDVALIDITY 1] UIDs valid');
    expect(sel).toContain('* OK [UIDNEXT 7] Predicted next UID');
    expect(b.lines('f FETCH 1 UID')[0]).toBe('* 1 FETCH (UID 2)');
  });
});
