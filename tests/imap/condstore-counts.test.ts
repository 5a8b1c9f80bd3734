/**
 * HIGHESTMODSEQ and MODSEQ as Dovecot 2.3.19 counts and reports them (RFC 7162), measured over
 * TCP; the replays are tests/transcripts/dovecot/condstore-counts.txt and condstore-tracking.txt.
 * Mailboxes start as `npm run serve` loads them: HIGHESTMODSEQ 2, every message at MODSEQ 2.
 */
import { describe, expect, it } from 'vitest';
import { loggedIn, setup } from './harness';

const world = () => {
  const { store, open } = setup({ folders: 'inbox', asServe: true });
  return { store, open: () => loggedIn(open) };
};
const highest = (lines: string[]) => lines.find((l) => l.includes('HIGHESTMODSEQ'));

describe('one change, one MODSEQ', () => {
  it('STORE, EXPUNGE, MOVE, APPEND count one each; a STORE that changes nothing none', () => {
    const c = world().open();
    c.cmd('a ENABLE CONDSTORE');
    c.cmd('b CREATE Other');
    expect(c.lines('c STATUS Other (HIGHESTMODSEQ)')[0]).toBe('* STATUS Other (HIGHESTMODSEQ 1)');
    expect(highest(c.lines('d SELECT INBOX'))).toBe('* OK [HIGHESTMODSEQ 2] Highest');
    expect(c.lines('e STORE 1 +FLAGS (\\Seen)')[0]).toBe('* 1 FETCH (MODSEQ (3) FLAGS (\\Seen \\Recent))');
    expect(c.lines('f STORE 1 +FLAGS (\\Seen)')).toEqual(['f OK Store completed']);
    c.cmd('g STORE 2 +FLAGS (\\Deleted)');
    c.cmd('h EXPUNGE');
    expect(c.lines('i STATUS INBOX (HIGHESTMODSEQ MESSAGES)')[0]).toBe(
      '* STATUS INBOX (MESSAGES 5 HIGHESTMODSEQ 5)',
    );
    c.cmd('j MOVE 1 Other');
    expect(c.lines('k STATUS INBOX (HIGHESTMODSEQ)')[0]).toBe('* STATUS INBOX (HIGHESTMODSEQ 6)');
    expect(c.lines('l STATUS Other (HIGHESTMODSEQ)')[0]).toBe('* STATUS Other (HIGHESTMODSEQ 2)');
    c.lines('m APPEND INBOX {5}');
    c.cmd('hello');
    expect(c.lines('n STATUS INBOX (HIGHESTMODSEQ)')[0]).toBe('* STATUS INBOX (HIGHESTMODSEQ 7)');
  });

  it('a FETCH that sets \\Seen is one change, told in a MODSEQ FETCH after the data', () => {
    const c = world().open();
    c.cmd('a SELECT INBOX (CONDSTORE)');
    expect(c.lines('b FETCH 1:2 BODY[HEADER.FIELDS (SUBJECT)]')).toEqual([
      '* 1 FETCH (FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {28}',
      'Subject: Lunch tomorrow?',
      '',
      ')',
      '* 2 FETCH (FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {50}',
      'Subject: =?UTF-8?Q?Caf=C3=A9_plans_=E2=98=95?=',
      '',
      ')',
      '* 1 FETCH (MODSEQ (3))',
      '* 2 FETCH (MODSEQ (3))',
      'b OK Fetch completed',
    ]);
    // MODSEQ asked for: the one the message had when the FETCH began.
    expect(c.lines('c FETCH 3 (MODSEQ BODY[HEADER.FIELDS (SUBJECT)])')).toEqual([
      '* 3 FETCH (MODSEQ (2) FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {35}',
      'Subject: Report with attachment',
      '',
      ')',
      '* 3 FETCH (MODSEQ (4))',
      'c OK Fetch completed',
    ]);
    // Already \Seen, or a peek: no change, no MODSEQ line.
    expect(c.lines('d FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])').at(-2)).toBe(')');
    expect(c.lines('e FETCH 4 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])').at(-2)).toBe(')');
    expect(c.lines('f FETCH 4 RFC822.HEADER').at(-2)).toBe(')');
    // A UID FETCH: with the UID, as RFC 9051 §6.4.9 wants (Dovecot 2.3 writes MODSEQ alone).
    expect(c.lines('g UID FETCH 5 BODY[HEADER.FIELDS (SUBJECT)]').slice(-2)).toEqual([
      '* 5 FETCH (UID 5 MODSEQ (5))',
      'g OK Fetch completed',
    ]);
    expect(c.lines('h STATUS INBOX (HIGHESTMODSEQ)')[0]).toBe('* STATUS INBOX (HIGHESTMODSEQ 5)');
  });

  it('without CONDSTORE the FETCH is the same change, with no MODSEQ line', () => {
    const { open } = world();
    const c = open();
    c.cmd('a SELECT INBOX');
    expect(
      c.lines('b FETCH 1:2 (BODY.PEEK[HEADER] BODY[TEXT]<0.1>)').filter((l) => l.includes('MODSEQ')),
    ).toEqual([]);
    expect(c.lines('c STATUS INBOX (HIGHESTMODSEQ)')).toEqual([
      '* OK [HIGHESTMODSEQ 3] Highest',
      '* STATUS INBOX (HIGHESTMODSEQ 3)',
      'c OK [CLIENTBUG] Status on selected mailbox completed',
    ]);
  });
});

