/**
 * The world view as a learner uses it: three devices around one server, the POP3 and IMAP
 * stories, the maildrop lock, time, new mail, devices coming and going, undo/redo, the share
 * link, autosave and what survives bad data.
 */
import { expect, test, type Page } from '@playwright/test';
import { device, messages, openLab, openTerminal, typeCommand, lineTexts } from './lab';

async function useImap(page: Page, name: string) {
  await device(page, name)
    .getByRole('radiogroup', { name: 'Protocol' })
    .getByRole('radio', { name: 'IMAP' })
    .check();
  await expect(device(page, name).getByRole('radio', { name: 'IMAP' })).toBeChecked();
}

test('three POP3 devices: the laptop checks first; the phone then finds an empty server', async ({
  page,
}) => {
  const lab = await openLab(page);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await expect(messages(page, 'Phone')).toHaveCount(0);
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await expect(messages(page, 'Mail server')).toHaveCount(0);
  await expect(messages(page, 'Laptop').filter({ hasText: 'Tea party on Thursday' })).toContainText('unread');
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  await device(page, 'Work PC').getByRole('button', { name: 'Check mail' }).click();
  await expect(device(page, 'Phone')).toContainText('Checked');
  await expect(messages(page, 'Phone')).toHaveCount(0);
  await expect(messages(page, 'Work PC')).toHaveCount(0);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity).toContainText(
    "The laptop downloaded 'I'm late! The meeting moved to 3 o'clock' (RETR 1).",
  );
  await expect(activity).toContainText(
    "The server removed 12 messages when the laptop's POP3 session ended with QUIT.",
  );
  await expect(activity).toContainText('The phone checked mail over POP3 and found nothing new.');
  // Reading on the laptop changes nothing anywhere else: POP3 cannot tell the server.
  await messages(page, 'Laptop')
    .filter({ hasText: 'Tea party' })
    .getByRole('button', { name: 'Mark read' })
    .click();
  await expect(messages(page, 'Laptop').filter({ hasText: 'Tea party' })).not.toContainText('unread');
  await expect(activity).toContainText('on the device only');
  await page.screenshot({ path: 'test-results/world-pop3.png' });
  expect(lab.errors).toEqual([]);
});

test('three IMAP devices: everyone keeps the mail; a flag set on the phone reaches the laptop', async ({
  page,
}) => {
  const lab = await openLab(page);
  for (const name of ['Phone', 'Laptop', 'Work PC']) await useImap(page, name);
  for (const name of ['Phone', 'Laptop', 'Work PC'])
    await device(page, name).getByRole('button', { name: 'Check mail' }).click();
  for (const name of ['Phone', 'Laptop', 'Work PC']) await expect(messages(page, name)).toHaveCount(12);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  const tea = (name: string) => messages(page, name).filter({ hasText: 'Tea party on Thursday' });
  await tea('Phone').getByRole('button', { name: 'Flag', exact: true }).click();
  await expect(tea('Phone')).toContainText('flagged');
  await expect(tea('Mail server')).toContainText('flagged');
  // The polling laptop learns it at its next check.
  await expect(tea('Laptop')).not.toContainText('flagged');
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(tea('Laptop')).toContainText('flagged');
  // In IDLE it learns at once.
  await device(page, 'Laptop').getByRole('checkbox', { name: 'Push with IDLE' }).check();
  await expect(device(page, 'Laptop')).toContainText('IDLE');
  await tea('Phone').getByRole('button', { name: 'Mark read' }).click();
  await expect(tea('Laptop')).not.toContainText('unread');
  await expect(tea('Work PC')).toContainText('unread');
  // Delete on the phone: it goes to Trash on the server, and leaves the laptop's INBOX at once.
  await tea('Phone').getByRole('button', { name: 'Delete' }).click();
  await expect(tea('Phone')).toHaveCount(0);
  await expect(tea('Laptop')).toHaveCount(0);
  await expect(tea('Mail server')).toHaveCount(0);
  await expect(messages(page, 'Mail server')).toHaveCount(11);
  await page.screenshot({ path: 'test-results/world-imap.png' });
  expect(lab.errors).toEqual([]);
});

