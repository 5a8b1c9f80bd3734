import { expect, test } from '@playwright/test';
import {
  commandLine,
  commandValue,
  laptopCards,
  lineTexts,
  openLab,
  serverCards,
  transcriptLines,
  typeCommand,
} from './lab';

test('a whole POP3 session: the message leaves the server and stays on the laptop', async ({ page }) => {
  const lab = await openLab(page);
  await expect(page).toHaveTitle('POP vs IMAP Lab');
  await expect(page.getByLabel('Lab account')).toContainText('alice');
  await expect(page.getByLabel('Lab account')).toContainText('wonderland');
  const total = await serverCards(page).count();
  expect(total).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('session-state')).toHaveText('AUTHORIZATION');

  await typeCommand(page, 'USER alice');
  await expect(transcriptLines(page).last()).toHaveText(/^S: \+OK/);
  await typeCommand(page, 'PASS wonderland');
  await expect(page.getByTestId('session-state')).toHaveText('TRANSACTION');
  await typeCommand(page, 'STAT');
  await expect(transcriptLines(page).last()).toHaveText(new RegExp(`^S: \\+OK ${total} \\d+$`));
  await typeCommand(page, 'LIST');
  await expect(transcriptLines(page).last()).toHaveText('S: .');
  await typeCommand(page, 'RETR 1');
  await expect(laptopCards(page)).toHaveCount(1);
  await expect(laptopCards(page).first()).toHaveAttribute('data-id', 'INBOX:1');
  await expect(page.locator('.card-ghost')).toHaveCount(0);
  await expect(serverCards(page).first()).toHaveAttribute('data-tag', 'retrieved');
  await page.screenshot({ path: 'test-results/after-retr.png' });
  await typeCommand(page, 'DELE 1');
  await expect(serverCards(page).first()).toHaveClass(/marked/);
  await page.screenshot({ path: 'test-results/after-dele.png' });
  await typeCommand(page, 'QUIT');

  const lines = await lineTexts(page);
  const sent = lines.filter((l) => l.startsWith('C: '));
  expect(sent).toEqual([
    'C: USER alice',
    'C: PASS wonderland',
    'C: STAT',
    'C: LIST',
    'C: RETR 1',
    'C: DELE 1',
    'C: QUIT',
  ]);
  // Every command got a status line right after it, exactly as on the wire.
  for (const c of sent) {
    const next = lines[lines.indexOf(c) + 1];
    expect(next, `reply to ${c}`).toMatch(/^S: \+OK/);
  }
  // LIST: one "n size" line per message, then the terminating dot.
  const list = lines.slice(lines.indexOf('C: LIST') + 2, lines.indexOf('C: RETR 1'));
  expect(list).toHaveLength(total + 1);
  expect(list.slice(0, -1).every((l) => /^S: \d+ \d+$/.test(l))).toBe(true);
  expect(list.at(-1)).toBe('S: .');

  await expect(serverCards(page)).toHaveCount(total - 1);
  await expect(page.locator('[aria-label="Messages on the server"] [data-id="INBOX:1"]')).toHaveCount(0);
  await expect(laptopCards(page)).toHaveCount(1);
  await expect(laptopCards(page).first()).toHaveAttribute('data-id', 'INBOX:1');
  await expect(page.getByTestId('session-state')).toHaveText('closed');
  await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  await page.screenshot({ path: 'test-results/after-quit.png' });
  expect(lab.errors).toEqual([]);
});

test('Up and Down walk the command history', async ({ page }) => {
  const lab = await openLab(page);
  await typeCommand(page, 'NOOP');
  await typeCommand(page, 'USER alice');
  await commandLine(page).focus();
  await page.keyboard.type('PA');
  // PASS is offered; close the list so the arrows walk the history, not the suggestions.
  const suggest = page.locator('.suggest-widget .monaco-list-row').first();
  await expect(suggest).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(suggest).toBeHidden();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => commandValue(page)).toBe('USER alice');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => commandValue(page)).toBe('NOOP');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => commandValue(page)).toBe('NOOP');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => commandValue(page)).toBe('USER alice');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => commandValue(page)).toBe('PA');
  expect(lab.errors).toEqual([]);
});

