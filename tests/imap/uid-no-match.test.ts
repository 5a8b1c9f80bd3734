/**
 * UID commands whose UID set names no message, and sets that are no sets, as Dovecot 2.3.19
 * answers them (measured over TCP with tests/imap/tools/tcp-diff.ts; the replay is
 * tests/transcripts/dovecot/uid-no-match.txt).
 */
import { describe, expect, it } from 'vitest';
import { loggedIn, setup } from './harness';

const session = () => {
  const c = loggedIn(setup({ folders: 'inbox' }).open);
  c.cmd('a CREATE Other');
  c.cmd('b SELECT INBOX');
  return c;
};

describe('a UID set that matches no message', () => {
  it('UID COPY and UID MOVE: OK "No messages found", nothing else', () => {
    const c = session();
    expect(c.cmd('c1 UID COPY 100 Other')).toBe('c1 OK No messages found\r\n');
    expect(c.cmd('c2 UID COPY 100:200 Other')).toBe('c2 OK No messages found\r\n');
    expect(c.cmd('c3 UID MOVE 100 Other')).toBe('c3 OK No messages found\r\n');
    expect(c.cmd('c4 UID COPY 7 Other')).toBe('c4 OK No messages found\r\n');
  });

  it('UID COPY and UID MOVE answer before the destination is looked at', () => {
    const c = session();
    // A missing mailbox, an empty name, bad modified UTF-7, a refused shape: still OK.
    expect(c.cmd('c1 UID COPY 100 Nothere')).toBe('c1 OK No messages found\r\n');
    expect(c.cmd('c2 UID MOVE 100 Nothere')).toBe('c2 OK No messages found\r\n');
    expect(c.cmd('c3 UID COPY 100 ""')).toBe('c3 OK No messages found\r\n');
    expect(c.cmd('c4 UID COPY 100 &Jjo')).toBe('c4 OK No messages found\r\n');
    expect(c.cmd('c5 UID COPY 100 "bad//name"')).toBe('c5 OK No messages found\r\n');
    // Read-only too.
    c.cmd('d EXAMINE INBOX');
    expect(c.cmd('c6 UID MOVE 100 Other')).toBe('c6 OK No messages found\r\n');
    // When the set does match, the destination is checked as before.
    c.cmd('e SELECT INBOX');
    expect(c.cmd('c7 UID COPY 1 Nothere')).toBe("c7 NO [TRYCREATE] Mailbox doesn't exist: Nothere\r\n");
    expect(c.cmd('c8 UID MOVE 1 Nothere')).toBe("c8 NO [TRYCREATE] Mailbox doesn't exist: Nothere\r\n");
  });

  it('UID STORE and UID FETCH: their usual OK, no FETCH data', () => {
    const c = session();
    expect(c.cmd('c1 UID STORE 100 +FLAGS (\\Seen)')).toBe('c1 OK Store completed\r\n');
    expect(c.cmd('c2 UID STORE 100 +FLAGS.SILENT (\\Seen)')).toBe('c2 OK Store completed\r\n');
    expect(c.cmd('c3 UID FETCH 100 FLAGS')).toBe('c3 OK Fetch completed\r\n');
    expect(c.cmd('c4 UID FETCH 7,8 (UID)')).toBe('c4 OK Fetch completed\r\n');
    expect(c.cmd('c5 UID EXPUNGE 100')).toBe('c5 OK Expunge completed\r\n');
    expect(c.lines('c6 UID SEARCH UID 100')).toEqual(['* SEARCH', 'c6 OK Search completed']);
    // "*" is the highest UID in use, so 100:* names the last message.
    expect(c.lines('c7 UID FETCH 100:* FLAGS')).toEqual([
      '* 6 FETCH (UID 6 FLAGS (\\Recent))',
      'c7 OK Fetch completed',
    ]);
  });

  it('a STORE of a new keyword that matches nothing still announces the keyword', () => {
    const c = session();
    expect(c.lines('c1 UID STORE 100 +FLAGS (newkw)')).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft newkw)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft newkw \\*)] Flags permitted.',
      'c1 OK Store completed',
    ]);
  });

  it('UIDs that were expunged: the same OK once the expunge is known', () => {
    const c = session();
    c.cmd('c1 STORE 1 +FLAGS (\\Deleted)');
    c.cmd('c2 EXPUNGE');
    expect(c.cmd('c3 UID COPY 1 Other')).toBe('c3 OK No messages found\r\n');
    expect(c.cmd('c4 UID MOVE 1,100 Other')).toBe('c4 OK No messages found\r\n');
    expect(c.cmd('c5 UID FETCH 1 (FLAGS)')).toBe('c5 OK Fetch completed\r\n');
  });
});

describe('sets that are no sets', () => {
  it('UID commands say "Invalid uidset", plain ones "Invalid messageset"', () => {
    const c = session();
    expect(c.cmd('c1 UID FETCH 0 FLAGS')).toBe(
      'c1 BAD Error in IMAP command UID FETCH: Invalid uidset (at octet 13)\r\n',
    );
    expect(c.cmd('c2 UID STORE 0 +FLAGS (\\Seen)')).toBe(
      'c2 BAD Error in IMAP command UID STORE: Invalid uidset (at octet 13)\r\n',
    );
    expect(c.cmd('c3 UID COPY 1:0 Other')).toBe(
      'c3 BAD Error in IMAP command UID COPY: Invalid uidset (at octet 12)\r\n',
    );
    expect(c.cmd('c4 UID MOVE abc Other')).toBe(
      'c4 BAD Error in IMAP command UID MOVE: Invalid uidset (at octet 12)\r\n',
    );
    expect(c.cmd('c5 UID EXPUNGE 0')).toBe(
      'c5 BAD Error in IMAP command UID EXPUNGE: Invalid uidset (at octet 15)\r\n',
    );
    expect(c.cmd('c6 UID SEARCH UID 0')).toBe(
      'c6 BAD Error in IMAP command UID SEARCH: Invalid UID messageset (at octet 18)\r\n',
    );
    expect(c.cmd('c7 SEARCH UID 0')).toBe(
      'c7 BAD Error in IMAP command SEARCH: Invalid UID messageset (at octet 14)\r\n',
    );
    expect(c.cmd('c8 SEARCH 0')).toBe(
      'c8 BAD Error in IMAP command SEARCH: Invalid messageset (at octet 10)\r\n',
    );
    // A sequence number beyond the mailbox is no set either (RFC 9051 §9: seq-number).
    expect(c.cmd('c9 COPY 100 Other')).toBe('c9 BAD Error in IMAP command COPY: Invalid messageset\r\n');
    expect(c.cmd('d1 COPY 100 "bad//name"')).toBe(
      'd1 BAD Error in IMAP command COPY: Invalid messageset\r\n',
    );
  });
});
