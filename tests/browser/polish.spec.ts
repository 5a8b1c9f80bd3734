import { expect, test, type Page } from '@playwright/test';
import { commandLine, commandValue, lineTexts, openLab, transcriptLines, typeCommand } from './lab';

/** Pastes text the way the browser does on Ctrl+V: a paste event carrying the clipboard's text. */
async function paste(page: Page, text: string): Promise<void> {
  await commandLine(page).focus();
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

const clientLines = async (page: Page) => (await lineTexts(page)).filter((l) => l.startsWith('C:'));

test('U1: pasted lines are sent one by one in Monaco, in order, each answered', async ({ page }) => {
  const lab = await openLab(page);
  await paste(page, 'USER alice\nPASS wonderland\nSTAT\nLI');
  await expect(page.getByTestId('session-state')).toHaveText('TRANSACTION');
  expect(await clientLines(page)).toEqual(['C: USER alice', 'C: PASS wonderland', 'C: STAT']);
  await expect(transcriptLines(page).last()).toHaveText(/^S: \+OK \d+ \d+$/);
  // The unfinished last line stays on the command line; Enter sends it.
  expect(await commandValue(page)).toBe('LI');
  await page.keyboard.type('ST');
  await page.keyboard.press('Enter');
  await expect(transcriptLines(page).last()).toHaveText('S: .');
  expect(lab.errors).toEqual([]);
});

test('U1: the plain command line (no Monaco) sends pasted lines one by one too', async ({ page }) => {
  await page.route(/command-line-[^/]*\.js$/, (route) => route.abort());
  const lab = await openLab(page, { waitForMonaco: false });
  await expect(page.locator('input[aria-label="Command"]')).toBeVisible();
  await paste(page, 'USER alice\r\nPASS wonderland\r\nSTAT\r\n');
  await expect(transcriptLines(page).last()).toHaveText(/^S: \+OK \d+ \d+$/);
  expect(await clientLines(page)).toEqual(['C: USER alice', 'C: PASS wonderland', 'C: STAT']);
  expect(await commandValue(page)).toBe('');
  expect(lab.errors.filter((e) => !/command-line|Failed to fetch|ERR_FAILED/.test(e))).toEqual([]);
});

test('U2: after three bad commands the page says why and offers Reconnect', async ({ page }) => {
  await openLab(page);
  for (const line of ['help', 'retr', 'RETR 99']) await typeCommand(page, line);
  await expect(transcriptLines(page).last()).toHaveText('S: -ERR Too many invalid bad commands.');
  const closed = page.getByRole('status', { name: 'Connection closed' });
  await expect(closed).toContainText(/too many bad commands in a row/i);
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('password guessing');
  await page.screenshot({ path: 'test-results/polish-hangup.png' });
  await closed.getByRole('button', { name: 'Reconnect' }).click();
  await expect(closed).toHaveCount(0);
  await expect(page.getByTestId('session-state')).toHaveText('AUTHORIZATION');
  await expect(transcriptLines(page).last()).toHaveText(/^S: \+OK/);
});

test('U3: right after Reset the badge and the pill agree', async ({ page }) => {
  await openLab(page);
  await paste(page, 'USER alice\nPASS wonderland\nDELE 1\nRETR 1\nQUIT\n');
  await page.getByRole('button', { name: /reset/i }).click();
  // Two frames later, long before the old session's walk (UPDATE, closed) would have ended.
  const seen = await page.evaluate(
    () =>
      new Promise<{ badge: string; pill: string }>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() =>
            resolve({
              badge: document.querySelector('[data-testid="session-state"]')?.textContent ?? '',
              pill: document.querySelector('.pill')?.textContent ?? '',
            }),
          ),
        ),
      ),
  );
  expect(seen).toEqual({ badge: 'AUTHORIZATION', pill: 'connected' });
});

test('U4 + U5: IMAP Selected lists FETCH first, every command reachable; NO/BAD in red', async ({ page }) => {
  await openLab(page);
  await page.getByRole('radio', { name: 'IMAP' }).check();
  await expect(page.getByTestId('session-state')).toHaveText('Not Authenticated');
  await typeCommand(page, 'a1 LOGIN alice wrong');
  await typeCommand(page, 'a2 LOGIN alice wonderland');
  await typeCommand(page, 'a3 SELECT INBOX');
  await expect(page.getByTestId('session-state')).toHaveText('Selected');
  const legal = page.getByRole('list', { name: 'Commands legal in Selected' });
  await expect(legal.locator('code').first()).toHaveText('FETCH');
  await expect(legal.locator('code').nth(1)).toHaveText('STORE');
  const more = legal.getByRole('button', { name: /^\+\d+ more$/ });
  await more.click();
  await expect(legal.getByRole('button', { name: 'fewer' })).toHaveAttribute('aria-expanded', 'true');
  for (const name of ['FETCH', 'UID FETCH', 'SELECT', 'LOGOUT', 'IDLE']) {
    await expect(legal.locator('code', { hasText: new RegExp(`^${name}$`) })).toBeInViewport();
  }
  await typeCommand(page, 'a4 FROB');
  const log = page.getByRole('log', { name: 'Transcript' });
  const red = 'rgb(180, 35, 24)'; // --danger, as POP3 -ERR
  await expect(log.locator('.line', { hasText: /^S: a1 NO/ })).toHaveCSS('color', red);
  await expect(log.locator('.line', { hasText: /^S: a4 BAD/ })).toHaveCSS('color', red);
  await expect(log.locator('.line', { hasText: /^S: a3 OK/ })).not.toHaveCSS('color', red);
  await page.screenshot({ path: 'test-results/polish-imap-selected.png' });
});

test('U5: at 360 px the diagram keeps readable text and scrolls sideways; the page does not', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await openLab(page);
  const text = page.locator('svg.diagram text').first();
  await expect(text).toBeVisible();
  const height = (await text.boundingBox())!.height;
  expect(height).toBeGreaterThanOrEqual(9);
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    view: window.innerWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.view);
  await page.getByTestId('session-state').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/polish-360.png' });
});
