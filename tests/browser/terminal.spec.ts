/**
 * A device's terminal: raw POP3 and IMAP typed as a learner types them, Monaco's completion,
 * pasting, literals, hang-ups, and that the command line never traps the keyboard.
 */
import { expect, test } from '@playwright/test';
import {
  commandLine,
  commandValue,
  device,
  lineTexts,
  messages,
  openLab,
  openTerminal,
  transcriptLines,
  typeCommand,
  waitForMonaco,
} from './lab';

test('a whole POP3 session on the laptop: RETR copies, DELE marks, QUIT removes', async ({ page }) => {
  const lab = await openLab(page);
  await openTerminal(page, 'Laptop');
  await waitForMonaco(page, 'Laptop');
  const laptop = device(page, 'Laptop');
  await expect(laptop.getByTestId('session-state')).toHaveText('AUTHORIZATION');
  for (const line of ['USER alice', 'PASS wonderland']) await typeCommand(page, 'Laptop', line);
  await expect(laptop.getByTestId('session-state')).toHaveText('TRANSACTION');
  await typeCommand(page, 'Laptop', 'STAT');
  expect((await lineTexts(page, 'Laptop')).at(-1)).toMatch(/^S: \+OK 12 \d+$/);
  await typeCommand(page, 'Laptop', 'RETR 2');
  await expect(messages(page, 'Laptop')).toHaveCount(1);
  await expect(messages(page, 'Laptop')).toContainText('Tea party on Thursday');
  await typeCommand(page, 'Laptop', 'DELE 2');
  await expect(messages(page, 'Mail server').nth(1)).toContainText('marked for deletion');
  await typeCommand(page, 'Laptop', 'QUIT');
  await expect(messages(page, 'Mail server')).toHaveCount(11);
  await expect(messages(page, 'Laptop')).toHaveCount(1);
  await expect(laptop.getByRole('status').filter({ hasText: 'Connection closed' })).toContainText(
    'You sent QUIT',
  );
  // Typing again opens a new session.
  await typeCommand(page, 'Laptop', 'USER alice');
  await expect(laptop.getByTestId('session-state')).toHaveText('AUTHORIZATION');
  expect(lab.errors).toEqual([]);
});

test('IMAP on the phone: tags added once-noted, FETCH keeps the original, STORE and EXPUNGE', async ({
  page,
}) => {
  const lab = await openLab(page);
  const phone = device(page, 'Phone');
  await phone.getByRole('radio', { name: 'IMAP' }).check();
  await openTerminal(page, 'Phone');
  await typeCommand(page, 'Phone', 'LOGIN alice wonderland');
  await typeCommand(page, 'Phone', 'SELECT INBOX');
  const lines = await lineTexts(page, 'Phone');
  expect(lines).toContain('C: a1 LOGIN alice wonderland');
  expect(lines).toContain('C: a2 SELECT INBOX');
  expect(lines.some((l) => /^S: \* OK \[UIDVALIDITY \d+\]/.test(l))).toBe(true);
  await expect(
    phone.getByRole('log', { name: 'Transcript' }).locator('.note', { hasText: 'added the tag' }),
  ).toHaveCount(1);
  await typeCommand(page, 'Phone', 'FETCH 2 BODY[]');
  await expect(messages(page, 'Phone')).toHaveCount(1);
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await typeCommand(page, 'Phone', 'STORE 2 +FLAGS (\\Deleted)');
  await expect(messages(page, 'Mail server').nth(1)).toContainText('\\Deleted');
  await typeCommand(page, 'Phone', 'EXPUNGE');
  expect((await lineTexts(page, 'Phone')).some((l) => l === 'S: * 2 EXPUNGE')).toBe(true);
  await expect(messages(page, 'Mail server')).toHaveCount(11);
  await typeCommand(page, 'Phone', 'RETR 1');
  await expect(phone.locator('.note').last()).toContainText('This device speaks IMAP');
  expect(lab.errors).toEqual([]);
});

