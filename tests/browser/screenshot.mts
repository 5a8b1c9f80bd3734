/**
 * The README's screenshot: the sandbox at 1440×900 with the phone on IMAP (copies on the phone,
 * originals on the server) and the laptop's terminal mid-session (RETR 2, DELE 2: a copy on the
 * laptop, the server's message marked for deletion).
 *
 *   npx tsx tests/browser/screenshot.mts            builds, serves with `vite preview`, writes docs/screenshot.png
 *   npx tsx tests/browser/screenshot.mts --no-build  uses the existing dist/
 *
 * Chromium's PNG is ~190 KB; with pngquant installed (Debian: apt-get install pngquant) the
 * palette version is ~65 KB and looks the same (flat UI colours, anti-aliased text).
 */
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { chromiumLaunchOptions } from './chromium';

const port = Number(process.env.LAB_SCREENSHOT_PORT ?? 4319);
const out = 'docs/screenshot.png';

if (!process.argv.includes('--no-build')) await build({ logLevel: 'error' });
const server = spawn(
  process.execPath,
  ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise<void>((resolve, reject) => {
  server.stdout!.on('data', (d: Buffer) => {
    if (d.toString().includes(String(port))) resolve();
  });
  server.on('exit', (code) => reject(new Error(`vite preview exited (${code})`)));
});

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  await page.goto(`http://127.0.0.1:${port}/`);
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  // The phone on IMAP keeps copies while the server keeps the originals...
  await region('Phone').getByRole('radio', { name: 'IMAP' }).check();
  await region('Phone').getByRole('button', { name: 'Check mail' }).click();
  await page.getByRole('list', { name: 'Phone messages' }).getByRole('listitem').first().waitFor();
  // ...while the laptop's terminal speaks POP3 by hand: RETR copies, DELE marks.
  await region('Laptop').getByRole('button', { name: 'Terminal' }).click();
  await page.locator('[data-editor="monaco"][data-ready="true"]').waitFor();
  const last = region('Laptop').getByRole('log', { name: 'Transcript' }).locator('.line').last();
  for (const line of ['USER alice', 'PASS wonderland', 'LIST', 'RETR 2', 'DELE 2']) {
    await region('Laptop').getByRole('textbox', { name: 'Command' }).focus();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await last.filter({ hasText: /^S: (\+OK|\.)/ }).waitFor();
  }
  await page.locator('li.item.marked').first().waitFor();
  // Let the diagram's last step and the card tags settle; then no caret or hover in the picture.
  await page.waitForTimeout(600);
  await page.mouse.move(0, 0);
  await page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: out });
  const quant = spawnSync('pngquant', [
    '--quality',
    '80-95',
    '--speed',
    '1',
    '--force',
    '--output',
    out,
    out,
  ]);
  if (quant.error || quant.status !== 0)
    console.warn('pngquant not available: the PNG stays as Chromium wrote it');
  console.log(`${out}: ${statSync(out).size} bytes`);
} finally {
  await browser.close();
  server.kill();
}
