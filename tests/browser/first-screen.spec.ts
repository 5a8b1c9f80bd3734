/**
 * The first screen: a fresh visit draws the sandbox before the engine's chunk has arrived, takes
 * clicks at once, and plays them when the engine takes over. The engine's chunk is held back
 * here, as a slow network would, to see both halves.
 */
import { expect, test, type Page, type Route } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { gzipSync } from 'node:zlib';
import { device, messages, openLab } from './lab';

/** Holds the runtime's chunks until `release` is called. */
async function holdEngine(page: Page): Promise<{ release: () => void; asked: () => boolean }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let asked = false;
  await page.route(/\/assets\/(runtime|engine)-[^/]+\.js$/, async (route: Route) => {
    asked = true;
    await gate;
    await route.continue();
  });
  return { release, asked: () => asked };
}

test('the sandbox is on screen and takes clicks before the engine has loaded', async ({ page }) => {
  const engine = await holdEngine(page);
  const lab = await openLab(page);
  // The whole world, drawn from the build's view-models: server, devices, clock, account.
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  for (const name of ['Phone', 'Laptop', 'Work PC']) await expect(device(page, name)).toBeVisible();
  await expect(messages(page, 'Mail server').first()).toContainText(
    "I'm late! The meeting moved to 3 o'clock",
  );
  await expect(page.getByText('Mon 10 Mar 2025, 09:00')).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('alice');
  await expect(device(page, 'Laptop').getByRole('radio', { name: 'POP3' })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText('Nothing has happened yet');

  // The learner does not wait: the laptop switches nothing, checks, and the phone checks too.
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  expect(engine.asked()).toBe(true);
  await expect(messages(page, 'Laptop')).toHaveCount(0);
  // The page says it is getting ready (busy, a progress cursor, a status for screen readers).
  await expect(page.getByRole('main')).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'The mail server is starting' })).toHaveCount(1);

  engine.release();
  // Played in the order asked: the laptop took everything over POP3, the phone found nothing.
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await expect(messages(page, 'Mail server')).toHaveCount(0);
  await expect(messages(page, 'Phone')).toHaveCount(0);
  await expect(page.getByRole('main')).not.toHaveAttribute('aria-busy', 'true');
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity).toContainText("The laptop downloaded 'Ça va? Je suis le chat qui sourit' (RETR 4).");
  await expect(activity).toContainText('The phone checked mail over POP3 and found nothing new.');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();
  expect(lab.errors).toEqual([]);
});

test('a protocol switch and settings made on the first screen hold once the engine is live', async ({
  page,
}) => {
  const engine = await holdEngine(page);
  const lab = await openLab(page);
  await device(page, 'Phone').getByRole('radio', { name: 'IMAP' }).check();
  await device(page, 'Laptop').getByRole('checkbox', { name: 'Leave messages on server' }).check();
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  engine.release();
  await expect(device(page, 'Phone').getByRole('checkbox', { name: 'Push with IDLE' })).toBeVisible();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  // "Leave messages on server": the server still holds all twelve for the phone's IMAP.
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Phone')).toHaveCount(12);
  expect(lab.errors).toEqual([]);
});

test('the first screen has no serious accessibility problems', async ({ page }) => {
  const engine = await holdEngine(page);
  await openLab(page);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  engine.release();
});

test('a lab saved before opens as it was left, not on the first screen', async ({ page }) => {
  await openLab(page);
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await page.getByRole('button', { name: 'Undo' }).waitFor();
  // Autosave runs shortly after a step, and on leaving the page.
  await page.reload();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await expect(messages(page, 'Mail server')).toHaveCount(0);
});

test('Share and opening a message on the first screen answer once the engine is live', async ({ page }) => {
  const engine = await holdEngine(page);
  const lab = await openLab(page);
  await messages(page, 'Mail server')
    .filter({ hasText: 'Tea party on Thursday' })
    .getByRole('button', { name: /Tea party on Thursday/ })
    .click();
  engine.release();
  const reader = page.getByRole('dialog', { name: 'On the mail server' });
  await expect(reader).toContainText('Tea party on Thursday');
  await reader.getByRole('button', { name: 'Close' }).first().click();
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(
    page.getByRole('dialog', { name: 'Share this lab' }).getByRole('textbox', { name: 'Share link' }),
  ).toHaveValue(/#\/share\//);
  expect(lab.errors).toEqual([]);
});

test('the first screen needs at most 60 KB of gzipped JS (issue 7: the eager budget)', async ({ page }) => {
  const engine = await holdEngine(page);
  const scripts = new Map<string, Promise<number>>();
  let counting = true;
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (counting && /\.m?js$/.test(path))
      scripts.set(
        path,
        r.body().then(
          (b) => gzipSync(b).length,
          () => 0,
        ),
      );
  });
  await openLab(page);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await page.waitForTimeout(300);
  // Everything the page fetched to draw the sandbox and take that click (the engine held back).
  counting = false;
  const sizes = await Promise.all(scripts.values());
  const total = sizes.reduce((a, b) => a + b, 0);
  expect([...scripts.keys()].some((p) => /\/assets\/index-/.test(p))).toBe(true);
  expect(total, [...scripts.keys()].map((p, i) => `${p}: ${sizes[i]}`).join('\n')).toBeLessThanOrEqual(
    60 * 1024,
  );
  engine.release();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
});
