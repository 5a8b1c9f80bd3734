/** The Compare view: one story under POP3 and IMAP, scrubbed, forked, shared, read as a learner would. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

const column = (page: Page, protocol: 'POP3' | 'IMAP') =>
  page.getByRole('region', { name: protocol, exact: true });

const items = (col: Locator, device: string) =>
  col
    .getByRole('region', { name: device, exact: true })
    .getByRole('list', { name: `${device} messages`, exact: true })
    .getByRole('listitem');

const serverItems = (col: Locator) =>
  col
    .getByRole('region', { name: 'Mail server' })
    .getByRole('list', { name: 'Server messages' })
    .getByRole('listitem');

/** A table row's POP3 and IMAP cells. */
async function row(page: Page, label: string): Promise<[string, string]> {
  const r = page.getByRole('table').filter({ hasText: 'npm run compare' }).getByRole('row', { name: label });
  return [await r.getByRole('cell').nth(0).innerText(), await r.getByRole('cell').nth(1).innerText()];
}

async function openCompare(page: Page, hash: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`/${hash}`);
  await expect(page.getByRole('slider', { name: 'Timeline' })).toBeVisible({ timeout: 15_000 });
  return errors;
}

test('three devices under POP3: scrub to the end and read the phone in both columns', async ({ page }) => {
  const errors = await openCompare(page, '#/compare/three-devices-pop3');
  const slider = page.getByRole('slider', { name: 'Timeline' });
  const pop3 = column(page, 'POP3');
  const imap = column(page, 'IMAP');
  // The start: five messages on both servers, nothing on any device.
  await expect(serverItems(pop3)).toHaveCount(5);
  await expect(serverItems(imap)).toHaveCount(5);
  await expect(items(pop3, 'Phone')).toHaveCount(0);

  await slider.focus();
  await page.keyboard.press('End');
  await expect(page).toHaveURL(/#\/compare\/three-devices-pop3\/end$/);
  await expect(items(pop3, 'Phone')).toHaveCount(0);
  await expect(items(imap, 'Phone')).toHaveCount(5);
  await expect(items(pop3, 'Laptop')).toHaveCount(5);
  await expect(serverItems(pop3)).toHaveCount(0);
  await expect(serverItems(imap)).toHaveCount(5);
  // What differs is marked on the device itself, with the other column's numbers.
  await expect(pop3.getByRole('region', { name: 'Phone', exact: true })).toContainText('(IMAP: 5 messages');
  // The numbers are the CLI's.
  expect(await row(page, 'Phone: messages')).toEqual(['0', '5']);
  expect(await row(page, 'Messages some device never got')).toEqual(['5', '0']);

  // Back with the arrow keys and Home; the same state as playing there.
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/#\/compare\/three-devices-pop3\/10$/);
  await page.keyboard.press('Home');
  await expect(items(imap, 'Phone')).toHaveCount(0);
  await expect(serverItems(pop3)).toHaveCount(5);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(slider).toHaveAttribute('aria-valuetext', /Step 2 of 11: The laptop checks mail/);
  await expect(items(pop3, 'Laptop')).toHaveCount(5);
  await expect(serverItems(pop3)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('what-if: leave on server on the laptop gives the POP3 phone its copies; discarding restores it', async ({
  page,
}) => {
  const errors = await openCompare(page, '#/compare/three-devices-pop3/end');
  const pop3 = column(page, 'POP3');
  await expect(items(pop3, 'Phone')).toHaveCount(0);
  await page.getByRole('button', { name: 'What if…' }).click();
  const form = page.getByRole('form', { name: 'What if' });
  await expect(form.getByRole('combobox', { name: 'When' })).toHaveValue('0');
  await form.getByRole('combobox', { name: 'Device' }).selectOption({ label: 'Laptop' });
  await form.getByRole('checkbox', { name: 'Leave messages on server' }).check();
  await form.getByRole('button', { name: 'Apply what-if' }).click();
  await expect(page.getByRole('region', { name: 'What-ifs' })).toContainText("the Laptop's settings change");
  await expect(items(pop3, 'Phone')).toHaveCount(5);
  // The phone keeps no copies on the server: it takes them, and the work PC still finds none.
  await expect(items(pop3, 'Work PC')).toHaveCount(0);
  expect(await row(page, 'Phone: messages')).toEqual(['5', '5']);
  await expect(page).toHaveURL(/#\/compare\/share\//);

  // The link replays the what-if at the same position.
  const link = page.url();
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByRole('textbox', { name: 'Share link' })).toHaveValue(link);
  await page.keyboard.press('Escape');
  await page.goto('about:blank');
  await page.goto(link);
  await expect(items(column(page, 'POP3'), 'Phone')).toHaveCount(5, { timeout: 15_000 });

  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(items(column(page, 'POP3'), 'Phone')).toHaveCount(0);
  await expect(page).toHaveURL(/#\/compare\/three-devices-pop3\/end$/);
  expect(errors).toEqual([]);
});

test('a fault: another POP3 session holds the lock, so the POP3 laptop is refused [IN-USE] and IMAP is not', async ({
  page,
}) => {
  await openCompare(page, '#/compare/three-devices-pop3/end');
  await page.getByRole('button', { name: 'What if…' }).click();
  const form = page.getByRole('form', { name: 'What if' });
  await form.getByRole('combobox', { name: 'Change' }).selectOption({ label: 'Inject a fault' });
  await form
    .getByRole('combobox', { name: 'Fault' })
    .selectOption({ label: 'Locked out by another POP3 session' });
  await form.getByRole('combobox', { name: 'Device' }).selectOption({ label: 'Laptop' });
  await form.getByRole('button', { name: 'Apply what-if' }).click();
  await expect(page.getByRole('region', { name: 'What-ifs' })).toContainText(
    'locked out by another pop3 session',
  );
  await expect.poll(() => row(page, 'POP3 logins refused [IN-USE]')).toEqual(['1', '0']);
  // The step is on the timeline, marked as a what-if.
  await expect(page.getByRole('region', { name: 'Steps of the story' }).getByText('what-if')).toHaveCount(1);
});

test('the storage bill: the chart, its table, the price; the picker; back and forward', async ({ page }) => {
  const errors = await openCompare(page, '#/compare');
  await expect(
    page.getByRole('heading', { name: 'A year of mail: server storage and its price' }),
  ).toBeVisible();
  const chart = page.getByRole('figure', { name: 'Server storage' });
  await expect(chart.locator('svg path').first()).toBeVisible();
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  expect((await row(page, 'Server: messages (all folders)'))[1]).toMatch(/^3\d{3}$/);
  await chart.getByText('Show as a table').click();
  const table = chart.getByRole('table');
  await expect(table).toBeVisible();
  expect(await table.getByRole('row').count()).toBeGreaterThan(10);
  await chart.getByRole('textbox', { name: 'Price per GB per month' }).fill('4');
  await expect(table.getByRole('caption')).toContainText('$4.00 per GB');

  await page.getByRole('combobox', { name: 'Story' }).selectOption({ label: 'The laptop is lost' });
  await expect(page).toHaveURL(/#\/compare\/laptop-lost$/);
  await expect(page.getByRole('heading', { name: 'The laptop is lost' })).toBeVisible();
  // A story of a few KB and no pricing: no axis of fractions of a cent, a sentence instead.
  await expect(chart).toContainText('No cost axis: even the top of the chart');
  await expect(chart.locator('g.storage-axis-cost .tick')).toHaveCount(0);
  await page.goBack();
  await expect(
    page.getByRole('heading', { name: 'A year of mail: server storage and its price' }),
  ).toBeVisible();
  // The list of stories, each with its summary and claims.
  await page.getByRole('button', { name: 'All stories' }).click();
  const list = page.getByRole('region', { name: 'Stories to compare' });
  await expect(list.getByRole('listitem')).toHaveCount(6);
  await expect(list.getByRole('listitem').filter({ hasText: 'One computer' })).toContainText('C9');
  await list.getByRole('link', { name: 'One computer, simple needs' }).click();
  await expect(page).toHaveURL(/#\/compare\/one-computer$/);
  await expect(page.getByRole('heading', { name: 'One computer, simple needs' })).toBeVisible();
  expect(errors).toEqual([]);
});

test("the guide's links open the comparison at the step; a bad link says so", async ({ page }) => {
  await openCompare(page, '#/compare/three-devices-pop3/5');
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute(
    'aria-valuetext',
    /^Step 5 of 11/,
  );
  // The shortcuts list says how to move on the timeline.
  await page.getByRole('heading', { level: 2 }).first().click();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Timeline');
  await page.keyboard.press('Escape');
  await page.goto('/#/compare/no-such-story');
  await expect(page.getByRole('alert')).toContainText('There is no scenario “no-such-story”');
  await page.goto('/#/compare/share/AAAA');
  await expect(page.getByRole('alert')).toContainText('That Compare link cannot be opened');
});

test('the Compare view has no serious or critical accessibility problems', async ({ page }) => {
  await openCompare(page, '#/compare/imap-three-devices/end');
  await page.getByRole('button', { name: 'What if…' }).click();
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  await expect(page.getByRole('tab', { name: 'Form' })).toBeVisible();
  // With problems listed and shown at their fields (they are red on the panel).
  const account = page.getByRole('group', { name: 'Account' });
  await account.getByRole('textbox', { name: 'User' }).fill('bob');
  await expect(account.getByRole('textbox', { name: 'Password' })).toHaveAttribute('aria-invalid', 'true');
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${theme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
      [],
    );
  }
});

test('a scenario file from disk runs at once; a broken one lists its problems with their paths', async ({
  page,
}) => {
  await openCompare(page, '#/compare/three-devices-pop3');
  const scenario = {
    id: 'two-tablets',
    title: 'Two tablets and a note',
    summary: 'A scenario the lab does not ship.',
    claims: ['C2'],
    messages: [{ id: 'm1', from: 'Ann <ann@example.org>', subject: 'Hello from a file', body: 'Hi!' }],
    devices: [
      { id: 'tablet', name: 'Tablet', kind: 'tablet' },
      { id: 'phone', name: 'Phone', kind: 'phone' },
    ],
    timeline: [
      { do: 'check', device: 'tablet' },
      { do: 'check', device: 'phone' },
    ],
  };
  await page.getByLabel('Scenario file').setInputFiles({
    name: 'two-tablets.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await expect(page.getByRole('heading', { name: 'Two tablets and a note' })).toBeVisible();
  await expect(page).toHaveURL(/#\/compare\/share\//);
  const atStart = page.url();
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  await expect(items(column(page, 'POP3'), 'Tablet')).toHaveCount(1);
  await expect(items(column(page, 'POP3'), 'Phone')).toHaveCount(0);
  await expect(items(column(page, 'IMAP'), 'Phone')).toHaveCount(1);
  // The address follows the position once the scrubbing rests.
  await expect.poll(() => page.url()).not.toBe(atStart);
  // A reload keeps the learner's scenario and the position.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Two tablets and a note' })).toBeVisible({
    timeout: 15_000,
  });
  await expect(items(column(page, 'IMAP'), 'Phone')).toHaveCount(1);

  await page.getByLabel('Scenario file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...scenario, timeline: [{ do: 'check', device: 'toaster' }] })),
  });
  await expect(page.getByRole('alert')).toContainText('timeline[0]');
  // Nothing changed: the story shown is still the last good one.
  await expect(page.getByRole('heading', { name: 'Two tablets and a note' })).toBeVisible();
});

test('the scenario editor: change a setting in the form, run it; a broken text shows its problem; export a file', async ({
  page,
}) => {
  const errors = await openCompare(page, '#/compare/three-devices-pop3/end');
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const laptop = page.getByRole('group', { name: 'Device 1: Laptop' });
  await laptop.getByRole('checkbox', { name: 'Leave messages on server' }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  await expect(items(column(page, 'POP3'), 'Phone')).toHaveCount(5);
  await expect(page.getByRole('combobox', { name: 'Story' })).toHaveValue('');

  await page.getByRole('tab', { name: 'Text' }).click();
  const text = page.getByRole('textbox', { name: 'Scenario text' });
  const good = await text.inputValue();
  await text.fill(good.replace('"kind": "phone"', '"kind": "toaster"'));
  await expect(page.getByRole('alert').filter({ hasText: 'problem' })).toContainText('devices[1].kind');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await text.fill(good);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export file' }).click();
  expect((await download).suggestedFilename()).toBe('three-devices-pop3.json');
  expect(errors).toEqual([]);
});

test('the scenario editor: each problem takes the learner to its field, or to its line in the text', async ({
  page,
}) => {
  const errors = await openCompare(page, '#/compare/leave-on-server');
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const title = page.getByRole('group', { name: 'About' }).getByRole('textbox', { name: 'Title' });
  await title.fill('');
  const list = page.getByRole('alert').filter({ hasText: 'problem' });
  const problem = list.getByRole('button', { name: /^scenario\.title: must be a non-empty string/ });
  await expect(problem).toBeVisible();
  // At the field too: marked invalid, and described by what is wrong.
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(title).toHaveAccessibleDescription('must be a non-empty string');
  // By keyboard: the problem is a button with a visible focus ring; Enter goes to the field.
  await problem.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(problem).toBeFocused();
  expect(await problem.evaluate((b) => getComputedStyle(b).outlineStyle)).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(title).toBeFocused();
  expect(await title.evaluate((b) => getComputedStyle(b).outlineStyle)).not.toBe('none');
  await expect(title).toBeInViewport();
  // From the sticky footer, wherever the learner is in the form.
  await page.getByRole('button', { name: 'Add message' }).focus();
  await page.getByRole('button', { name: 'Go to the first problem' }).click();
  await expect(title).toBeFocused();
  await title.fill('Mine');
  await expect(list.getByRole('button')).toHaveCount(0);

  // In the Text tab: the problem's line is selected and scrolled into view.
  await page.getByRole('tab', { name: 'Text' }).click();
  const text = page.getByRole('textbox', { name: 'Scenario text' });
  const good = await text.inputValue();
  // The last step, a check on every device, checks a toaster instead.
  const last = good.lastIndexOf('"device": "*"');
  await text.fill(`${good.slice(0, last)}"device": "toaster"${good.slice(last + '"device": "*"'.length)}`);
  await text.evaluate((t) => (t.scrollTop = 0));
  await list.getByRole('button', { name: /^timeline\[12\]\.device: unknown device "toaster"/ }).click();
  await expect(text).toBeFocused();
  const shown = await text.evaluate((t: HTMLTextAreaElement) => {
    const line = t.value.slice(0, t.selectionStart).split('\n').length;
    const height = parseFloat(getComputedStyle(t).lineHeight);
    const top = (line - 1) * height;
    return {
      selected: t.value.slice(t.selectionStart, t.selectionEnd),
      visible: top >= t.scrollTop && top + height <= t.scrollTop + t.clientHeight,
      scrolled: t.scrollTop > 0,
    };
  });
  expect(shown).toEqual({ selected: '"device": "toaster"', visible: true, scrolled: true });
  await text.fill(good);
  await expect(list.getByRole('button')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the scenario editor: the account, the storage pricing and a delivery's To in the form", async ({
  page,
}) => {
  const errors = await openCompare(page, '#/compare/leave-on-server');
  await page.getByRole('button', { name: 'Edit scenario' }).click();
  const account = page.getByRole('group', { name: 'Account' });
  await account.getByRole('textbox', { name: 'User' }).fill('bob');
  // Half an account is a problem at the missing half.
  const password = account.getByRole('textbox', { name: 'Password' });
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await password.fill('secret');
  await expect(password).not.toHaveAttribute('aria-invalid');
  const pricing = page.getByRole('group', { name: 'Storage pricing' });
  await pricing.getByRole('spinbutton', { name: 'Quota in octets' }).fill('1048576');
  await expect(pricing).toContainText('1 MB included');
  await pricing.getByRole('spinbutton', { name: 'Price per GB per month' }).fill('5');
  await page.getByRole('combobox', { name: 'New step' }).selectOption({ label: 'Deliver a message' });
  await page.getByRole('button', { name: 'Add step' }).click();
  const delivery = page.getByRole('group', { name: 'Step 14: Deliver a message' });
  const to = delivery.getByRole('textbox', { name: 'To' });
  await expect(to).toHaveAttribute('placeholder', 'bob@lab.example');
  await to.fill('Carol <carol@lab.example>');
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  // Both worlds run the edited story: bob's mailbox, billed above 1 MB at $5.
  await expect(column(page, 'POP3').getByRole('region', { name: 'Mail server' })).toContainText(
    "bob's mailbox",
  );
  const chart = page.getByRole('figure', { name: 'Server storage' });
  await expect(chart).toContainText('quota 1 MB');
  await expect(chart.getByRole('textbox', { name: 'Price per GB per month' })).toHaveValue('5');
  await page.getByRole('tab', { name: 'Text' }).click();
  const s = JSON.parse(await page.getByRole('textbox', { name: 'Scenario text' }).inputValue());
  expect(s.account).toEqual({ user: 'bob', password: 'secret' });
  expect(s.storage).toEqual({ quotaBytes: 1048576, pricePerGBMonth: 5 });
  expect(s.timeline[13].message.to).toBe('Carol <carol@lab.example>');
  expect(errors).toEqual([]);
});

test("a device's own controls fork the story at the step shown: the phone checks before the laptop", async ({
  page,
}) => {
  const errors = await openCompare(page, '#/compare/three-devices-pop3');
  const pop3 = column(page, 'POP3');
  // At the start, the phone (in the POP3 column) checks mail: a step inserted here, both worlds replay.
  await pop3
    .getByRole('region', { name: 'Phone', exact: true })
    .getByRole('button', { name: 'Check mail' })
    .click();
  await expect(page.getByRole('region', { name: 'What-ifs' })).toContainText('The phone checks mail.');
  await expect(page.getByRole('slider', { name: 'Timeline' })).toHaveAttribute(
    'aria-valuetext',
    /^Step 1 of 12/,
  );
  await expect(items(pop3, 'Phone')).toHaveCount(5);
  await page.getByRole('slider', { name: 'Timeline' }).focus();
  await page.keyboard.press('End');
  await expect(items(pop3, 'Laptop')).toHaveCount(0);
  await expect(items(pop3, 'Phone')).toHaveCount(5);
  // A setting changed on a device is a what-if too.
  await page.keyboard.press('Home');
  const laptop = pop3.getByRole('region', { name: 'Laptop', exact: true });
  await laptop.getByRole('checkbox', { name: 'Leave messages on server' }).check();
  await expect(page.getByRole('region', { name: 'What-ifs' })).toContainText('leave on server');
  expect(errors).toEqual([]);
});
