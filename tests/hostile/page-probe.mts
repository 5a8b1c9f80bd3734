/**
 * A confused learner in headless Chromium (not part of the Playwright suite): types what people
 * really type, pastes several lines, presses Reset mid-animation, resizes; saves screenshots and
 * prints the transcript, console errors and dialogs. Run against a built app served by
 * `vite preview` (default http://127.0.0.1:4399):
 *
 *   npx tsx tests/hostile/page-probe.mts [url] [screenshot-dir]
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../browser/chromium';

const url = process.argv[2] ?? 'http://127.0.0.1:4399/';
const out = process.argv[3] ?? '/tmp/qa/shots';

const browser = await chromium.launch(chromiumLaunchOptions);
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const problems: string[] = [];
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
page.on('dialog', (d) => {
  problems.push(`DIALOG: ${d.message()}`);
  void d.dismiss();
});
await page.goto(url);
await page.locator('[data-editor="monaco"][data-ready="true"]').waitFor({ timeout: 15000 });
const cmd = page.getByRole('textbox', { name: 'Command' });

async function type(line: string): Promise<void> {
  await cmd.focus();
  await page.keyboard.type(line, { delay: 0 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(150);
}
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}

for (const line of ['help', 'retr', 'RETR 99', 'PASS wonderland', '<img src=x onerror=alert(1)>', '😀 📧 ñ'])
  await type(line);
await shot('01-confused');
console.log(
  '--- transcript after the confused lines\n' +
    (await page.getByRole('log', { name: 'Transcript' }).innerText()),
);
await type('x'.repeat(10000));
await shot('02-long-line');
// Paste several lines at once (what a learner copies from a tutorial).
await cmd.focus();
await page.evaluate(() =>
  navigator.clipboard?.writeText?.('USER alice\nPASS wonderland\nSTAT').catch(() => {}),
);
await page.keyboard.insertText('USER alice\nPASS wonderland\nSTAT\n');
await page.waitForTimeout(300);
await page.keyboard.press('Enter');
await page.waitForTimeout(300);
await shot('03-pasted');
console.log(
  '--- transcript after the paste (last 1500)\n' +
    (await page.getByRole('log', { name: 'Transcript' }).innerText()).slice(-1500),
);
await type('DELE 1');
await type('RETR 1');
await type('QUIT');
// Reset in the middle of the card animation.
await page.waitForTimeout(50);
await page.getByRole('button', { name: 'Reset' }).click();
await page.waitForTimeout(100);
await shot('04-reset-mid-animation');
await page.waitForTimeout(1500);
await shot('05-after-reset');
for (const [w, h] of [
  [360, 640],
  [800, 600],
  [1920, 1080],
]) {
  await page.setViewportSize({ width: w, height: h });
  await page.waitForTimeout(300);
  await shot(`06-size-${w}x${h}`);
}
const transcript = await page.getByRole('log', { name: 'Transcript' }).innerText();
console.log('--- transcript (last 3000 chars)\n' + transcript.slice(-3000));
console.log('--- session state:', await page.getByTestId('session-state').textContent());
const injected = await page.getByRole('log', { name: 'Transcript' }).locator('img, script').count();
console.log('--- injected elements in transcript:', injected);
const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
console.log('--- horizontal overflow at last size:', overflow);
console.log('--- problems:\n' + (problems.join('\n') || 'none'));
await browser.close();

// The same learner on IMAP: literals typed by hand, IDLE, a giant FETCH, script-looking text.
const page2 = await (
  await chromium.launch(chromiumLaunchOptions)
).newPage({ viewport: { width: 1280, height: 800 } });
const problems2: string[] = [];
page2.on('pageerror', (e) => problems2.push(`pageerror: ${String(e)}`));
page2.on('console', (m) => m.type() === 'error' && problems2.push(`console.error: ${m.text()}`));
page2.on('dialog', (d) => {
  problems2.push(`DIALOG: ${d.message()}`);
  void d.dismiss();
});
await page2.goto(url);
await page2.locator('[data-editor="monaco"][data-ready="true"]').waitFor({ timeout: 15000 });
await page2.getByRole('radio', { name: 'IMAP' }).check();
await page2.waitForTimeout(1000);
const cmd2 = page2.getByRole('textbox', { name: 'Command' });
for (const line of [
  'LOGIN alice wonderland',
  'a LOGIN alice wonderland',
  'b SELECT INBOX',
  'c FETCH 1:* (FLAGS BODY[])',
  'd LOGIN {5}',
  'e APPEND INBOX {99999999999999999999}',
  'f IDLE',
  'DONE',
  'g STORE 1 +FLAGS (<script>alert(1)</script>)',
  'h SEARCH TEXT "😀"',
]) {
  await cmd2.focus();
  await page2.keyboard.type(line, { delay: 0 });
  await page2.keyboard.press('Enter');
  await page2.waitForTimeout(200);
}
await page2.screenshot({ path: `${out}/07-imap.png`, fullPage: true });
const t2 = await page2.getByRole('log', { name: 'Transcript' }).innerText();
console.log(
  '--- IMAP transcript (without FETCH bodies)\n' +
    t2
      .split('\n')
      .filter((l) => /^(C:|S: [a-z*+] |[A-Z])/.test(l))
      .slice(0, 80)
      .join('\n'),
);
console.log('--- IMAP problems:\n' + (problems2.join('\n') || 'none'));
await page2.context().browser()?.close();
