import { describe, expect, it } from 'vitest';
import { MailStore } from '../../src/mail/store';

describe('MailStore', () => {
  it('gives each new account INBOX and the special-use folders', () => {
    const s = new MailStore();
    s.addAccount('alice', 'wonderland');
    expect(s.listMailboxes('alice').map((m) => [m.name, m.specialUse])).toEqual([
      ['INBOX', null],
      ['Drafts', '\\Drafts'],
      ['Sent', '\\Sent'],
      ['Trash', '\\Trash'],
      ['Archive', '\\Archive'],
      ['Junk', '\\Junk'],
    ]);
  });

  it('gives an account INBOX alone with folders: inbox, and it can create the others', () => {
    const s = new MailStore();
    s.addAccount('alice', 'wonderland', { folders: 'inbox' });
    expect(s.listMailboxes('alice').map((m) => [m.name, m.specialUse])).toEqual([['INBOX', null]]);
    expect(s.subscriptions('alice')).toEqual([]);
    expect(() => s.deliver('alice', 'Archive', 'a\r\n')).toThrow(/does not exist/);
    s.createMailbox('alice', 'Archive');
    expect(s.getMailbox('alice', 'Archive')).toMatchObject({ specialUse: null, messages: [] });
  });

  it('gives every copy of one COPY the same MODSEQ, one above the HIGHESTMODSEQ of the target', () => {
    const s = new MailStore({ now: () => 0 });
    s.addAccount('alice', 'x', { folders: 'inbox' });
    for (const raw of ['a\r\n', 'b\r\n', 'c\r\n']) s.deliver('alice', 'INBOX', raw);
    s.createMailbox('alice', 'Archive');
    expect(s.copy('alice', 'INBOX', [1, 2, 3], 'Archive')).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const archive = s.getMailbox('alice', 'Archive')!;
    expect(archive.messages.map((m) => m.modseq)).toEqual([2, 2, 2]);
    expect(archive.highestModSeq).toBe(2);
    s.deliver('alice', 'Archive', 'd\r\n');
    expect(archive.highestModSeq).toBe(3);
  });

  it('hands out ascending UIDs that are never reused after an expunge', () => {
    const s = new MailStore({ now: () => 0 });
    s.addAccount('alice', 'x');
    const a = s.deliver('alice', 'INBOX', 'a\r\n');
    const b = s.deliver('alice', 'inbox', 'b\r\n');
    s.expunge('alice', 'INBOX', [b.uid]);
    const c = s.deliver('alice', 'INBOX', 'c\r\n');
    expect([a.uid, b.uid, c.uid]).toEqual([1, 2, 3]);
    expect(s.getMailbox('alice', 'INBOX')!.uidNext).toBe(4);
  });

  it('announces only real flag changes, with the origin', () => {
    const s = new MailStore();
    s.addAccount('alice', 'x');
    s.deliver('alice', 'INBOX', 'a\r\n');
    const events: unknown[] = [];
    s.subscribe((e) => events.push(e));
    expect(s.setFlags('alice', 'INBOX', [1], 'add', ['\\seen'], 'pop3-1')).toEqual([1]);
    expect(s.setFlags('alice', 'INBOX', [1], 'add', ['\\Seen'])).toEqual([]);
    expect(events).toMatchObject([{ type: 'flags.changed', uid: 1, flags: ['\\Seen'], origin: 'pop3-1' }]);
  });

  it('keeps subscriptions by name and the list order of every level', () => {
    const s = new MailStore();
    s.addAccount('alice', 'x');
    expect(s.subscriptions('alice')).toEqual(['Drafts', 'Sent', 'Trash', 'Archive', 'Junk']);
    s.createMailbox('alice', 'a/b');
    s.setSubscribed('alice', 'a/b', true);
    s.renameMailbox('alice', 'a/b', 'c/d');
    expect(s.isSubscribed('alice', 'a/b')).toBe(true);
    expect(s.isSubscribed('alice', 'c/d')).toBe(false);
    expect(s.listOrder('alice')).toEqual(['INBOX', 'Drafts', 'Sent', 'Trash', 'Archive', 'Junk', 'c', 'c/d']);
    expect(() => s.setSubscribed('alice', 'Nope', true)).toThrow(/does not exist/);
  });

  it('reads data saved with a subscribed flag per mailbox and no list order', () => {
    const s = new MailStore();
    s.addAccount('alice', 'x', { folders: 'inbox' });
    s.createMailbox('alice', 'Work/2025');
    const old = s.toJSON() as unknown as {
      accounts: { subscriptions?: string[]; listOrder?: string[]; mailboxes: { subscribed?: boolean }[] }[];
    };
    delete old.accounts[0].subscriptions;
    delete old.accounts[0].listOrder;
    old.accounts[0].mailboxes[0].subscribed = false;
    old.accounts[0].mailboxes[1].subscribed = true;
    const again = MailStore.fromJSON(old);
    expect(again.subscriptions('alice')).toEqual(['Work/2025']);
    expect(again.listOrder('alice')).toEqual(['INBOX', 'Work', 'Work/2025']);
    expect(again.listMailboxes('alice')[1]).not.toHaveProperty('subscribed');
  });

  it('round-trips through JSON and rejects corrupt data', () => {
    const s = new MailStore({ now: () => 5 });
    s.addAccount('alice', 'x');
    s.deliver('alice', 'INBOX', 'Subject: hi\r\n\r\nbody\r\n', { flags: ['\\Flagged'] });
    const again = MailStore.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(again.toJSON()).toEqual(s.toJSON());
    const bad = s.toJSON();
    bad.accounts[0].mailboxes[0].messages[0].uid = 99;
    expect(() => MailStore.fromJSON(bad)).toThrow(/UIDs must ascend/);
    expect(() => MailStore.fromJSON('nope')).toThrow(/not an object/);
  });
});
