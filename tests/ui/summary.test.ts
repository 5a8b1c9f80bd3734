import { describe, expect, it } from 'vitest';
import { createLabStore, LAB_USER } from '../../src/mail/fixtures';
import { summarize } from '../../src/mail/mime';
import { toCrlf } from '../../src/mail/store';
import { cardSummary, headerField } from '../../src/ui/summary';

/** What the cards showed when they used the full MIME summary. */
function fromFullSummary(raw: string) {
  const s = summarize(raw);
  const name = s.from.replace(/\s*<[^>]*>\s*$/, '').replace(/^"(.*)"$/, '$1');
  return { subject: s.subject || '(no subject)', from: name || s.fromAddress || '(unknown sender)' };
}

describe('cardSummary (header block only)', () => {
  it('gives every lab message the same subject and sender as the full MIME summary', () => {
    const store = createLabStore();
    const messages = store.getMailbox(LAB_USER, 'INBOX')!.messages;
    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const m of messages) expect(cardSummary(m.raw)).toEqual(fromFullSummary(m.raw));
  });

  it.each([
    ['Subject: =?UTF-8?B?w4dhIHZh?=\nFrom: "Cheshire Cat" <cat@x.example>\n\nbody', 'Ça va', 'Cheshire Cat'],
    [
      'subject: folded\n  line\nFROM: rabbit@w.example\n\nSubject: not a header',
      'folded  line',
      'rabbit@w.example',
    ],
    ['X: y\n\nSubject: in the body', '(no subject)', '(unknown sender)'],
    [
      'Subject: =?ISO-8859-1?Q?Caf=E9_?=\n =?UTF-8?B?4pyT?= done\nFrom: =?UTF-8?Q?Dodo_=F0=9F=90=A6?= <d@x.example>\n\n',
      'Café ✓ done',
      'Dodo 🐦',
    ],
    ['From: alice@x.example (Alice in comment)\n\n', '(no subject)', 'alice@x.example'],
    ['From: "Hatter, Mad" <h@x.example>, other@x.example\n\n', '(no subject)', 'Hatter, Mad'],
  ])('%j', (text, subject, from) => {
    const raw = toCrlf(text);
    expect(cardSummary(raw)).toEqual({ subject, from });
  });

  it('names the first member of a group as the sender (a card has room for one)', () => {
    expect(cardSummary(toCrlf('From: Friends: a@b.example, c@d.example;\n\n')).from).toBe('a@b.example');
  });

  it('reads only the header block and unfolds fields', () => {
    expect(headerField(toCrlf('A: 1\n b\n\nA: 2'), 'A')).toBe('1 b');
    expect(headerField(toCrlf('A: 1\n\tb\n\n'), 'A')).toBe('1\tb');
    expect(headerField(toCrlf('B: 1\n\nA: 2'), 'A')).toBeNull();
  });
});
