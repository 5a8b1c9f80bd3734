/**
 * axe-core on the main screens: no serious or critical violations, in light and dark, with a
 * terminal open and a dialog open. Plus the contract the hidden suite relies on: names of
 * regions, lists, buttons and boxes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { device, messages, openLab, openTerminal } from './lab';

async function scan(page: Page, what: string) {
  // Items fading in or out are transparent for a moment: scan the settled picture.
  await page.waitForFunction(() => document.getAnimations().length === 0);
  await expect(page.locator('li.item[style*="opacity"]')).toHaveCount(0);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${what}: ${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

test('the sandbox, a terminal, IMAP and a dialog: no serious or critical axe violations', async ({
  page,
}) => {
  await openLab(page);
  await scan(page, 'sandbox');
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await openTerminal(page, 'Phone');
  await scan(page, 'terminal');
  await device(page, 'Work PC').getByRole('radio', { name: 'IMAP' }).check();
  await device(page, 'Work PC').getByRole('button', { name: 'Check mail' }).click();
  await scan(page, 'imap');
  await page.getByRole('button', { name: 'New mail' }).click();
  await scan(page, 'dialog');
});

test('dark mode: no contrast violations either', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openLab(page);
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await openTerminal(page, 'Laptop');
  await scan(page, 'dark');
  await page.screenshot({ path: 'test-results/world-dark.png' });
});

test('the names the contract promises', async ({ page }) => {
  await openLab(page);
  for (const name of ['Phone', 'Laptop', 'Work PC']) {
    const d = device(page, name);
    await expect(
      d.getByRole('radiogroup', { name: 'Protocol' }).getByRole('radio', { name: 'POP3' }),
    ).toBeChecked();
    await expect(d.getByRole('checkbox', { name: 'Leave messages on server' })).toBeVisible();
    await expect(d.getByRole('button', { name: 'Check mail' })).toBeVisible();
    await expect(d.getByRole('button', { name: 'Terminal' })).toBeVisible();
    await expect(d.getByRole('list', { name: `${name} messages` })).toBeAttached();
  }
  await device(page, 'Phone').getByRole('radio', { name: 'IMAP' }).check();
  await expect(device(page, 'Phone').getByRole('checkbox', { name: 'Push with IDLE' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Mail server' }).getByRole('list', { name: 'Server messages' }),
  ).toBeVisible();
  for (const name of ['Advance 1 day', 'Undo', 'Redo', 'Reset', 'New mail', 'Add device', 'Share'])
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Activity' })).toBeVisible();
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  const item = messages(page, 'Phone').first();
  for (const name of ['Mark read', 'Flag', 'Delete', 'Move'])
    await expect(item.getByRole('button', { name, exact: true })).toBeVisible();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
});
