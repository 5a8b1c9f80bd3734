/**
 * An account that starts with INBOX alone (`--folders inbox`), against the replies of a stock
 * Dovecot 2.3 (maildir, "/" separator) measured with tests/imap/tools/tcp-diff.ts.
 */
import { describe, expect, it } from 'vitest';
import { loggedIn, setup } from './harness';

const inbox = () => loggedIn(setup({ folders: 'inbox' }).open);
const names = (lines: string[]) =>
  lines.filter((l) => l.startsWith('* LIST')).map((l) => l.split(' ').at(-1));

describe('RENAME', () => {
  it('a renamed mailbox lists as the newest, its children with it, in their order', () => {
    const c = inbox();
    for (const n of ['x', 'x/1', 'x/2', 'y']) c.cmd(`a CREATE ${n}`);
    expect(names(c.lines('b LIST "" *'))).toEqual(['y', 'x', 'x/2', 'x/1', 'INBOX']);
    expect(c.cmd('c RENAME x z')).toBe('c OK Rename completed\r\n');
    expect(names(c.lines('d LIST "" *'))).toEqual(['z', 'z/2', 'z/1', 'y', 'INBOX']);
    c.cmd('e CREATE p/a');
    c.cmd('e CREATE p/b');
    c.cmd('e CREATE p/c');
    c.cmd('f RENAME p/a p/a2');
    expect(names(c.lines('g LIST "" p*'))).toEqual(['p', 'p/a2', 'p/c', 'p/b']);
  });

  it('checks a move under itself first, then the source, then the target', () => {
    const c = inbox();
    c.cmd('a CREATE Ex');
    expect(c.cmd('b RENAME Nope Nope/x')).toBe("b NO Can't rename mailbox under its own child\r\n");
    expect(c.cmd('c RENAME INBOX INBOX/x')).toBe("c NO Can't rename mailbox under its own child\r\n");
    expect(c.cmd('d RENAME Nope INBOX')).toBe("d NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n");
    expect(c.cmd('e RENAME Nope Ex')).toBe("e NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n");
    expect(c.cmd('f RENAME Ex Ex')).toBe("f NO [ALREADYEXISTS] Can't rename mailbox to itself\r\n");
    expect(c.cmd('g RENAME Ex INBOX')).toBe('g NO [ALREADYEXISTS] Target mailbox already exists\r\n');
    expect(c.cmd('h RENAME Ex ex/sub')).toBe('h OK Rename completed\r\n');
  });
});

describe('LIST order', () => {
  it('a level the old and new names share keeps its place; an emptied level goes', () => {
    const c = inbox();
    c.cmd('a CREATE a/b');
    c.cmd('b CREATE m');
    c.cmd('c RENAME a/b a/c');
    // "a" (no mailbox, only a parent) is older than m and stays so.
    expect(names(c.lines('d LIST "" *'))).toEqual(['m', 'a', 'a/c', 'INBOX']);
    c.cmd('e DELETE a/c');
    c.cmd('f CREATE a/d');
    expect(names(c.lines('g LIST "" *'))).toEqual(['a', 'a/d', 'm', 'INBOX']);
  });
});