test('two POP3 sessions at once: the second device is refused [IN-USE] and the lock is shown', async ({
  page,
}) => {
  const lab = await openLab(page);
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await typeCommand(page, 'Laptop', 'PASS wonderland');
  await expect(page.getByRole('region', { name: 'Mail server' })).toContainText('holds the maildrop lock');
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  await expect(device(page, 'Phone')).toContainText('the maildrop is locked by the laptop [IN-USE]');
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText(
    'The phone was refused: the maildrop is locked by the laptop [IN-USE].',
  );
  await expect(messages(page, 'Phone')).toHaveCount(0);
  // DELE marks; QUIT removes.
  await typeCommand(page, 'Laptop', 'DELE 2');
  await expect(messages(page, 'Mail server').filter({ hasText: 'Tea party on Thursday' })).toContainText(
    'marked for deletion',
  );
  await typeCommand(page, 'Laptop', 'QUIT');
  await expect(messages(page, 'Mail server')).toHaveCount(11);
  expect((await lineTexts(page, 'Laptop')).at(-1)).toMatch(/^S: \+OK/);
  expect(lab.errors).toEqual([]);
});

test('undo and redo, buttons and keys; Reset goes back to the start', async ({ page }) => {
  await openLab(page);
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Mail server')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await expect(messages(page, 'Laptop')).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(messages(page, 'Laptop')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+Z');
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(0);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
});

test('a share link opened in a fresh page gives the same world', async ({ page, browser }) => {
  await openLab(page);
  await useImap(page, 'Phone');
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Phone')).toHaveCount(12);
  await messages(page, 'Phone').first().getByRole('button', { name: 'Flag', exact: true }).click();
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(12);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(/#\/share\/[A-Za-z0-9_-]+$/);
  const fresh = await browser.newPage();
  const lab = await openLab(fresh, link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(messages(fresh, 'Phone')).toHaveCount(12);
  await expect(messages(fresh, 'Phone').first()).toContainText('flagged');
  await expect(messages(fresh, 'Laptop')).toHaveCount(12);
  await expect(messages(fresh, 'Mail server')).toHaveCount(0);
  expect(fresh.url()).not.toContain('/share/');
  expect(lab.errors).toEqual([]);
  await fresh.close();
});

test('autosave keeps the world over a reload; corrupt data gives a notice and a working lab', async ({
  page,
}) => {
  await openLab(page);
  await device(page, 'Work PC').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Work PC')).toHaveCount(12);
  await page.waitForTimeout(500);
  await page.reload();
  await expect(messages(page, 'Work PC')).toHaveCount(12);
  // Corrupt data written before the page's scripts run (a reload would otherwise autosave over it).
  await page.addInitScript(() => {
    if (sessionStorage.getItem('corrupted')) return;
    sessionStorage.setItem('corrupted', '1');
    localStorage.setItem(
      'pop-vs-imap-lab/world',
      '{"version":1,"origin":{"scenario":"sandbox"},"steps":[],"data":{"nonsense":true}}',
    );
  });
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('could not be opened');
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Phone')).toHaveCount(12);
});

test('time, new mail, adding and removing a device, a lost laptop', async ({ page }) => {
  const lab = await openLab(page);
  await page.getByRole('button', { name: 'New mail' }).click();
  const dialog = page.getByRole('dialog', { name: 'New mail arrives' });
  await dialog.getByRole('textbox', { name: 'Subject' }).fill('Lunch at noon?');
  await dialog.getByRole('button', { name: 'Deliver' }).click();
  await expect(messages(page, 'Mail server')).toHaveCount(13);
  await expect(messages(page, 'Mail server').last()).toContainText('Lunch at noon?');
  const clock = page.getByRole('toolbar', { name: 'Time and mail' }).locator('time');
  await expect(clock).toHaveText('Mon 10 Mar 2025, 09:00');
  await page.getByRole('button', { name: 'Advance 1 day' }).click();
  await expect(clock).toHaveText('Tue 11 Mar 2025, 09:00');
  await page.getByRole('button', { name: 'Add device' }).click();
  await page
    .getByRole('dialog', { name: 'Add a device' })
    .getByRole('button', { name: /^Add Tablet/ })
    .click();
  await expect(device(page, 'Tablet')).toBeVisible();
  await device(page, 'Tablet').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Tablet')).toHaveCount(13);
  await device(page, 'Tablet').getByRole('button', { name: 'Lose this device' }).click();
  await expect(device(page, 'Tablet')).toContainText('This device is lost');
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText(
    'The tablet was lost, and the 13 messages',
  );
  expect(lab.errors).toEqual([]);
});

for (const [width, height] of [
  [1024, 768],
  [1440, 900],
] as const)
  test(`at ${width}×${height} the server and three devices fit without scrolling the page`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    await openLab(page);
    const fits = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - innerWidth,
      y: document.documentElement.scrollHeight - innerHeight,
    }));
    expect(fits.x).toBeLessThanOrEqual(0);
    expect(fits.y).toBeLessThanOrEqual(0);
    for (const name of ['Mail server', 'Phone', 'Laptop', 'Work PC']) {
      const box = (await page.getByRole('region', { name, exact: true }).boundingBox())!;
      expect(box.y + box.height, name).toBeLessThanOrEqual(height);
      expect(box.x + box.width, name).toBeLessThanOrEqual(width);
    }
    if (width === 1440) {
      await openTerminal(page, 'Laptop');
      const log = (await device(page, 'Laptop').getByRole('log', { name: 'Transcript' }).boundingBox())!;
      expect(log.y + log.height).toBeLessThanOrEqual(height);
      const server = (await page.getByRole('region', { name: 'Mail server' }).boundingBox())!;
      expect(server.x + server.width).toBeLessThanOrEqual(log.x);
    }
    await page.screenshot({ path: `test-results/world-${width}.png` });
  });

