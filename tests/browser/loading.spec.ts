import { expect, test } from '@playwright/test';
import { commandLine, laptopCards, openLab, serverCards, transcriptLines } from './lab';

test('the plain command line works before Monaco arrives', async ({ page }) => {
  // Hold the lazily loaded editor chunk back until the end of the test.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/command-line.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const lab = await openLab(page, { waitForMonaco: false });
  const input = commandLine(page);
  await expect(input).toBeFocused();
  await expect(input).toHaveJSProperty('tagName', 'INPUT');
  await input.fill('USER alice');
  await input.press('Enter');
  await expect(transcriptLines(page).filter({ hasText: /^C: / })).toHaveText(['C: USER alice']);
  await input.fill('PASS wonderland');
  await input.press('Enter');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('PASS wonderland');
  await input.fill('USER half typed');

  release();
  // Monaco takes over, keeping what was typed and the focus.
  await page.locator('[data-editor="monaco"][data-ready="true"]').waitFor();
  await expect(page.locator('input[aria-label="Command"]')).toHaveCount(0);
  await expect(page.locator('[data-editor="monaco"] .view-lines')).toHaveText('USER half typed');
  await expect(commandLine(page)).toBeFocused();
  expect(lab.errors).toEqual([]);
});

test('the screen fits 1280×800 and a 900px window, and stacks below that', async ({ page }) => {
  const lab = await openLab(page);
  for (const [w, h] of [
    [1280, 800],
    [900, 800],
    [720, 900],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow at ${w}px`).toBeLessThanOrEqual(0);
    await expect(serverCards(page).first()).toBeVisible();
    await expect(commandLine(page)).toBeAttached();
    await expect(page.getByRole('button', { name: 'Reset' })).toBeVisible();
    await expect(page.getByRole('log', { name: 'Transcript' })).toBeVisible();
    await expect(laptopCards(page)).toHaveCount(0);
    await page.screenshot({ path: `test-results/screen-${w}.png` });
  }
  const icon = await page.request.get('/favicon.svg');
  expect(icon.ok()).toBe(true);
  expect(lab.errors).toEqual([]);
});
