/** Shared steps for the browser tests: open the lab, type on its command line, read the transcript. */
import { expect, type Locator, type Page } from '@playwright/test';

export interface OpenLab {
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openLab(page: Page, options: { waitForMonaco?: boolean } = {}): Promise<OpenLab> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto('/');
  await expect(transcriptLines(page).first()).toHaveText(/^S: \+OK/);
  if (options.waitForMonaco !== false)
    await page.locator('[data-editor="monaco"][data-ready="true"]').waitFor();
  return { errors };
}

export function commandLine(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Command' });
}

/** Types a line the way a learner does and presses Enter. */
export async function typeCommand(page: Page, line: string): Promise<void> {
  await commandLine(page).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Protocol lines only (C: and S:), not the lab's notes. */
export function transcriptLines(page: Page): Locator {
  return page.getByRole('log', { name: 'Transcript' }).locator('.line');
}

export async function lineTexts(page: Page): Promise<string[]> {
  return (await transcriptLines(page).allTextContents()).map((t) => t.trim());
}

export function serverCards(page: Page): Locator {
  return page.getByRole('list', { name: 'Messages on the server' }).locator('li.card:not(.leaving)');
}

export function laptopCards(page: Page): Locator {
  return page.getByRole('list', { name: 'Messages on the laptop' }).locator('li.card');
}

/** The text currently on the command line (plain input or Monaco). */
export async function commandValue(page: Page): Promise<string> {
  const monaco = page.locator('[data-editor="monaco"][data-ready="true"] .view-lines');
  if (await monaco.count()) return ((await monaco.textContent()) ?? '').replace(/\u00a0/g, ' ');
  return commandLine(page).inputValue();
}