test('at 390 px the panels stack and nothing overflows sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const server = (await page.getByRole('region', { name: 'Mail server' }).boundingBox())!;
  const phone = (await device(page, 'Phone').boundingBox())!;
  expect(phone.y).toBeGreaterThan(server.y + server.height - 1);
  await page.screenshot({ path: 'test-results/world-390.png', fullPage: true });
});

test('scenarios from the picker, their story step by step, and back to the sandbox', async ({ page }) => {
  const lab = await openLab(page);
  await page.getByRole('combobox', { name: 'Start from' }).selectOption('three-devices-pop3');
  await expect(page).toHaveURL(/#\/scenario\/three-devices-pop3$/);
  await expect(messages(page, 'Mail server')).toHaveCount(5);
  const story = page.getByRole('group', { name: "The scenario's story" });
  await expect(story).toContainText('Step 1 of 11');
  await story.getByRole('button', { name: 'Next step' }).click();
  await story.getByRole('button', { name: 'Next step' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(5);
  await expect(messages(page, 'Mail server')).toHaveCount(0);
  await story.getByRole('button', { name: 'Play the rest' }).click();
  await expect(story).toContainText('The story is over', { timeout: 15_000 });
  await expect(messages(page, 'Phone')).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(/#\/$|\/$/);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await page.goForward();
  await expect(messages(page, 'Mail server')).toHaveCount(5);
  expect(lab.errors).toEqual([]);
});

test('opening a message reads it: headers, text, source; on POP3 it is marked read on that device only', async ({
  page,
}) => {
  const lab = await openLab(page);
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  const tea = messages(page, 'Laptop').filter({ hasText: 'Tea party on Thursday' });
  await tea.getByRole('button', { name: 'Tea party on Thursday' }).click();
  const dialog = page.getByRole('dialog', { name: 'On the Laptop' });
  await expect(dialog).toContainText('Mad Hatter');
  await expect(dialog).toContainText('POP3 cannot tell the server');
  await dialog.getByRole('radio', { name: 'Source (the octets)' }).check();
  await expect(dialog).toContainText('Message-ID: <tea-thursday-0303@teaparty.example>');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(tea).not.toContainText('unread');
  // The server's copy opens too, and changes nothing.
  await device(page, 'Phone').getByRole('radio', { name: 'IMAP' }).check();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await messages(page, 'Mail server').first().getByRole('button').first().click();
  await expect(page.getByRole('dialog', { name: 'On the mail server' })).toContainText('sends no command');
  expect(lab.errors).toEqual([]);
});
