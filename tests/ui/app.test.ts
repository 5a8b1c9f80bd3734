// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import App from '../../src/ui/App.svelte';
import { runtime } from '../../src/ui/runtime';

let app: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
});

async function start() {
  const target = document.body.appendChild(document.createElement('div'));
  app = mount(App, { target, props: { runtime: Promise.resolve(runtime), animationMs: 0, monaco: false } });
  await tick();
  await Promise.resolve();
  flushSync();
  // The session badge arrives in its own chunk once the engine is there.
  for (let i = 0; i < 100 && !document.querySelector('[data-testid="session-state"]'); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
}

const input = () => document.querySelector<HTMLInputElement>('input[aria-label="Command"]')!;
const log = () => document.querySelector('[role="log"]')!;
const lines = () => [...log().querySelectorAll('.line')].map((l) => l.textContent!.trim());

function type(line: string) {
  const el = input();
  el.value = line;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  flushSync();
}

describe('App (jsdom)', () => {
  it('shows the account, the greeting and the session state', async () => {
    await start();
    expect(document.querySelector('[aria-label="Lab account"]')!.textContent).toContain('USER alice');
    expect(lines()[0]).toMatch(/^S: \+OK /);
    expect(document.querySelector('[data-testid="session-state"]')!.textContent).toBe('AUTHORIZATION');
  });

  it('sends typed commands and shows the exchange; Up recalls the last command', async () => {
    await start();
    type('USER alice');
    type('PASS wonderland');
    expect(lines().slice(1)).toEqual([
      'C: USER alice',
      expect.stringMatching(/^S: \+OK/),
      'C: PASS wonderland',
      expect.stringMatching(/^S: \+OK/),
    ]);
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    flushSync();
    expect(input().value).toBe('PASS wonderland');
  });

  it('folds a long reply but keeps every line in the page', async () => {
    await start();
    type('USER alice');
    type('PASS wonderland');
    type('RETR 1');
    const toggle = log().querySelector<HTMLButtonElement>('button.toggle')!;
    expect(toggle.textContent).toMatch(/more lines/);
    const fold = log().querySelector<HTMLElement>('.fold')!;
    expect(fold.hidden).toBe(true);
    expect(fold.querySelectorAll('.line').length).toBeGreaterThan(0);
    expect(lines().at(-1)).toBe('S: .');
    toggle.click();
    flushSync();
    expect(fold.hidden).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('renders a hostile line as text', async () => {
    await start();
    type('<img src=x onerror="window.hacked=1">');
    expect(log().querySelector('img')).toBeNull();
    expect(lines()).toContain('C: <img src=x onerror="window.hacked=1">');
  });

  it('queues a command typed before the engine arrives and sends it when it does', async () => {
    let release!: (r: typeof runtime) => void;
    const target = document.body.appendChild(document.createElement('div'));
    app = mount(App, {
      target,
      props: { runtime: new Promise<typeof runtime>((r) => (release = r)), animationMs: 0, monaco: false },
    });
    flushSync();
    type('USER alice');
    expect(lines()).toEqual([]);
    release(runtime);
    await Promise.resolve();
    await tick();
    flushSync();
    expect(lines()).toEqual([
      expect.stringMatching(/^S: \+OK/),
      'C: USER alice',
      expect.stringMatching(/^S: \+OK/),
    ]);
  });

  it('switches the laptop to IMAP: tags added, flags shown on the card, the folder list', async () => {
    await start();
    const imap = document.querySelector<HTMLInputElement>('input[type="radio"][value="imap"]')!;
    imap.click();
    for (let i = 0; i < 20 && !document.querySelector('[aria-label="Mailboxes on the server"]'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      flushSync();
    }
    expect(imap.checked).toBe(true);
    const state = () => document.querySelector('[data-testid="session-state"]')!.textContent;
    for (let i = 0; i < 50 && state() !== 'Not Authenticated'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      flushSync();
    }
    expect(state()).toBe('Not Authenticated');
    type('LOGIN alice wonderland');
    type('a2 SELECT INBOX');
    type('a3 STORE 1 +FLAGS (\\Flagged)');
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
    expect(lines()).toContain('C: a1 LOGIN alice wonderland');
    expect(document.querySelector('[role="log"]')!.textContent).toContain('added the tag a1');
    const card = document.querySelector('li.card[data-uid="1"]')!;
    expect(card.querySelector('[data-flag="\\\\Flagged"]')!.textContent).toBe('\\Flagged');
    expect(card.querySelector('.card-uid')!.textContent).toBe('UID 1');
    expect(document.querySelector('[aria-label="Mailboxes on the server"]')!.textContent).toContain('INBOX');
  });
});
