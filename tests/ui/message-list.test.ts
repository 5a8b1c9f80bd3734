// @vitest-environment jsdom
/**
 * The D3 message list: a keyed join (items keep their element across updates), the state words
 * a screen reader and a test read, per-item buttons, and exits that wait for the step's flights.
 */
import { describe, expect, it } from 'vitest';
import { renderMessageList } from '../../src/viz/message-list';
import type { MessageItem, MessageListViewModel } from '../../src/viz/types';

const item = (key: string, subject: string, extra: Partial<MessageItem> = {}): MessageItem => ({
  key,
  messageId: `${key}@lab.example`,
  subject,
  from: 'Bob',
  size: 1136,
  unread: true,
  flagged: false,
  tags: [],
  ...extra,
});

const vm = (items: MessageItem[], actions = true): MessageListViewModel => ({
  items,
  total: items.length,
  actions,
  moveTargets: ['Archive'],
});

function list(): HTMLOListElement {
  return document.body.appendChild(document.createElement('ol'));
}

describe('renderMessageList', () => {
  it('draws one item per message with its words and buttons; text is never HTML', async () => {
    const ol = list();
    await renderMessageList(
      ol,
      vm([item('d1', 'Tea party'), item('d2', '<b>bold</b>', { flagged: true, unread: false })]),
      { duration: 0 },
    );
    const lis = [...ol.querySelectorAll('li')];
    expect(lis.map((li) => li.dataset.key)).toEqual(['d1', 'd2']);
    expect(lis[0].textContent).toContain('Tea party');
    expect(lis[0].textContent).toContain('unread');
    expect(lis[0].textContent).not.toContain('flagged');
    expect(lis[0].textContent).toContain('1,136 octets');
    expect(lis[1].textContent).toContain('flagged');
    expect(lis[1].textContent).not.toContain('unread');
    expect(lis[1].querySelector('b')).toBeNull();
    const names = (li: Element) =>
      [...li.querySelectorAll('button')].map((b) => b.getAttribute('aria-label'));
    // The subject is a button too (it opens the message): its name is its text.
    expect(names(lis[0])).toEqual([null, 'Mark read', 'Flag', 'Delete', 'Move']);
    expect(names(lis[1])).toEqual([null, 'Mark unread', 'Unflag', 'Delete', 'Move']);
    expect(lis[0].querySelector('button.item-subject')!.textContent).toBe('Tea party');
    // The buttons' names are not part of the item's text (so "unread" means what it says).
    expect(lis[1].textContent).not.toMatch(/Mark|Unflag/);
  });

  it('keeps each element across updates (keyed), reorders, and drops leavers', async () => {
    const ol = list();
    await renderMessageList(ol, vm([item('a', 'A'), item('b', 'B'), item('c', 'C')]), { duration: 0 });
    const b = ol.querySelector('[data-key="b"]');
    await renderMessageList(ol, vm([item('c', 'C'), item('b', 'B', { unread: false })]), { duration: 0 });
    expect([...ol.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['c', 'b']);
    expect(ol.querySelector('[data-key="b"]')).toBe(b);
    expect(b!.classList.contains('unread')).toBe(false);
  });

  it('leaves an unchanged item alone (its text nodes stay: nothing to lay out again)', async () => {
    const ol = list();
    const tag = { text: 'copies: Phone', tone: 'device' } as const;
    await renderMessageList(ol, vm([item('a', 'A', { tags: [tag] }), item('b', 'B')]), { duration: 0 });
    const text = (key: string) => ol.querySelector(`[data-key="${key}"] .item-subject`)!.firstChild;
    const a = text('a');
    const b = text('b');
    // Equal items in new objects (every step builds new view-models): same nodes.
    await renderMessageList(ol, vm([item('a', 'A', { tags: [{ ...tag }] }), item('b', 'B2')]), {
      duration: 0,
    });
    expect(text('a')).toBe(a);
    expect(text('b')).not.toBe(b);
    expect(ol.querySelector('[data-key="b"] .item-subject')!.textContent).toBe('B2');
    // A tag's tooltip alone is a change too.
    await renderMessageList(ol, vm([item('a', 'A', { tags: [{ ...tag, title: 'Devices' }] })]), {
      duration: 0,
    });
    expect(ol.querySelector('[data-key="a"] .tag')!.getAttribute('title')).toBe('Devices');
  });

  it('with motion, leavers stay (marked, hidden from assistive tech) until the flights land', async () => {
    const ol = list();
    await renderMessageList(ol, vm([item('INBOX:1', 'One'), item('INBOX:2', 'Two')], false), { duration: 0 });
    let land!: () => void;
    const wait = new Promise<void>((r) => (land = r));
    const done = renderMessageList(ol, vm([item('INBOX:2', 'Two')], false), {
      duration: 10,
      wait,
      markedThisStep: new Set(['INBOX:1']),
    });
    const leaving = ol.querySelector('[data-key="INBOX:1"]')!;
    expect(leaving.classList.contains('leaving')).toBe(true);
    expect(leaving.classList.contains('marked')).toBe(true);
    expect(leaving.getAttribute('aria-hidden')).toBe('true');
    land();
    await done;
    expect(ol.querySelector('[data-key="INBOX:1"]')).toBeNull();
  });

  it('calls back with the key and action; Move hands its button for the menu', async () => {
    const ol = list();
    const calls: string[] = [];
    await renderMessageList(ol, vm([item('d1', 'One')]), {
      duration: 0,
      onAction: (key, action, button) => calls.push(`${key} ${action} ${button.tagName}`),
    });
    for (const b of ol.querySelectorAll('button')) b.click();
    expect(calls).toEqual([
      'd1 open BUTTON',
      'd1 read BUTTON',
      'd1 flag BUTTON',
      'd1 delete BUTTON',
      'd1 move BUTTON',
    ]);
  });
});
