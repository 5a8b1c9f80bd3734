import { describe, expect, it } from 'vitest';
import {
  createLabStore,
  generateMessages,
  LAB_FOLDERS,
  LAB_INBOX,
  LAB_PASSWORD,
  LAB_USER,
} from '../../src/mail/fixtures';
import { parseMime, summarize, walkParts } from '../../src/mail/mime';

const isCrlfOnly = (raw: string) => !/\r(?!\n)|(?<!\r)\n/.test(raw);

describe('the lab mailbox', () => {
  const store = createLabStore();
  const inbox = store.getMailbox(LAB_USER, 'INBOX')!;

  it('holds a dozen messages for alice/wonderland with UIDs 1..12 in date order', () => {
    expect(store.checkPassword('alice', 'wonderland')).toBe(true);
    expect(LAB_PASSWORD).toBe('wonderland');
    expect(inbox.messages.map((m) => m.uid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const dates = inbox.messages.map((m) => m.internalDate);
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    expect(new Set(dates).size).toBe(12);
    expect(inbox.messages.every((m) => m.flags.length === 0)).toBe(true);
  });

  it('stores CRLF-only bytes, each message with a parsable Date and a unique Message-ID', () => {
    const ids = new Set<string>();
    for (const m of inbox.messages) {
      expect(isCrlfOnly(m.raw)).toBe(true);
      expect(/[^\x00-\xff]/.test(m.raw)).toBe(false);
      const s = summarize(m.raw);
      expect(s.dateMs).not.toBeNull();
      expect(s.from).not.toBe('');
      ids.add(s.messageId!);
    }
    expect(ids.size).toBe(12);
  });

  it('covers what the lessons need: alternative, attachment, forward, non-ASCII subject, dot lines', () => {
    const raws = inbox.messages.map((m) => m.raw);
    const types = raws.map((r) => walkParts(parseMime(r)).map((p) => p.contentType.mediaType));
    expect(types.some((t) => t.includes('multipart/alternative'))).toBe(true);
    expect(types.some((t) => t.includes('message/rfc822'))).toBe(true);
    expect(raws.filter((r) => summarize(r).hasAttachments).length).toBeGreaterThanOrEqual(2);
    expect(raws.some((r) => /\r\n\.\r\n/.test(r))).toBe(true);
    expect(raws.some((r) => /\r\n\.\.[^\r]/.test(r))).toBe(true);
    expect(summarize(raws[3]).subject).toBe('Ça va? Je suis le chat qui sourit');
    expect(summarize(raws[3]).from).toBe('Cheshire Cat 😺 <cat@cheshire.example>');
    expect(summarize(raws[3]).preview).toMatch(
      /^Bonjour Alice, Tu demandes quel chemin prendre \? Cela dépend/,
    );
    expect(summarize(raws[11]).preview).toContain('façade');
    // Sizes vary, so LIST and STAT show something worth reading.
    const sizes = raws.map((r) => r.length);
    expect(Math.max(...sizes)).toBeGreaterThan(3 * Math.min(...sizes));
  });

  it('fills Sent and Archive too, and can be built around imported messages instead', () => {
    expect(store.getMailbox(LAB_USER, 'Sent')!.messages).toHaveLength(LAB_FOLDERS.Sent.length);
    expect(store.getMailbox(LAB_USER, 'Archive')!.messages[0].flags).toEqual(['\\Seen', '\\Flagged']);
    const custom = createLabStore({
      user: 'bob',
      password: 'pw',
      inbox: [{ raw: 'Subject: x\r\n\r\nhi\r\n', internalDate: 5 }],
    });
    expect(custom.users()).toEqual(['bob']);
    expect(custom.checkPassword('bob', 'pw')).toBe(true);
    expect(custom.getMailbox('bob', 'INBOX')!.messages.map((m) => m.internalDate)).toEqual([5]);
    expect(custom.getMailbox('bob', 'Sent')!.messages).toHaveLength(0);
  });

  it('gives every store its own copy (a session in one lab cannot change another)', () => {
    const a = createLabStore();
    const b = createLabStore();
    a.expunge(LAB_USER, 'INBOX', [1]);
    expect(b.getMailbox(LAB_USER, 'INBOX')!.messages).toHaveLength(LAB_INBOX.length);
  });
});

describe('generateMessages', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateMessages(50, 7)).toEqual(generateMessages(50, 7));
    expect(generateMessages(50, 8)[0].raw).not.toBe(generateMessages(50, 7)[0].raw);
  });

  it('makes realistic, varied, well-formed messages in date order', () => {
    const list = generateMessages(400, 42);
    expect(list).toHaveLength(400);
    const sizes = list.map((m) => m.raw.length);
    expect(Math.min(...sizes)).toBeLessThan(1000);
    expect(Math.max(...sizes)).toBeGreaterThan(20000);
    let multipart = 0;
    let attachments = 0;
    let last = 0;
    for (const m of list) {
      expect(isCrlfOnly(m.raw)).toBe(true);
      expect(m.internalDate).toBeGreaterThan(last);
      last = m.internalDate;
      const root = parseMime(m.raw);
      if (root.children.length) multipart++;
      const s = summarize(m.raw);
      if (s.hasAttachments) attachments++;
      expect(s.subject.length).toBeGreaterThan(0);
      expect(s.dateMs).not.toBeNull();
    }
    expect(multipart).toBeGreaterThan(80);
    expect(attachments).toBeGreaterThan(20);
    expect(list.some((m) => summarize(m.raw).subject !== m.raw.match(/Subject: (.*)\r\n/)![1])).toBe(true);
  });
});
