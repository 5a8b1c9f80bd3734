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
});