test('APPEND with a literal: the terminal counts the octets and keeps a pasted blank line', async ({
  page,
}) => {
  await openLab(page);
  const laptop = device(page, 'Laptop');
  await laptop.getByRole('radio', { name: 'IMAP' }).check();
  await openTerminal(page, 'Laptop');
  await waitForMonaco(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'a1 LOGIN alice wonderland');
  const body = 'Subject: Note to self\r\n\r\nBuy more tea.';
  await typeCommand(page, 'Laptop', `a2 APPEND INBOX {${body.length}}`);
  await expect(laptop.getByRole('status').filter({ hasText: 'Sending a literal' })).toContainText(
    `0 of ${body.length} octets`,
  );
  await commandLine(page, 'Laptop').focus();
  await page.evaluate(
    (text) => {
      const target = document.activeElement!;
      const data = new DataTransfer();
      data.setData('text/plain', text + '\n');
      target.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    },
    body.replace(/\r\n/g, '\n'),
  );
  await expect
    .poll(async () => (await lineTexts(page, 'Laptop')).at(-1))
    .toMatch(/a2 OK \[APPENDUID \d+ 13\]/);
  await expect(messages(page, 'Mail server')).toHaveCount(13);
  await expect(messages(page, 'Mail server').last()).toContainText('Note to self');
});

test('completion offers only the commands legal now; Tab and Escape leave the command line', async ({
  page,
}) => {
  await openLab(page);
  await openTerminal(page, 'Laptop');
  await waitForMonaco(page, 'Laptop');
  await commandLine(page, 'Laptop').focus();
  await page.keyboard.type('U');
  const suggest = page.locator('.suggest-widget .monaco-list-row');
  await expect(suggest.first()).toBeVisible();
  expect((await suggest.allTextContents()).join(' ')).toContain('USER');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');
  // In AUTHORIZATION RETR is not legal yet: "R" offers nothing.
  await page.keyboard.type('R');
  await page.waitForTimeout(300);
  await expect(page.locator('.suggest-widget.visible .monaco-list-row')).toHaveCount(0);
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Tab');
  await expect(commandLine(page, 'Laptop')).not.toBeFocused();
  await commandLine(page, 'Laptop').focus();
  await page.keyboard.press('Escape');
  await expect(commandLine(page, 'Laptop')).not.toBeFocused();
  expect(await commandValue(page, 'Laptop')).toBe('');
});

test('the plain command line works before Monaco arrives; history with Up', async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/command-line.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await openLab(page);
  await openTerminal(page, 'Work PC');
  const input = commandLine(page, 'Work PC');
  await expect(input).toHaveJSProperty('tagName', 'INPUT');
  await input.fill('USER alice');
  await input.press('Enter');
  await input.fill('PASS wonderland');
  await input.press('Enter');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('PASS wonderland');
  await input.fill('STAT');
  release();
  await waitForMonaco(page, 'Work PC');
  expect(await commandValue(page, 'Work PC')).toBe('STAT');
  expect((await lineTexts(page, 'Work PC')).filter((l) => l.startsWith('C:'))).toEqual([
    'C: USER alice',
    'C: PASS wonderland',
  ]);
});

test('three bad commands: the server hangs up and the terminal says why; hostile text stays text', async ({
  page,
}) => {
  const lab = await openLab(page);
  await openTerminal(page, 'Phone');
  for (const line of ['help', '<img src=x onerror=alert(1)>', 'RETR 99'])
    await typeCommand(page, 'Phone', line);
  await expect(
    device(page, 'Phone').getByRole('status').filter({ hasText: 'Connection closed' }),
  ).toContainText('too many bad commands');
  await expect(
    transcriptLines(page, 'Phone').filter({ hasText: '<img src=x onerror=alert(1)>' }),
  ).toHaveCount(1);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await device(page, 'Phone').getByRole('button', { name: 'Reconnect' }).click();
  await expect(device(page, 'Phone').getByTestId('session-state')).toHaveText('AUTHORIZATION');
  expect(lab.errors).toEqual([]);
});
