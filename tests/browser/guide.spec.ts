/** The decision guide (C10): questions, a recommendation, reasons that link to comparisons. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openLab } from './lab';

async function answer(page: Page, answers: Record<string, string>) {
  const guide = page.getByRole('region', { name: 'Decision guide' });
  for (const [question, option] of Object.entries(answers))
    await guide.getByRole('group', { name: question }).getByRole('radio', { name: option }).check();
}

test('three devices: IMAP; one computer that keeps the server small: POP3; each reason links', async ({
  page,
}) => {
  const lab = await openLab(page);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Decision guide' }).click();
  await expect(page).toHaveURL(/#\/guide$/);
  const guide = page.getByRole('region', { name: 'Decision guide' });
  await expect(guide.getByRole('status')).toContainText('Answer all 5 questions');
  await answer(page, {
    'How many devices read this mailbox?': 'Two or three (say a phone and a laptop)',
    'Should a message you read, flag or file on one device look the same on the others?': 'Yes',
    'Do you mind mail piling up on the server, perhaps paying for more space?':
      'No, space is cheap or included',
    'Do you back up your computer yourself?': 'No, or rarely',
    'Do you need to read your mail without a network?': 'Rarely',
  });
  await expect(guide.getByRole('status')).toContainText('Recommendation: IMAP');
  const first = guide.getByRole('status').getByRole('listitem').first();
  await expect(first).toContainText('first device to check takes the mail');
  await expect(first.getByRole('link')).toHaveAttribute('href', '#/compare/three-devices-pop3/5');
  await answer(page, {
    'How many devices read this mailbox?': 'One computer',
    'Should a message you read, flag or file on one device look the same on the others?':
      'No, each device on its own is fine',
    'Do you mind mail piling up on the server, perhaps paying for more space?': 'Yes, keep the server small',
    'Do you back up your computer yourself?': 'Yes, regularly',
  });
  await expect(guide.getByRole('status')).toContainText('Recommendation: POP3');
  await expect(guide.getByRole('status')).toContainText('storage grows');
  const scan = await new AxeBuilder({ page }).analyze();
  expect(
    scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
  ).toEqual([]);
  // Back to the lab through the navigation.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Sandbox' }).click();
  await expect(page.getByRole('region', { name: 'Mail server' })).toBeVisible();
  expect(lab.errors).toEqual([]);
});