describe('subscriptions', () => {
  it('belong to the name: they outlive DELETE and RENAME, and UNSUBSCRIBE drops them', () => {
    const c = inbox();
    for (const n of ['p/q/r', 'p', 's', 's/t']) c.cmd(`a CREATE ${n}`);
    for (const n of ['p/q/r', 's', 's/t']) c.cmd(`b SUBSCRIBE ${n}`);
    expect(c.cmd('c DELETE s/t')).toBe('c OK Delete completed\r\n');
    expect(c.lines('d LSUB "" *')).toEqual([
      '* LSUB () "/" p/q/r',
      '* LSUB () "/" s',
      '* LSUB () "/" s/t',
      'd OK Lsub completed',
    ]);
    expect(c.lines('e LIST (SUBSCRIBED) "" *')).toEqual([
      '* LIST (\\Subscribed) "/" p/q/r',
      '* LIST (\\Subscribed) "/" s',
      '* LIST (\\Subscribed \\NonExistent) "/" s/t',
      'e OK List completed',
    ]);
    // RETURN (SUBSCRIBED) lists mailboxes, not subscriptions.
    expect(c.lines('f LIST "" * RETURN (SUBSCRIBED)')).toEqual([
      '* LIST (\\Subscribed) "/" s',
      '* LIST () "/" p',
      '* LIST (\\NonExistent) "/" p/q',
      '* LIST (\\Subscribed) "/" p/q/r',
      '* LIST () "/" INBOX',
      'f OK List completed',
    ]);
    c.cmd('g RENAME p/q/r p/q/z');
    expect(c.lines('h LIST (SUBSCRIBED) "" p*')).toEqual([
      '* LIST (\\Subscribed \\NonExistent) "/" p/q/r',
      'h OK List completed',
    ]);
    expect(c.cmd('i UNSUBSCRIBE s/t')).toBe('i OK Unsubscribe completed\r\n');
    expect(c.cmd('j UNSUBSCRIBE p/q/r')).toBe('j OK Unsubscribe completed\r\n');
    expect(c.lines('k LSUB "" *')).toEqual(['* LSUB () "/" s', 'k OK Lsub completed']);
    expect(c.cmd('l SUBSCRIBE s/t')).toBe("l NO Mailbox doesn't exist: s/t\r\n");
  });

  it('list in subscription order; a % parent takes its first subscribed child’s place', () => {
    const c = inbox();
    for (const n of ['m', 'z', 'a', 'k/x', 'B']) c.cmd(`a CREATE ${n}`);
    for (const n of ['z', 'a', 'k/x', 'm', 'B', 'INBOX']) c.cmd(`b SUBSCRIBE ${n}`);
    expect(names(c.lines('c LIST (SUBSCRIBED) "" *'))).toEqual(['z', 'a', 'k/x', 'm', 'B', 'INBOX']);
    expect(c.lines('d LSUB "" %')).toEqual([
      '* LSUB () "/" z',
      '* LSUB () "/" a',
      '* LSUB (\\Noselect) "/" k',
      '* LSUB () "/" m',
      '* LSUB () "/" B',
      '* LSUB () "/" INBOX',
      'd OK Lsub completed',
    ]);
  });

  it('RECURSIVEMATCH lists parents of subscribed names with CHILDINFO (RFC 5258 §3.5)', () => {
    const c = inbox();
    for (const n of ['p/q/r', 'p', 's', 's/t']) c.cmd(`a CREATE ${n}`);
    for (const n of ['p/q/r', 's', 's/t']) c.cmd(`b SUBSCRIBE ${n}`);
    expect(c.cmd('c LIST (RECURSIVEMATCH) "" %')).toBe(
      'c BAD Error in IMAP command LIST: RECURSIVEMATCH must not be the only selection\r\n',
    );
    expect(c.lines('d LIST (SUBSCRIBED RECURSIVEMATCH) "" *')).toEqual([
      '* LIST (\\Subscribed) "/" p/q/r',
      '* LIST (\\Subscribed) "/" s (CHILDINFO ("SUBSCRIBED"))',
      '* LIST (\\Subscribed) "/" s/t',
      'd OK List completed',
    ]);
    expect(c.lines('e LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (CHILDREN)')).toEqual([
      '* LIST (\\HasChildren) "/" p (CHILDINFO ("SUBSCRIBED"))',
      '* LIST (\\Subscribed \\HasChildren) "/" s (CHILDINFO ("SUBSCRIBED"))',
      'e OK List completed',
    ]);
    expect(c.lines('f LIST (SUBSCRIBED RECURSIVEMATCH) "" p/%')).toEqual([
      '* LIST (\\NonExistent) "/" p/q (CHILDINFO ("SUBSCRIBED"))',
      'f OK List completed',
    ]);
    // Without RECURSIVEMATCH the parents are not listed.
    expect(c.lines('g LIST (SUBSCRIBED) "" %')).toEqual([
      '* LIST (\\Subscribed) "/" s',
      'g OK List completed',
    ]);
  });

  it('a list of patterns is extended LIST: no attributes unless RETURN asks', () => {
    const c = inbox();
    c.cmd('a CREATE p');
    c.cmd('a CREATE p/q');
    expect(c.lines('b LIST "" (INBOX p)')).toEqual([
      '* LIST () "/" p',
      '* LIST () "/" INBOX',
      'b OK List completed',
    ]);
    expect(c.lines('c LIST "" (p) RETURN (CHILDREN)')).toEqual([
      '* LIST (\\HasChildren) "/" p',
      'c OK List completed',
    ]);
  });
});

describe('XLIST', () => {
  it('is answered as LIST, as Dovecot 2.3 does (not advertised)', () => {
    const c = inbox();
    c.cmd('a CREATE a/b');
    expect(c.lines('b XLIST "" *')).toEqual(c.lines('c LIST "" *').map((l) => l.replace(/^c /, 'b ')));
    expect(c.lines('d XLIST "" * RETURN (CHILDREN)')).toContain('* LIST (\\NonExistent \\HasChildren) "/" a');
  });
});
