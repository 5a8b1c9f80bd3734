/**
 * \Recent and STATUS RECENT in IMAP4rev1 sessions (RFC 3501 §2.3.2, §6.3.10), and what STATUS
 * and the other mailbox-list commands leave for later, as Dovecot 2.3.19 does them (measured over
 * TCP; the replays are tests/transcripts/dovecot/recent.txt and status-selected.txt).
 */
import { describe, expect, it } from 'vitest';
import { loggedIn, setup } from './harness';

const two = () => {
  const { open } = setup({ folders: 'inbox', asServe: true });
  return { a: loggedIn(open), b: loggedIn(open) };
};

describe('\\Recent', () => {
  it('STATUS RECENT counts the messages no session has seen; EXAMINE takes none of them', () => {
    const { a, b } = two();
    expect(a.lines('a1 STATUS INBOX (RECENT MESSAGES)')).toEqual([
      '* STATUS INBOX (MESSAGES 6 RECENT 6)',
      'a1 OK Status completed',
    ]);
    expect(a.cmd('a2 EXAMINE INBOX')).toContain('* 6 RECENT\r\n');
    expect(a.lines('a3 FETCH 1:2 FLAGS')).toEqual([
      '* 1 FETCH (FLAGS (\\Recent))',
      '* 2 FETCH (FLAGS (\\Recent))',
      'a3 OK Fetch completed',
    ]);
    expect(a.lines('a4 STATUS INBOX (RECENT)')).toEqual([
      '* STATUS INBOX (RECENT 6)',
      'a4 OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
    expect(b.lines('b1 STATUS INBOX (RECENT)')).toEqual([
      '* STATUS INBOX (RECENT 6)',
      'b1 OK Status completed',
    ]);
  });

  it('the first read-write session takes them: others see RECENT 0 and no \\Recent flag', () => {
    const { a, b } = two();
    expect(a.cmd('a1 SELECT INBOX')).toContain('* 6 RECENT\r\n');
    expect(b.lines('b1 STATUS INBOX (RECENT)')).toEqual([
      '* STATUS INBOX (RECENT 0)',
      'b1 OK Status completed',
    ]);
    expect(b.cmd('b2 SELECT INBOX')).toContain('* 0 RECENT\r\n');
    expect(b.lines('b3 FETCH 1 FLAGS')).toEqual(['* 1 FETCH (FLAGS ())', 'b3 OK Fetch completed']);
    // A message b appends while it has INBOX selected is b's.
    expect(b.lines('b4 APPEND INBOX {5}')).toEqual(['+ OK']);
    expect(b.lines('hello')).toEqual(['* 7 EXISTS', '* 1 RECENT', 'b4 OK [APPENDUID 1 7] Append completed']);
    expect(b.lines('b5 STATUS INBOX (RECENT MESSAGES)')).toEqual([
      '* STATUS INBOX (MESSAGES 7 RECENT 1)',
      'b5 OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
    // a keeps its six; the new one is not a's.
    expect(a.lines('a2 NOOP')).toEqual(['* 7 EXISTS', 'a2 OK NOOP completed.']);
    expect(a.lines('a3 STATUS INBOX (RECENT)')).toEqual([
      '* STATUS INBOX (RECENT 6)',
      'a3 OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
    expect(a.lines('a4 SEARCH RECENT')).toEqual(['* SEARCH 1 2 3 4 5 6', 'a4 OK Search completed']);
    expect(a.lines('a5 STORE 1 FLAGS (\\Seen)')).toEqual([
      '* 1 FETCH (FLAGS (\\Seen \\Recent))',
      'a5 OK Store completed',
    ]);
    // Closing gives nothing back: once seen, never recent again.
    a.cmd('a6 CLOSE');
    expect(a.lines('a7 STATUS INBOX (RECENT)')).toEqual([
      '* STATUS INBOX (RECENT 0)',
      'a7 OK Status completed',
    ]);
    expect(a.cmd('a8 SELECT INBOX')).toContain('* 0 RECENT\r\n');
  });

  it('COPY and APPEND into a mailbox nobody has open: recent for whoever opens it first', () => {
    const { a, b } = two();
    a.cmd('a1 CREATE Other');
    a.cmd('a2 SELECT INBOX');
    a.lines('a3 APPEND Other {5}');
    a.cmd('hello');
    a.cmd('a4 COPY 1:2 Other');
    expect(a.lines('a5 STATUS Other (RECENT MESSAGES)')).toEqual([
      '* STATUS Other (MESSAGES 3 RECENT 3)',
      'a5 OK Status completed',
    ]);
    expect(b.lines('b1 STATUS Other (RECENT MESSAGES)')).toEqual([
      '* STATUS Other (MESSAGES 3 RECENT 3)',
      'b1 OK Status completed',
    ]);
    expect(b.cmd('b2 EXAMINE Other')).toContain('* 3 RECENT\r\n');
    expect(b.cmd('b3 SELECT Other')).toContain('* 3 RECENT\r\n');
    b.cmd('b4 UNSELECT');
    expect(b.cmd('b5 SELECT Other')).toContain('* 0 RECENT\r\n');
  });
});

describe('STATUS on the selected mailbox, and commands that do not sync it', () => {
  it("STATUS, LIST and the like leave other sessions' changes for the next command that syncs", () => {
    const { a, b } = two();
    a.cmd('a1 SELECT INBOX');
    b.cmd('b1 SELECT INBOX');
    b.cmd('b2 STORE 1 +FLAGS (\\Seen)');
    expect(a.lines('a2 STATUS INBOX (MESSAGES)')).toEqual([
      '* STATUS INBOX (MESSAGES 6)',
      'a2 OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
    expect(a.lines('a3 LIST "" "*"')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', 'a3 OK List completed']);
    expect(a.lines('a4 LIST "" "*" RETURN (STATUS (MESSAGES))')).toEqual([
      '* LIST () "/" INBOX',
      '* STATUS INBOX (MESSAGES 6)',
      'a4 OK List completed',
    ]);
    expect(a.lines('a5 LSUB "" "*"')).toEqual(['a5 OK Lsub completed']);
    expect(a.lines('a6 NAMESPACE')).toEqual(['* NAMESPACE (("" "/")) NIL NIL', 'a6 OK Namespace completed.']);
    expect(a.lines('a7 CAPABILITY')[1]).toBe('a7 OK Capability completed.');
    expect(a.lines('a8 CREATE Foo')).toEqual(['a8 OK Create completed']);
    expect(a.lines('a9 SUBSCRIBE Foo')).toEqual(['a9 OK Subscribe completed']);
    expect(a.lines('c1 UNSUBSCRIBE Foo')).toEqual(['c1 OK Unsubscribe completed']);
    expect(a.lines('c2 ID NIL')[1]).toBe('c2 OK ID completed.');
    expect(a.lines('c3 RENAME Foo Bar')).toEqual(['c3 OK Rename completed']);
    expect(a.lines('c4 DELETE Bar')).toEqual(['c4 OK Delete completed']);
    expect(a.lines('c5 ENABLE CONDSTORE')).toEqual([
      '* OK [HIGHESTMODSEQ 3] Highest',
      '* ENABLED CONDSTORE',
      'c5 OK Enabled',
    ]);
    expect(a.lines('c6 CHECK')).toEqual([
      '* 1 FETCH (MODSEQ (3) FLAGS (\\Seen \\Recent))',
      'c6 OK Check completed.',
    ]);
  });

  it('counts the mailbox as the session knows it until then; APPEND elsewhere syncs it', () => {
    const { store, open } = setup({ folders: 'inbox', asServe: true });
    store.createMailbox('alice', 'Other');
    const a = loggedIn(open);
    const b = loggedIn(open);
    a.cmd('a1 SELECT INBOX');
    b.lines('b1 APPEND INBOX {5}');
    b.cmd('hello');
    b.cmd('b2 SELECT INBOX');
    b.cmd('b3 STORE 2 +FLAGS (\\Seen \\Deleted)');
    b.cmd('b4 EXPUNGE');
    b.cmd('b5 STORE 1 +FLAGS (\\Seen)');
    // a was told of 6 messages, all recent for it, the next UID 7: so it is answered. (UNSEEN
    // and HIGHESTMODSEQ read the messages as they are now, as Dovecot does for these ones.)
    expect(a.lines('a2 STATUS INBOX (MESSAGES RECENT UIDNEXT)')).toEqual([
      '* STATUS INBOX (MESSAGES 6 RECENT 6 UIDNEXT 7)',
      'a2 OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
    expect(a.lines('a3 LIST "" "INBOX" RETURN (STATUS (MESSAGES RECENT UIDNEXT))')).toEqual([
      '* LIST () "/" INBOX',
      '* STATUS INBOX (MESSAGES 6 RECENT 6 UIDNEXT 7)',
      'a3 OK List completed',
    ]);
    expect(a.lines('a4 APPEND Other {5}')).toEqual(['+ OK']);
    expect(a.lines('hello')).toEqual([
      '* 1 FETCH (FLAGS (\\Seen \\Recent))',
      '* 2 EXPUNGE',
      '* 6 EXISTS',
      '* 5 RECENT',
      'a4 OK [APPENDUID 2 1] Append completed',
    ]);
    expect(a.lines('a5 STATUS INBOX (MESSAGES RECENT UIDNEXT UNSEEN)')).toEqual([
      '* STATUS INBOX (MESSAGES 6 RECENT 5 UIDNEXT 8 UNSEEN 5)',
      'a5 OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
    // Another mailbox, or the same one from a session that has not selected it: the store's counts.
    a.cmd('a6 SELECT Other');
    expect(a.lines('a7 STATUS INBOX (MESSAGES RECENT)')).toEqual([
      '* STATUS INBOX (MESSAGES 6 RECENT 0)',
      'a7 OK Status completed',
    ]);
  });
});
