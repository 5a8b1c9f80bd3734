import { expect, test, type Page } from '@playwright/test';
import {
  commandLine,
  laptopCards,
  lineTexts,
  openLab,
  serverCards,
  transcriptLines,
  typeCommand,
} from './lab';

/** Switches the laptop to IMAP and waits for the IMAP greeting. */
async function switchToImap(page: Page): Promise<void> {
  await page.getByRole('radio', { name: 'IMAP' }).check();
  await expect(page.getByTestId('session-state')).toHaveText('Not Authenticated');
  await expect(transcriptLines(page).last()).toHaveText(/^S: \* OK \[CAPABILITY /);
}

const card = (page: Page, uid: number) => serverCards(page).and(page.locator(`[data-uid="${uid}"]`));

test('a whole IMAP session typed in the terminal: FETCH keeps the original, EXPUNGE removes', async ({
  page,
}) => {
  const lab = await openLab(page);
  const total = await serverCards(page).count();
  await switchToImap(page);
  await expect(page.getByRole('radio', { name: 'IMAP' })).toBeChecked();
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('dropped its POP3 connection');

  await typeCommand(page, 'a1 LOGIN alice wonderland');
  await expect(page.getByTestId('session-state')).toHaveText('Authenticated');
  await typeCommand(page, 'a2 SELECT INBOX');
  await expect(page.getByTestId('session-state')).toHaveText('Selected');
  await expect(page.getByTestId('server-mailbox')).toContainText('INBOX');
  await expect(page.getByRole('list', { name: 'Mailboxes on the server' })).toContainText('INBOX');
  await expect(card(page, 1).locator('.card-number')).toHaveText('1');
  await expect(card(page, 1)).toContainText('UID 1');

  await typeCommand(page, 'a3 FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])');
  await expect(transcriptLines(page).last()).toHaveText(/^S: a3 OK/);
  await expect(laptopCards(page)).toHaveCount(1);
  await expect(page.locator('.card-ghost')).toHaveCount(0);
  // The lesson: IMAP hands the laptop a copy and the server keeps the original.
  await expect(serverCards(page)).toHaveCount(total);
  await expect(card(page, 1)).toBeVisible();
  await expect(card(page, 1).locator('.flag-copied')).toBeVisible();
  await page.screenshot({ path: 'test-results/imap-after-fetch.png' });

  await typeCommand(page, 'a4 STORE 1 +FLAGS (\\Flagged)');
  await expect(card(page, 1).locator('[data-flag="\\\\Flagged"]')).toHaveText('\\Flagged');
  await typeCommand(page, 'a5 STORE 2 +FLAGS (\\Deleted)');
  await expect(card(page, 2)).toHaveClass(/marked/);
  await expect(card(page, 2).locator('[data-flag="\\\\Deleted"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/imap-after-store.png' });

  await typeCommand(page, 'a6 EXPUNGE');
  await expect(card(page, 2)).toHaveCount(0);
  await expect(serverCards(page)).toHaveCount(total - 1);
  // Renumbered: UID 3 is now sequence number 2.
  await expect(card(page, 3).locator('.card-number')).toHaveText('2');
  await page.screenshot({ path: 'test-results/imap-after-expunge.png' });
  await typeCommand(page, 'a7 LOGOUT');
  await expect(transcriptLines(page).last()).toHaveText(/^S: a7 OK/);

  const lines = await lineTexts(page);
  expect(lines.filter((l) => l.startsWith('C: '))).toEqual([
    'C: a1 LOGIN alice wonderland',
    'C: a2 SELECT INBOX',
    'C: a3 FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])',
    'C: a4 STORE 1 +FLAGS (\\Flagged)',
    'C: a5 STORE 2 +FLAGS (\\Deleted)',
    'C: a6 EXPUNGE',
    'C: a7 LOGOUT',
  ]);
  expect(lines).toContain(`S: * ${total} EXISTS`);
  expect(
    lines.some((l) => /^S: \* 1 FETCH \(FLAGS \(.*\) BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{\d+\}$/.test(l)),
  ).toBe(true);
  // BODY[...] without .PEEK set \Seen (RFC 9051 §6.4.5); STORE added \Flagged.
  expect(lines.some((l) => /^S: \* 1 FETCH \(FLAGS \(.*\\Flagged.*\)\)$/.test(l))).toBe(true);
  expect(lines).toContain('S: * 2 EXPUNGE');
  expect(lines.some((l) => l.startsWith('S: * BYE'))).toBe(true);
  expect(lab.errors).toEqual([]);
});

test('POP3 DELE + QUIT, then IMAP SELECT: the message is gone', async ({ page }) => {
  const lab = await openLab(page);
  const total = await serverCards(page).count();
  for (const line of ['USER alice', 'PASS wonderland', 'DELE 1', 'QUIT']) await typeCommand(page, line);
  await expect(serverCards(page)).toHaveCount(total - 1);
  await switchToImap(page);
  await typeCommand(page, 'a1 LOGIN alice wonderland');
  await typeCommand(page, 'a2 SELECT INBOX');
  await expect(transcriptLines(page).filter({ hasText: / EXISTS$/ })).toHaveText(`S: * ${total - 1} EXISTS`);
  await expect(card(page, 1)).toHaveCount(0);
  await expect(card(page, 2).locator('.card-number')).toHaveText('1');
  expect(lab.errors).toEqual([]);
});

test('an untagged IMAP command gets the next tag, and the transcript says so', async ({ page }) => {
  const lab = await openLab(page);
  await switchToImap(page);
  await typeCommand(page, 'LOGIN alice wonderland');
  await expect(transcriptLines(page).filter({ hasText: /^C: / })).toHaveText([
    'C: a1 LOGIN alice wonderland',
  ]);
  await expect(page.locator('.note').filter({ hasText: 'added the tag a1' })).toBeVisible();
  await expect(transcriptLines(page).last()).toHaveText(/^S: a1 OK/);
  await typeCommand(page, 'select INBOX');
  await expect(transcriptLines(page).filter({ hasText: /^C: / }).last()).toHaveText('C: a2 select INBOX');
  // IDLE is a state; DONE goes without a tag.
  await typeCommand(page, 'IDLE');
  await expect(page.getByTestId('session-state')).toHaveText('Selected · IDLE');
  await expect(page.locator('g.state-child.current')).toHaveAttribute('data-state', 'Selected.IDLE');
  await page.screenshot({ path: 'test-results/imap-idle.png' });
  await typeCommand(page, 'DONE');
  await expect(transcriptLines(page).last()).toHaveText(/^S: a3 OK/);
  await expect(page.getByTestId('session-state')).toHaveText('Selected');
  expect(lab.errors).toEqual([]);
});

test('IMAP completion offers only the commands legal now, after the tag', async ({ page }) => {
  const lab = await openLab(page);
  await switchToImap(page);
  const suggestions = page.locator('.suggest-widget .monaco-list-row');
  const labels = async () =>
    (await suggestions.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))).map(
      (l) => l.split(/,/)[0],
    );
  await commandLine(page).focus();
  await page.keyboard.type('a1 ');
  await page.keyboard.press('Control+Space');
  await expect(suggestions.first()).toBeVisible();
  const notAuth = await labels();
  expect(notAuth).toContain('LOGIN');
  expect(notAuth).not.toContain('SELECT');
  expect(notAuth).not.toContain('FETCH');
  await page.screenshot({ path: 'test-results/imap-completion.png' });
  await page.keyboard.press('Escape');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');

  await typeCommand(page, 'a1 LOGIN alice wonderland');
  await typeCommand(page, 'a2 SELECT INBOX');
  await commandLine(page).focus();
  await page.keyboard.type('a3 F');
  await expect(suggestions.first()).toBeVisible();
  expect(await labels()).toEqual(['FETCH']);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('L');
  await expect(suggestions.first()).toBeVisible();
  expect(await labels()).toEqual(expect.arrayContaining(['LOGOUT', 'LIST', 'LSUB']));
  expect(await labels()).not.toContain('LOGIN');
  await page.keyboard.press('Escape');
  expect(lab.errors).toEqual([]);
});

test('IMAP screens at 1280×800 and 900 px, then back to POP3', async ({ page }) => {
  const lab = await openLab(page);
  await switchToImap(page);
  for (const line of [
    'a1 LOGIN alice wonderland',
    'a2 SELECT INBOX',
    'a3 STORE 1:2 +FLAGS (\\Seen $Important)',
  ]) {
    await typeCommand(page, line);
  }
  await typeCommand(page, 'a4 STORE 3 +FLAGS (\\Deleted \\Answered)');
  await typeCommand(page, 'a5 FETCH 4 BODY[]');
  await expect(laptopCards(page)).toHaveCount(1);
  await expect(page.locator('.card-ghost')).toHaveCount(0);
  for (const [w, h] of [
    [1280, 800],
    [900, 800],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow at ${w}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/imap-screen-${w}.png` });
  }
  await page.getByRole('radio', { name: 'POP3' }).check();
  await expect(page.getByTestId('session-state')).toHaveText('AUTHORIZATION');
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('dropped its IMAP connection');
  // \Deleted stays a flag (no EXPUNGE happened); POP3 still lists the message.
  await expect(serverCards(page)).toHaveCount(await serverCards(page).count());
  expect(lab.errors).toEqual([]);
});
