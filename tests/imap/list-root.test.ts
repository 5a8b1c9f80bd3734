/**
 * LIST with an empty mailbox pattern (RFC 3501 §6.3.8, RFC 9051 §6.3.9): the hierarchy
 * delimiter and the root name of the reference, as Dovecot 2.3.19 answers it (measured over
 * TCP; the replay is tests/transcripts/dovecot/list-root.txt).
 */
import { describe, expect, it } from 'vitest';
import { rootName } from '../../src/protocol/imap/commands/list';
import { loggedIn, setup } from './harness';

const session = () => {
  const c = loggedIn(setup({ folders: 'inbox' }).open);
  c.cmd('a CREATE Work/Projects');
  return c;
};

describe('rootName', () => {
  it('is the reference up to its first delimiter, or ""', () => {
    expect(rootName('')).toBe('');
    expect(rootName('Work')).toBe('');
    expect(rootName('Work/')).toBe('Work/');
    expect(rootName('Work/Projects')).toBe('Work/');
    expect(rootName('foo/bar/baz')).toBe('foo/');
    expect(rootName('/Work')).toBe('/');
    expect(rootName('#news.comp.mail')).toBe('');
  });
});

describe('LIST reference ""', () => {
  it('answers one \\Noselect line with the root name, and lists no mailbox', () => {
    const c = session();
    const root = (ref: string) => c.lines(`r LIST ${ref} ""`);
    expect(root('""')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK List completed']);
    expect(root('Work')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK List completed']);
    expect(root('Work/')).toEqual(['* LIST (\\Noselect) "/" Work/', 'r OK List completed']);
    expect(root('Work/Projects')).toEqual(['* LIST (\\Noselect) "/" Work/', 'r OK List completed']);
    expect(root('Work/Projects/')).toEqual(['* LIST (\\Noselect) "/" Work/', 'r OK List completed']);
    expect(root('INBOX')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK List completed']);
    expect(root('inbox')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK List completed']);
    expect(root('"/"')).toEqual(['* LIST (\\Noselect) "/" /', 'r OK List completed']);
    expect(root('"/Work"')).toEqual(['* LIST (\\Noselect) "/" /', 'r OK List completed']);
    expect(root('foo/bar/baz')).toEqual(['* LIST (\\Noselect) "/" foo/', 'r OK List completed']);
    expect(root('nothere')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK List completed']);
    expect(root('"*"')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK List completed']);
  });

  it('writes the root name as Dovecot writes mailbox names: an atom when it can', () => {
    const c = session();
    expect(c.lines('r LIST "a b/c" ""')[0]).toBe('* LIST (\\Noselect) "/" "a b/"');
    expect(c.lines('r LIST "%/x" ""')[0]).toBe('* LIST (\\Noselect) "/" "%/"');
    expect(c.lines('r LIST "x\\"y/z" ""')[0]).toBe('* LIST (\\Noselect) "/" "x\\"y/"');
    expect(c.lines('r LIST "~" ""')[0]).toBe('* LIST (\\Noselect) "/" ""');
  });

  it('extended LIST and LSUB have no root line: the reference is matched as a name', () => {
    const c = session();
    expect(c.lines('r LIST (SUBSCRIBED) "" ""')).toEqual(['r OK List completed']);
    expect(c.lines('r LIST "" "" RETURN (CHILDREN)')).toEqual(['r OK List completed']);
    expect(c.lines('r LIST "" ("")')).toEqual(['r OK List completed']);
    expect(c.lines('r LIST "Work" ("" "*")')).toEqual([
      '* LIST (\\NonExistent) "/" Work',
      '* LIST () "/" Work/Projects',
      'r OK List completed',
    ]);
    expect(c.lines('r LIST "Work" "" RETURN (CHILDREN)')).toEqual([
      '* LIST (\\NonExistent \\HasChildren) "/" Work',
      'r OK List completed',
    ]);
    expect(c.lines('r LSUB "" ""')).toEqual(['r OK Lsub completed']);
    c.cmd('s SUBSCRIBE Work/Projects');
    expect(c.lines('r LSUB "Work/Projects" ""')).toEqual([
      '* LSUB () "/" Work/Projects',
      'r OK Lsub completed',
    ]);
  });
});

describe('LSUB and an unsubscribed parent (RFC 3501 §6.3.9)', () => {
  it('lists it \\Noselect only when the pattern ends with "%", as Dovecot does', () => {
    const c = session();
    c.cmd('s SUBSCRIBE Work/Projects');
    const lsub = (ref: string, pattern: string) => c.lines(`r LSUB ${ref} ${pattern}`).slice(0, -1);
    for (const [ref, pattern] of [
      ['""', '"Wor%"'],
      ['""', '"Work%"'],
      ['""', '"%"'],
      ['"Wo"', '"r%"'],
    ])
      expect(lsub(ref, pattern)).toEqual(['* LSUB (\\Noselect) "/" Work']);
    for (const [ref, pattern] of [
      ['""', '"Work"'],
      ['""', '"W*k"'],
      ['"Work"', '""'],
      ['"Wo"', '"rk"'],
    ])
      expect(lsub(ref, pattern)).toEqual([]);
    c.cmd('t CREATE X/Y/Z');
    c.cmd('u SUBSCRIBE X/Y/Z');
    expect(lsub('""', '"X/%"')).toEqual(['* LSUB (\\Noselect) "/" X/Y']);
    expect(lsub('""', '"X/Y"')).toEqual([]);
    expect(lsub('""', '"%/Y"')).toEqual([]);
    // LIST (SUBSCRIBED RECURSIVEMATCH) lists the parent with CHILDINFO whatever the pattern.
    expect(c.lines('v LIST (SUBSCRIBED RECURSIVEMATCH) "" "Work"')[0]).toBe(
      '* LIST (\\NonExistent) "/" Work (CHILDINFO ("SUBSCRIBED"))',
    );
  });
});
