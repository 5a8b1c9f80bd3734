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
