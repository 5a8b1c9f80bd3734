// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { renderDevice, renderMailbox } from '../../src/viz/cards';
import { createLabScene } from '../../src/viz/scene';
import type { MessageCard } from '../../src/viz/types';

const card = (uid: number, extra: Partial<MessageCard> = {}): MessageCard => ({
  id: `INBOX:${uid}`,
  uid,
  number: uid,
  subject: `Subject ${uid}`,
  from: `sender${uid}@example.org`,
  size: 1000 + uid,
  seen: false,
  retrieved: false,
  marked: false,
  ...extra,
});

let server: HTMLOListElement;
let laptop: HTMLOListElement;

beforeEach(() => {
  document.body.innerHTML = '<ol id="server"></ol><ol id="laptop"></ol>';
  server = document.getElementById('server') as HTMLOListElement;
  laptop = document.getElementById('laptop') as HTMLOListElement;
});

const ids = (root: HTMLElement) =>
  [...root.querySelectorAll<HTMLElement>('li.card')].map((li) => li.dataset.id);

describe('renderMailbox', () => {
  it('draws one card per message, keyed by mailbox and UID, in maildrop order', async () => {
    await renderMailbox(server, { cards: [card(1), card(2), card(5)] });
    expect(ids(server)).toEqual(['INBOX:1', 'INBOX:2', 'INBOX:5']);
    const first = server.querySelector('li.card')!;
    expect(first.querySelector('.card-number')!.textContent).toBe('1');
    expect(first.querySelector('.card-subject')!.textContent).toBe('Subject 1');
    expect(first.querySelector('.card-size')!.textContent).toBe('1,001 octets');
    expect(first.getAttribute('aria-label')).toContain(', new');
  });

  it('keeps the same element for the same message when it changes (DELE marks it, RSET unmarks)', async () => {
    await renderMailbox(server, { cards: [card(1), card(2)] });
    const before = server.querySelector('[data-id="INBOX:1"]');
    await renderMailbox(server, { cards: [card(1, { marked: true }), card(2)] });
    const marked = server.querySelector('[data-id="INBOX:1"]')!;
    expect(marked).toBe(before);
    expect(marked.classList.contains('marked')).toBe(true);
    expect(marked.querySelector('.card-tag')!.textContent).toBe('marked for deletion');
    await renderMailbox(server, { cards: [card(1), card(2)] });
    expect(marked.classList.contains('marked')).toBe(false);
  });

  it('shows a retrieved message as seen', async () => {
    await renderMailbox(server, { cards: [card(1, { seen: true })] });
    const li = server.querySelector('li.card')!;
    expect(li.classList.contains('seen')).toBe(true);
    expect(li.querySelector('.card-tag')!.textContent).toBe('seen');
  });

  it('removes marked cards that are gone (UPDATE) once their exit animation ends', async () => {
    await renderMailbox(server, { cards: [card(1, { marked: true }), card(2)] });
    const leaving = renderMailbox(server, { cards: [card(2)] }, { duration: 5 });
    expect(server.querySelector('[data-id="INBOX:1"]')!.classList.contains('leaving')).toBe(true);
    await leaving;
    expect(ids(server)).toEqual(['INBOX:2']);
  });

  it('renders subjects as text, never as HTML', async () => {
    await renderMailbox(server, { cards: [card(1, { subject: '<img src=x onerror="alert(1)">' })] });
    expect(server.querySelector('img')).toBeNull();
    expect(server.querySelector('.card-subject')!.textContent).toBe('<img src=x onerror="alert(1)">');
  });
});

describe('renderDevice', () => {
  it('adds a copy for each retrieved message and keeps it when the server copy is gone', async () => {
    const copy = { id: 'INBOX:1', subject: 'Subject 1', from: 'a@b', size: 10 };
    await renderMailbox(server, { cards: [card(1)] });
    await renderDevice(laptop, { cards: [copy] }, { source: server, duration: 5 });
    expect(ids(laptop)).toEqual(['INBOX:1']);
    expect((laptop.querySelector('li.card') as HTMLElement).style.opacity).toBe('1');
    // The ghost used for the flight is cleaned up.
    expect(document.querySelector('.card-ghost')).toBeNull();
    await renderMailbox(server, { cards: [] });
    expect(ids(laptop)).toEqual(['INBOX:1']);
  });
});

describe('createLabScene', () => {
  it('catches up with the newest picture and reset draws at once', async () => {
    const scene = createLabScene({ server, laptop }, { duration: () => 5 });
    const copy = { id: 'INBOX:1', subject: 'Subject 1', from: 'a@b', size: 10 };
    void scene.update({ server: { cards: [card(1), card(2)] }, laptop: { cards: [] } });
    void scene.update({ server: { cards: [card(1, { seen: true }), card(2)] }, laptop: { cards: [copy] } });
    await scene.update({
      server: { cards: [card(1, { seen: true, marked: true }), card(2)] },
      laptop: { cards: [copy] },
    });
    expect(ids(laptop)).toEqual(['INBOX:1']);
    expect(server.querySelector('[data-id="INBOX:1"]')!.classList.contains('marked')).toBe(true);

    await scene.reset({ server: { cards: [card(1), card(2), card(3)] }, laptop: { cards: [] } });
    expect(ids(server)).toEqual(['INBOX:1', 'INBOX:2', 'INBOX:3']);
    expect(ids(laptop)).toEqual([]);
    expect(server.querySelector('.marked')).toBeNull();
  });
});