describe('ENABLE CONDSTORE', () => {
  it('with a mailbox selected says its HIGHESTMODSEQ first; again, lists it again', () => {
    const c = world().open();
    c.cmd('a SELECT INBOX');
    expect(c.lines('b ENABLE CONDSTORE')).toEqual([
      '* OK [HIGHESTMODSEQ 2] Highest',
      '* ENABLED CONDSTORE',
      'b OK Enabled',
    ]);
    expect(c.lines('c ENABLE CONDSTORE')).toEqual(['* ENABLED CONDSTORE', 'c OK Enabled']);
    expect(c.lines('d ENABLE CONDSTORE CONDSTORE FOO')).toEqual([
      '* ENABLED CONDSTORE CONDSTORE',
      'd OK Enabled',
    ]);
    expect(c.lines('e ENABLE FOO')).toEqual(['e OK Enabled']);
  });

  it("says what the session knows when the mailbox is tracked, the mailbox's own when not yet", () => {
    const { open } = world();
    const a = open();
    const b = open();
    // INBOX is tracked once a CONDSTORE session selected it.
    a.cmd('a1 ENABLE CONDSTORE');
    a.cmd('a2 SELECT INBOX');
    b.cmd('b1 SELECT INBOX');
    a.cmd('a3 STORE 1 +FLAGS (\\Flagged)');
    expect(b.lines('b2 ENABLE CONDSTORE')[0]).toBe('* OK [HIGHESTMODSEQ 2] Highest');
    expect(b.lines('b3 NOOP')).toEqual(['* 1 FETCH (MODSEQ (3) FLAGS (\\Flagged))', 'b3 OK NOOP completed.']);
    // Other is not (only created, appended to by a session without CONDSTORE): enabling there
    // counts the changes not yet reported too.
    a.cmd('a4 CREATE Other');
    const c = open();
    c.cmd('c1 SELECT Other');
    const d = open();
    d.lines('d1 APPEND Other {5}');
    d.cmd('hello');
    expect(c.lines('c2 ENABLE CONDSTORE')[0]).toBe('* OK [HIGHESTMODSEQ 2] Highest');
  });
});

describe('a mailbox a CONDSTORE session opened keeps saying HIGHESTMODSEQ', () => {
  it('SELECT, STATUS, LIST-STATUS, COPY and APPEND start it; CREATE does not', () => {
    const { open } = world();
    const a = open();
    for (const n of ['O1', 'O2', 'O3', 'O4', 'O5', 'O9']) a.cmd(`c CREATE ${n}`);
    a.cmd('d ENABLE CONDSTORE');
    a.cmd('e CREATE O8');
    a.cmd('f STATUS O1 (MESSAGES)');
    a.cmd('g STATUS O2 (HIGHESTMODSEQ)');
    a.cmd('h LIST "" O3 RETURN (STATUS (MESSAGES))');
    a.lines('i APPEND O5 {5}');
    a.cmd('hello');
    a.cmd('j SELECT INBOX');
    a.cmd('k COPY 1 O4');
    const b = open();
    const said = (name: string) => highest(b.lines(`x EXAMINE ${name}`));
    expect(said('O1')).toBe('* OK [HIGHESTMODSEQ 1] Highest');
    expect(said('O2')).toBe('* OK [HIGHESTMODSEQ 1] Highest');
    expect(said('O3')).toBe('* OK [HIGHESTMODSEQ 1] Highest');
    expect(said('O4')).toBe('* OK [HIGHESTMODSEQ 2] Highest');
    expect(said('O5')).toBe('* OK [HIGHESTMODSEQ 2] Highest');
    expect(said('INBOX')).toBe('* OK [HIGHESTMODSEQ 2] Highest');
    expect(said('O8')).toBeUndefined();
    expect(said('O9')).toBeUndefined();
    // The session itself has no CONDSTORE: its FETCHes carry no MODSEQ.
    b.cmd('y SELECT INBOX');
    expect(b.lines('z STORE 1 +FLAGS (\\Draft)')[0]).toBe('* 1 FETCH (FLAGS (\\Draft))');
  });

  it('a session without CONDSTORE starts nothing', () => {
    const { open } = world();
    const a = open();
    a.cmd('a SELECT INBOX');
    a.cmd('b STATUS INBOX (MESSAGES)');
    expect(highest(open().lines('c SELECT INBOX'))).toBeUndefined();
  });
});
