/**
 * The lab as an installable, offline web app (issue 10): the built page links a valid web app
 * manifest, and after one visit its service worker serves the whole lab (shell, engine, Monaco)
 * with the network off. Self-contained on purpose: only Playwright and the lab's own mailbox.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { LAB_INBOX } from '../../src/mail/fixtures';

/** Every file of the build the page may ask for (not the service worker's own scripts). */
function builtFiles(): string[] {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  return readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => `${f.parentPath.slice(dist.length)}/${f.name}`.replace(/^\/+/, ''))
    .filter((f) => !f.startsWith('.vite/') && f !== 'sw.js' && !/^workbox-[\w-]+\.js$/.test(f))
    .map((f) => '/' + f);
}

const laptop = (page: Page) => page.getByRole('region', { name: 'Laptop', exact: true });

function transcriptLines(page: Page) {
  return laptop(page).getByRole('log', { name: 'Transcript' }).locator('.line');
}

/** Opens the laptop's terminal (it connects: the greeting arrives). */
async function openTerminal(page: Page): Promise<void> {
  const button = laptop(page).getByRole('button', { name: 'Terminal' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await expect(transcriptLines(page).first()).toHaveText(/^S: \+OK/);
}

/** Types a line on the command line the way a learner does and presses Enter. */
async function typeCommand(page: Page, line: string): Promise<void> {
  await laptop(page).getByRole('textbox', { name: 'Command' }).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Width and height from a PNG's IHDR chunk (PNG spec §11.2.2). */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the page links a valid web app manifest whose icons resolve', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const url = new URL(href!, page.url());
  const response = await request.get(url.href);
  expect(response.status()).toBe(200);
  const manifest = JSON.parse(await response.text()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    theme_color: string;
    background_color: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest.name).toBe('POP vs IMAP Lab');
  expect(manifest.short_name.length).toBeGreaterThan(0);
  expect(manifest.short_name.length).toBeLessThanOrEqual(12);
  expect(manifest.display).toBe('standalone');
  expect(new URL(manifest.start_url, url).href).toBe(new URL('/', page.url()).href);
  // The theme is the lab's own indigo (--server in app.css), also in <meta name="theme-color">.
  const server = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--server').trim(),
  );
  expect(manifest.theme_color).toBe(server);
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', server);

  for (const icon of manifest.icons) {
    const r = await request.get(new URL(icon.src, url).href);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()['content-type'], icon.src).toBe(icon.type);
    expect(pngSize(await r.body()), icon.src).toBe(icon.sizes);
  }
  const has = (sizes: string, purpose: string) =>
    manifest.icons.some((i) => i.sizes === sizes && (i.purpose ?? 'any').split(' ').includes(purpose));
  expect(has('192x192', 'any')).toBe(true);
  expect(has('512x512', 'any')).toBe(true);
  expect(has('512x512', 'maskable')).toBe(true);
});

test('after one visit the lab works offline: a POP3 session and the Monaco command line', async ({
  page,
  context,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  await page.goto('/');
  await openTerminal(page);
  // Installed (everything precached) and active; the first visit is claimed at once, but reload
  // once if this page is not controlled yet.
  const state = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
  expect(['activating', 'activated']).toContain(state);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');

  expect(errors).toEqual([]);

  await context.setOffline(true);
  // Really offline: a file the service worker does not hold cannot be fetched.
  expect(
    await page.evaluate(() =>
      fetch(`/not-precached-${Date.now()}.txt`).then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  errors.length = 0; // Chromium logs that failed fetch as an error

  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(page).toHaveTitle('POP vs IMAP Lab');
  await openTerminal(page);
  // Monaco's 3 MB chunk, its CSS and its worker come from the precache too.
  await page.locator('[data-editor="monaco"][data-ready="true"]').waitFor({ timeout: 20_000 });
  // Every file of the build is served offline: the shell, each chunk (engine, IMAP, Monaco and
  // its worker), CSS, the icon font, the manifest and its icons.
  const files = builtFiles();
  expect(files).toEqual(
    expect.arrayContaining([
      '/index.html',
      '/manifest.webmanifest',
      '/icon-192.png',
      '/icon-maskable-512.png',
    ]),
  );
  expect(files.filter((f) => /editor\.worker.*\.js$/.test(f))).toHaveLength(1);
  const served = await page.evaluate(
    (urls) =>
      Promise.all(
        urls.map((u) =>
          fetch(u).then(
            (r) => `${u} ${r.status}`,
            () => `${u} failed`,
          ),
        ),
      ),
    files,
  );
  expect(served).toEqual(files.map((f) => `${f} 200`));

  const total = LAB_INBOX.reduce((n, m) => n + m.raw.length, 0);
  const first = LAB_INBOX[0].raw;
  const session: [string, string | RegExp][] = [
    ['USER alice', /^S: \+OK/],
    ['PASS wonderland', /^S: \+OK/],
    ['STAT', `S: +OK ${LAB_INBOX.length} ${total}`],
    ['RETR 1', 'S: .'],
    ['QUIT', /^S: \+OK/],
  ];
  for (const [command, lastLine] of session) {
    await typeCommand(page, command);
    await expect(transcriptLines(page).last()).toHaveText(lastLine);
  }

  const lines = (await transcriptLines(page).allTextContents()).map((t) => t.trim());
  expect(lines.filter((l) => l.startsWith('C: '))).toEqual(session.map(([c]) => `C: ${c}`));
  // Every command got its status line right after it, as on the wire.
  for (const [command] of session)
    expect(lines[lines.indexOf(`C: ${command}`) + 1], `reply to ${command}`).toMatch(/^S: \+OK/);
  // RETR 1: the status line with the exact size, then the message itself.
  const retr = lines.indexOf('C: RETR 1');
  expect(lines[retr + 1]).toBe(`S: +OK ${first.length} octets`);
  expect(lines.slice(retr + 2, retr + 9)).toEqual(
    first
      .split('\r\n')
      .slice(0, 7)
      .map((l) => `S: ${l}`.trim()),
  );

  // The Compare view runs its two worlds in Web Workers, also offline.
  await page.goto('/#/compare/three-devices-pop3/end');
  const phone = (column: string) =>
    page
      .getByRole('region', { name: column, exact: true })
      .getByRole('list', { name: 'Phone messages', exact: true })
      .getByRole('listitem');
  await expect(page.getByRole('slider', { name: 'Timeline' })).toBeVisible({ timeout: 15_000 });
  await expect(phone('POP3')).toHaveCount(0);
  await expect(phone('IMAP')).toHaveCount(5);
  expect(errors).toEqual([]);
});