test('completion offers only the commands legal in the current state', async ({ page }) => {
  const lab = await openLab(page);
  const suggestions = page.locator('.suggest-widget .monaco-list-row');
  const labels = async () =>
    (await suggestions.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))).map(
      (l) => l.split(/[ ,]/)[0],
    );

  await commandLine(page).focus();
  await page.keyboard.press('Control+Space');
  await expect(suggestions.first()).toBeVisible();
  const auth = await labels();
  expect(auth).toContain('USER');
  expect(auth).toContain('QUIT');
  expect(auth).not.toContain('RETR');
  expect(auth).not.toContain('STAT');
  await page.screenshot({ path: 'test-results/completion-authorization.png' });
  await page.keyboard.press('Escape');

  await typeCommand(page, 'USER alice');
  await typeCommand(page, 'PASS wonderland');
  await expect(page.getByTestId('session-state')).toHaveText('TRANSACTION');
  await commandLine(page).focus();
  await page.keyboard.type('R');
  await expect(suggestions.first()).toBeVisible();
  const tx = await labels();
  expect(tx).toEqual(expect.arrayContaining(['RETR', 'RSET']));
  expect(tx).not.toContain('USER');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');

  // Hovering a command word explains it, from the same registry.
  await page.keyboard.type('UIDL 1');
  await page.locator('[data-editor="monaco"] .view-line span span').first().hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: 'RFC 1939' });
  await expect(hover).toBeVisible();
  await expect(hover).toContainText('UIDL');
  await page.screenshot({ path: 'test-results/hover.png' });
  await page.keyboard.press('Escape');
  for (let i = 0; i < 'UIDL 1'.length; i++) await page.keyboard.press('Backspace');

  await page.keyboard.type('R');
  await expect(suggestions.first()).toBeVisible();
  // Tab accepts the highlighted command, leaving room for its argument.
  await page.keyboard.press('Tab');
  await page.keyboard.type('1');
  await page.keyboard.press('Enter');
  await expect(transcriptLines(page).filter({ hasText: /^C: / }).last()).toHaveText(/^C: R(ETR|SET)/);
  expect(lab.errors).toEqual([]);
});

test('a wrong command gets -ERR and changes nothing', async ({ page }) => {
  const lab = await openLab(page);
  const before = await serverCards(page).count();
  await typeCommand(page, 'RETR 1');
  await expect(transcriptLines(page).last()).toHaveText(/^S: -ERR/);
  await typeCommand(page, 'HELO there');
  await expect(transcriptLines(page).last()).toHaveText(/^S: -ERR/);
  await typeCommand(page, 'USER alice');
  await typeCommand(page, 'PASS wonderland');
  await typeCommand(page, 'DELE 999');
  await expect(transcriptLines(page).last()).toHaveText(/^S: -ERR/);
  await typeCommand(page, 'RETR x');
  await expect(transcriptLines(page).last()).toHaveText(/^S: -ERR/);
  await expect(page.getByTestId('session-state')).toHaveText('TRANSACTION');
  await expect(serverCards(page)).toHaveCount(before);
  await expect(page.locator('li.card.marked')).toHaveCount(0);
  await expect(laptopCards(page)).toHaveCount(0);
  expect(lab.errors).toEqual([]);
});

test('what a learner types is shown as text and never runs', async ({ page }) => {
  const lab = await openLab(page);
  const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  await typeCommand(page, evil);
  await expect(transcriptLines(page).filter({ hasText: /^C: / }).last()).toHaveText(`C: ${evil}`);
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('img, script')).toHaveCount(0);
  expect(lab.errors).toEqual([]);
});

test('Reset restores the starting mailbox', async ({ page }) => {
  const lab = await openLab(page);
  const total = await serverCards(page).count();
  for (const line of ['USER alice', 'PASS wonderland', 'RETR 2', 'DELE 1', 'DELE 2', 'QUIT'])
    await typeCommand(page, line);
  await expect(serverCards(page)).toHaveCount(total - 2);
  await expect(laptopCards(page)).toHaveCount(1);

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(serverCards(page)).toHaveCount(total);
  await expect(laptopCards(page)).toHaveCount(0);
  await expect(page.locator('li.card.marked')).toHaveCount(0);
  expect(await lineTexts(page)).toEqual([expect.stringMatching(/^S: \+OK/)]);
  await expect(page.getByTestId('session-state')).toHaveText('AUTHORIZATION');
  // The new session works: log in again and count every message.
  await typeCommand(page, 'USER alice');
  await typeCommand(page, 'PASS wonderland');
  await typeCommand(page, 'STAT');
  await expect(transcriptLines(page).last()).toHaveText(new RegExp(`^S: \\+OK ${total} `));
  expect(lab.errors).toEqual([]);
});

test('after QUIT, typing a command opens a new session', async ({ page }) => {
  const lab = await openLab(page);
  await typeCommand(page, 'QUIT');
  await expect(page.getByTestId('session-state')).toHaveText('closed');
  await typeCommand(page, 'USER alice');
  await expect(page.getByTestId('session-state')).toHaveText('AUTHORIZATION');
  const lines = await lineTexts(page);
  // QUIT and its +OK, then the new session's greeting, then the command.
  expect(lines.slice(lines.indexOf('C: QUIT'))).toEqual([
    'C: QUIT',
    expect.stringMatching(/^S: \+OK/),
    expect.stringMatching(/^S: \+OK/),
    'C: USER alice',
    expect.stringMatching(/^S: \+OK/),
  ]);
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('new connection');
  expect(lab.errors).toEqual([]);
});
