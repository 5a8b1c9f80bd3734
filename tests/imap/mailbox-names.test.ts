/**
 * Mailbox names a client gives, checked as Dovecot 2.3 checks them (maildir, "/" separator;
 * measured with tests/imap/tools/tcp-diff.ts): which names are refused, with which response
 * code, in every command that takes one.
 */
import { describe, expect, it } from 'vitest';
import { isValidMutf7, mailboxNameError } from '../../src/protocol/imap/mailbox-names';
import { loggedIn, setup } from './harness';

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it('accepts printable ASCII, "&-" and base64 runs of non-ASCII characters', () => {
    for (const ok of ['Archive', 'a b', '&-', 'R&AOk-sum&AOk-', '&AOQ-', '~x', 'x%y', '&2D3eAA-'])
      expect(isValidMutf7(ok), ok).toBe(true);
  });
  it('refuses 8-bit and control octets, an unclosed or empty run, directly encodable characters, bad UTF-16', () => {
    for (const bad of ['\xe4', '\xc3\xa4', 't\tx', '&', '&AOQ', '&AGE-', '&A-', '&AO!-', '&2D0-', '&3gA-'])
      expect(isValidMutf7(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('mailboxNameError', () => {
  it('words the problems as Dovecot does', () => {
    expect(mailboxNameError('', false)).toEqual({
      text: 'Invalid mailbox name: Name is empty',
      code: 'CANNOT',
    });
    expect(mailboxNameError('/a', false)?.text).toBe('Invalid mailbox name: Begins with hierarchy separator');
    expect(mailboxNameError('a//b', false)?.text).toBe(
      'Invalid mailbox name: Has adjacent hierarchy separators',
    );
    expect(mailboxNameError('a/', false)?.text).toBe('Invalid mailbox name: Ends with hierarchy separator');
    expect(mailboxNameError('~x', false)?.text).toBe("Invalid mailbox name: Begins with '~'");
    expect(mailboxNameError('&', false)).toEqual({ text: 'Mailbox name is not valid mUTF-7' });
    for (const ok of ['INBOX', 'a/~x', 'x%y', 'x*y', 'a\\b', ' sp', 'a/ /b'])
      expect(mailboxNameError(ok, false)).toBeNull();
  });
  it('leaves the encoding alone for IMAP4rev2 sessions (UTF-8 names)', () => {
    expect(mailboxNameError('\xc3\xa4', true)).toBeNull();
    expect(mailboxNameError('', true)?.code).toBe('CANNOT');
  });
});

describe('names in commands (--folders inbox as with special-use)', () => {
  const c = () => loggedIn(setup().open, 'INBOX');

  it('CREATE: NO [CANNOT] for a bad shape, plain NO for bad mUTF-7; a trailing separator is dropped; % and * are allowed', () => {
    const s = c();
    expect(s.cmd('a CREATE ""')).toBe('a NO [CANNOT] Invalid mailbox name: Name is empty\r\n');
    expect(s.cmd('b CREATE /')).toBe('b NO [CANNOT] Invalid mailbox name: Name is empty\r\n');
    expect(s.cmd('c CREATE a//')).toBe(
      'c NO [CANNOT] Invalid mailbox name: Ends with hierarchy separator\r\n',
    );
    expect(s.cmd('d CREATE a///')).toBe(
      'd NO [CANNOT] Invalid mailbox name: Has adjacent hierarchy separators\r\n',
    );
    expect(s.cmd('e CREATE ~home')).toBe("e NO [CANNOT] Invalid mailbox name: Begins with '~'\r\n");
    expect(s.cmd('f CREATE &')).toBe('f NO Mailbox name is not valid mUTF-7\r\n');
    expect(s.cmd('g CREATE "t\tx"')).toBe('g NO Mailbox name is not valid mUTF-7\r\n');
    expect(s.cmd('h CREATE x%y')).toBe('h OK Create completed\r\n');
    expect(s.cmd('i CREATE x*y')).toBe('i OK Create completed\r\n');
    expect(s.cmd('j CREATE lead/')).toBe('j OK Create completed\r\n');
    expect(s.cmd('k CREATE INBOX/')).toBe('k NO [ALREADYEXISTS] Mailbox already exists\r\n');
    expect(s.cmd(`l CREATE ${'m'.repeat(256)}`)).toBe('l NO [CANNOT] Mailbox name too long\r\n');
    expect(s.cmd(`m CREATE ${'n'.repeat(254)}`)).toBe('m OK Create completed\r\n');
    expect(s.lines('n LIST "" x*')).toEqual([
      '* LIST (\\HasNoChildren) "/" "x*y"',
      '* LIST (\\HasNoChildren) "/" "x%y"',
      'n OK List completed',
    ]);
  });

  it('every other command refuses a bad name the same way, before looking the mailbox up', () => {
    const s = c();
    const cannot = 'NO [CANNOT] Invalid mailbox name: Has adjacent hierarchy separators';
    expect(s.cmd('a DELETE a//b')).toBe(`a ${cannot}\r\n`);
    expect(s.cmd('b STATUS a//b (MESSAGES)')).toBe(`b ${cannot}\r\n`);
    expect(s.cmd('c UNSUBSCRIBE a//b')).toBe(`c ${cannot}\r\n`);
    expect(s.cmd('d RENAME a//b x')).toBe(`d ${cannot}\r\n`);
    expect(s.cmd('e RENAME Sent a//b')).toBe(`e ${cannot}\r\n`);
    expect(s.cmd('f COPY 1 a//b')).toBe(`f ${cannot}\r\n`);
    expect(s.cmd('g MOVE 1 a//b')).toBe(`g ${cannot}\r\n`);
    // APPEND is refused before the message is asked for.
    expect(s.cmd('h APPEND a//b {5}')).toBe(`h ${cannot}\r\n`);
    expect(s.cmd('i APPEND & {5}')).toBe('i NO Mailbox name is not valid mUTF-7\r\n');
    // SUBSCRIBE looks only at the encoding: a badly shaped name "doesn't exist".
    expect(s.cmd('j SUBSCRIBE a//b')).toBe("j NO Mailbox doesn't exist: a//b\r\n");
    expect(s.cmd('k SUBSCRIBE &')).toBe('k NO Mailbox name is not valid mUTF-7\r\n');
    // DELETE of the empty name is Dovecot's own sentence.
    expect(s.cmd('l DELETE ""')).toBe("l NO [CANNOT] Storage root can't be deleted\r\n");
    // A failed SELECT still closes the selected mailbox.
    expect(s.lines('m EXAMINE ~x')).toEqual([
      '* OK [CLOSED] Previous mailbox closed.',
      "m NO [CANNOT] Invalid mailbox name: Begins with '~'",
    ]);
  });
});
