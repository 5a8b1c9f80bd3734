/** Shared steps for the browser tests: open the lab, find devices, type on a terminal, read lists. */
import { expect, type Locator, type Page } from '@playwright/test';

export interface OpenLab {
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openLab(page: Page, path = '/', options: { fresh?: boolean } = {}): Promise<OpenLab> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  if (options.fresh !== false)
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('lab-test-keep')) localStorage.clear();
      sessionStorage.setItem('lab-test-keep', '1');
    });
  await page.goto(path);
  await expect(page.getByRole('region', { name: 'Mail server' })).toBeVisible();
  return { errors };
}

export function device(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** The list items of a device's (or the server's) message list. */
export function messages(page: Page, name: string): Locator {
  const list = name === 'Mail server' ? 'Server messages' : `${name} messages`;
  return page.getByRole('list', { name: list, exact: true }).getByRole('listitem');
}

export async function openTerminal(page: Page, name: string): Promise<void> {
  const d = device(page, name);
  if ((await d.getByRole('button', { name: 'Terminal' }).getAttribute('aria-expanded')) !== 'true')
    await d.getByRole('button', { name: 'Terminal' }).click();
  await expect(d.getByRole('log', { name: 'Transcript' })).toBeVisible();
  await expect(transcriptLines(page, name).first()).toHaveText(/^S: (\+OK|\* OK)/);
}

export function commandLine(page: Page, name: string): Locator {
  return device(page, name).getByRole('textbox', { name: 'Command' });
}

/** Types a line the way a learner does and presses Enter; waits until it shows in the transcript. */
export async function typeCommand(page: Page, name: string, line: string): Promise<void> {
  const before = await transcriptLines(page, name).count();
  await commandLine(page, name).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(() => transcriptLines(page, name).count()).toBeGreaterThan(before);
}

/** Protocol lines only (C: and S:), not the lab's notes. */
export function transcriptLines(page: Page, name: string): Locator {
  return device(page, name).getByRole('log', { name: 'Transcript' }).locator('.line');
}

export async function lineTexts(page: Page, name: string): Promise<string[]> {
  return (await transcriptLines(page, name).allTextContents()).map((t) => t.trim());
}

/** The text on a device's command line (plain input or Monaco). */
export async function commandValue(page: Page, name: string): Promise<string> {
  const monaco = device(page, name).locator('[data-editor="monaco"][data-ready="true"] .view-lines');
  if (await monaco.count()) return ((await monaco.textContent()) ?? '').replace(/\u00a0/g, ' ');
  return commandLine(page, name).inputValue();
}

export async function waitForMonaco(page: Page, name: string): Promise<void> {
  await device(page, name).locator('[data-editor="monaco"][data-ready="true"]').waitFor();
}
