/**
 * LIST-STATUS (RFC 5819), as Dovecot 2.3.19 answers it (measured over TCP; the replay is
 * tests/transcripts/dovecot/list-status.txt).
 */
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/protocol/imap/capabilities';
import { loggedIn, setup } from './harness';

const session = () => {
  const { open } = setup({ folders: 'inbox', asServe: true });
  const c = loggedIn(open);
  c.cmd('a CREATE Archive');
  c.cmd('b CREATE Work/Projects');
  c.cmd('c CREATE "a b"');
  return { c, open };
};

describe('LIST ... RETURN (STATUS (...))', () => {
  it('is advertised', () => {
    expect(CAPABILITIES).toContain('LIST-STATUS');
    const c = loggedIn(setup().open);
    expect(c.cmd('a CAPABILITY')).toContain(' LIST-EXTENDED ESEARCH LIST-STATUS BINARY ');
  });

  it('sends a STATUS line after each selectable mailbox, none for a \\NonExistent parent', () => {
    const { c } = session();
    expect(c.lines('d LIST "" "*" RETURN (STATUS (MESSAGES UNSEEN))')).toEqual([
      '* LIST () "/" "a b"',
      '* STATUS "a b" (MESSAGES 0 UNSEEN 0)',
      '* LIST (\\NonExistent) "/" Work',
      '* LIST () "/" Work/Projects',
      '* STATUS Work/Projects (MESSAGES 0 UNSEEN 0)',
      '* LIST () "/" Archive',
      '* STATUS Archive (MESSAGES 0 UNSEEN 0)',
      '* LIST () "/" INBOX',
      '* STATUS INBOX (MESSAGES 6 UNSEEN 6)',
      'd OK List completed',
    ]);
  });

  it("answers the items in Dovecot's order; the last STATUS option counts; other options mix in", () => {
    const { c } = session();
    expect(c.lines('d LIST "" "INBOX" RETURN (STATUS (SIZE UNSEEN UIDNEXT RECENT MESSAGES))')).toEqual([
      '* LIST () "/" INBOX',
      '* STATUS INBOX (MESSAGES 6 RECENT 6 UIDNEXT 7 UNSEEN 6 SIZE 2948)',
      'd OK List completed',
    ]);
    expect(c.lines('e LIST "" "%" RETURN (STATUS (MESSAGES) STATUS (UNSEEN))')).toEqual([
      '* LIST () "/" "a b"',
      '* STATUS "a b" (UNSEEN 0)',
      '* LIST (\\NonExistent) "/" Work',
      '* LIST () "/" Archive',
      '* STATUS Archive (UNSEEN 0)',
      '* LIST () "/" INBOX',
      '* STATUS INBOX (UNSEEN 6)',
      'e OK List completed',
    ]);
    expect(c.lines('f LIST "" "Work*" RETURN (CHILDREN status (messages))')).toEqual([
      '* LIST (\\NonExistent \\HasChildren) "/" Work',
      '* LIST (\\HasNoChildren) "/" Work/Projects',
      '* STATUS Work/Projects (MESSAGES 0)',
      'f OK List completed',
    ]);
    expect(c.lines('g LIST "" ("inbox" "Archive") RETURN (STATUS (UIDNEXT))')).toEqual([
      '* LIST () "/" Archive',
      '* STATUS Archive (UIDNEXT 1)',
      '* LIST () "/" INBOX',
      '* STATUS INBOX (UIDNEXT 7)',
      'g OK List completed',
    ]);
    expect(c.lines('h LIST "" "nothere" RETURN (STATUS (MESSAGES))')).toEqual(['h OK List completed']);
    expect(c.lines('i LIST "Work" "" RETURN (STATUS (MESSAGES))')).toEqual([
      '* LIST (\\NonExistent) "/" Work',
      'i OK List completed',
    ]);
  });

  it('with (SUBSCRIBED): only subscribed mailboxes that exist, not a CHILDINFO parent', () => {
    const { c } = session();
    c.cmd('d SUBSCRIBE Work/Projects');
    c.cmd('e SUBSCRIBE INBOX');
    expect(c.lines('f LIST (SUBSCRIBED) "" "*" RETURN (STATUS (MESSAGES))')).toEqual([
      '* LIST (\\Subscribed) "/" Work/Projects',
      '* STATUS Work/Projects (MESSAGES 0)',
      '* LIST (\\Subscribed) "/" INBOX',
      '* STATUS INBOX (MESSAGES 6)',
      'f OK List completed',
    ]);
    expect(c.lines('g LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (STATUS (MESSAGES))')).toEqual([
      '* LIST (\\NonExistent) "/" Work (CHILDINFO ("SUBSCRIBED"))',
      '* LIST (\\Subscribed) "/" INBOX',
      '* STATUS INBOX (MESSAGES 6)',
      'g OK List completed',
    ]);
    c.cmd('h DELETE Work/Projects');
    expect(c.lines('i LIST (SUBSCRIBED) "" "*" RETURN (STATUS (MESSAGES))')).toEqual([
      '* LIST (\\Subscribed \\NonExistent) "/" Work/Projects',
      '* LIST (\\Subscribed) "/" INBOX',
      '* STATUS INBOX (MESSAGES 6)',
      'i OK List completed',
    ]);
  });

  it("refuses what is wrong in Dovecot's words", () => {
    const { c } = session();
    const bad = (ret: string) => c.cmd(`z LIST "" "*" RETURN ${ret}`).replace(/ \(at octet \d+\)/, '');
    expect(bad('(STATUS ())')).toBe('z BAD Error in IMAP command LIST: Empty status list\r\n');
    expect(bad('(STATUS (BOGUS))')).toBe('z BAD Error in IMAP command LIST: Invalid status item BOGUS\r\n');
    expect(bad('(STATUS)')).toBe('z BAD Error in IMAP command LIST: Unknown return options\r\n');
    expect(bad('(STATUS MESSAGES)')).toBe('z BAD Error in IMAP command LIST: Unknown return options\r\n');
    expect(bad('(BOGUS)')).toBe('z BAD Error in IMAP command LIST: Unknown return options\r\n');
    expect(bad('(STATUS (MESSAGES (UNSEEN)))')).toBe(
      'z BAD Error in IMAP command LIST: Status list contains non-atoms\r\n',
    );
    expect(bad('STATUS')).toBe('z BAD Error in IMAP command LIST: Extra arguments\r\n');
    // The same item list as STATUS.
    expect(c.cmd('y STATUS INBOX ()')).toBe(
      'y BAD Error in IMAP command STATUS: Empty status list (at octet 15)\r\n',
    );
    expect(c.cmd('y STATUS INBOX (BOGUS)')).toBe(
      'y BAD Error in IMAP command STATUS: Invalid status item BOGUS (at octet 16)\r\n',
    );
    expect(c.cmd('y STATUS INBOX MESSAGES')).toBe(
      'y BAD Error in IMAP command STATUS: Invalid arguments (at octet 15)\r\n',
    );
  });

  it('counts the selected mailbox as the session knows it, without [CLIENTBUG]', () => {
    const { c } = session();
    c.cmd('d SELECT INBOX');
    c.cmd('e STORE 1 +FLAGS (\\Seen)');
    expect(c.lines('f LIST "" "INBOX" RETURN (STATUS (MESSAGES RECENT UNSEEN UIDNEXT))')).toEqual([
      '* LIST () "/" INBOX',
      '* STATUS INBOX (MESSAGES 6 RECENT 6 UIDNEXT 7 UNSEEN 5)',
      'f OK List completed',
    ]);
  });

  it('HIGHESTMODSEQ turns CONDSTORE on at the first STATUS line, not when nothing is listed', () => {
    const { c } = session();
    c.cmd('d SELECT INBOX');
    expect(c.lines('e LIST "" "nothere" RETURN (STATUS (HIGHESTMODSEQ))')).toEqual(['e OK List completed']);
    expect(c.lines('f STORE 2 +FLAGS (\\Seen)')).toEqual([
      '* 2 FETCH (FLAGS (\\Seen \\Recent))',
      'f OK Store completed',
    ]);
    expect(c.lines('g LIST "" "*" RETURN (STATUS (HIGHESTMODSEQ MESSAGES))')).toEqual([
      '* LIST () "/" "a b"',
      '* OK [HIGHESTMODSEQ 3] Highest',
      '* STATUS "a b" (MESSAGES 0 HIGHESTMODSEQ 1)',
      '* LIST (\\NonExistent) "/" Work',
      '* LIST () "/" Work/Projects',
      '* STATUS Work/Projects (MESSAGES 0 HIGHESTMODSEQ 1)',
      '* LIST () "/" Archive',
      '* STATUS Archive (MESSAGES 0 HIGHESTMODSEQ 1)',
      '* LIST () "/" INBOX',
      '* STATUS INBOX (MESSAGES 6 HIGHESTMODSEQ 3)',
      'g OK List completed',
    ]);
    expect(c.lines('h STORE 3 +FLAGS (\\Seen)')).toEqual([
      '* 3 FETCH (MODSEQ (4) FLAGS (\\Seen \\Recent))',
      'h OK Store completed',
    ]);
  });
});
