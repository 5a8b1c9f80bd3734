/**
 * The lesson screens as a learner and a teacher use them: the list of tracks, a lesson followed
 * by typing and clicking (POP3 login, the C2 story), hints and the solution, Reset step,
 * progress over a reload and as a file, lesson files opened from disk (hostile ones refused, and
 * nothing runs), the lesson builder, the layouts, axe-core in light and dark.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { device, messages, openTerminal, typeCommand, lineTexts } from './lab';

const FIXTURES = 'tests/lessons/fixtures';
const PROGRESS_KEY = 'pop-vs-imap-lab.progress';

/** Opens a page of the lab with fresh storage (kept over reloads) and collects console errors. */
async function open(page: Page, path: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('lab-test-keep')) localStorage.clear();
    sessionStorage.setItem('lab-test-keep', '1');
  });
  await page.goto(path);
  return errors;
}

const lesson = (page: Page) => page.getByRole('region', { name: 'Lesson', exact: true });
const goal = (page: Page) => lesson(page).getByRole('status');
const button = (page: Page, name: string) => lesson(page).getByRole('button', { name, exact: true });

async function next(page: Page) {
  await expect(goal(page)).toContainText('Goal met');
  await button(page, 'Next step').click();
}

async function scan(page: Page, what: string) {
  await page.waitForFunction(() => document.getAnimations().length === 0);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${what}: ${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

test('the list: three tracks, every lesson with its minutes, level and steps; a lesson opens from it', async ({
  page,
}) => {
  const errors = await open(page, '/#/lessons');
  for (const track of ['POP3 on the wire', 'IMAP on the wire', 'Stories on several devices'])
    await expect(page.getByRole('heading', { name: track })).toBeVisible();
  await expect(page.getByRole('link')).toContainText(['Connect and log in to POP3']);
  const card = page.getByRole('listitem').filter({ hasText: 'Connect and log in to POP3' });
  await expect(card).toContainText('beginner');
  await expect(card).toContainText('5 min');
  await expect(card).toContainText('3 steps');
  await expect(page.getByRole('listitem').filter({ hasText: 'POP3 downloads and removes' })).toContainText(
    'C2 C6',
  );
  await expect(page.getByText('0 of 22 lessons done.')).toBeVisible();
  await page.screenshot({ path: 'test-results/lessons-list.png', fullPage: true });
  await page.getByRole('link', { name: 'Connect and log in to POP3' }).click();
  await expect(page).toHaveURL(/#\/lesson\/pop3-login$/);
  await expect(lesson(page).getByRole('heading', { name: 'Connect and log in to POP3' })).toBeVisible();
  // Back and forward move between the pages.
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'POP3 on the wire' })).toBeVisible();
  await page.goForward();
  await expect(lesson(page)).toBeVisible();
  await page.getByRole('link', { name: 'Sandbox' }).click();
  await expect(page.getByRole('region', { name: 'Mail server' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Phone', exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a learner completes the first POP3 lesson by typing: USER, PASS, QUIT; the summary counts commands', async ({
  page,
}) => {
  const errors = await open(page, '/#/lesson/pop3-login');
  await expect(lesson(page)).toBeVisible();
  // Only the lesson's device is on screen, with the server.
  await expect(page.getByRole('region', { name: 'Laptop', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Phone', exact: true })).toHaveCount(0);
  await expect(goal(page)).toContainText('Not yet');
  await expect(goal(page)).toContainText('has not sent USER');
  await expect(button(page, 'Next step')).toBeDisabled();
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await expect(goal(page)).toContainText('Goal met');
  await expect(lesson(page)).toContainText('What happened');
  await expect(lesson(page)).toContainText('AUTHORIZATION');
  await page.screenshot({ path: 'test-results/lesson-pop3-login-met.png' });
  await next(page);
  await expect(lesson(page)).toContainText('Step 2 of 3');
  await expect(goal(page)).toContainText('Not yet');
  // A wrong password is refused: the goal says what it found; the login starts again with USER.
  await typeCommand(page, 'Laptop', 'PASS queen');
  await expect(goal(page)).toContainText('Not yet');
  await typeCommand(page, 'Laptop', 'USER alice');
  await typeCommand(page, 'Laptop', 'PASS wonderland');
  await next(page);
  await typeCommand(page, 'Laptop', 'QUIT');
  await expect(goal(page)).toContainText('Goal met');
  await button(page, 'Next step').click();
  const summary = lesson(page).getByRole('region', { name: 'Lesson complete' });
  await expect(summary).toContainText('You used 5 commands and actions; the solution uses 3.');
  await expect(summary).toContainText('A few more than the solution');
  await page.screenshot({ path: 'test-results/lesson-pop3-login-done.png' });
  // The list ticks it off; the next lesson of the track is one click away.
  await summary.getByRole('link', { name: /^Next lesson: STAT and LIST/ }).click();
  await expect(lesson(page).getByRole('heading', { name: /STAT and LIST/ })).toBeVisible();
  await page.goto('/#/lessons');
  await expect(page.getByRole('listitem').filter({ hasText: 'Connect and log in to POP3' })).toContainText(
    'Done',
  );
  await expect(page.getByText('1 of 22 lessons done.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the C2 story by clicking: the laptop takes everything, the phone and the work PC find nothing', async ({
  page,
}) => {
  const errors = await open(page, '/#/lesson/story-pop3-phone-empty');
  await expect(goal(page)).toContainText('The laptop holds 0 messages; the goal is 5 messages');
  await device(page, 'Laptop').getByRole('button', { name: 'Check mail' }).click();
  await expect(messages(page, 'Laptop')).toHaveCount(5);
  await expect(messages(page, 'Mail server')).toHaveCount(0);
  await next(page);
  await device(page, 'Phone').getByRole('button', { name: 'Check mail' }).click();
  await expect(goal(page)).toContainText('Goal met');
  await expect(messages(page, 'Phone')).toHaveCount(0);
  await next(page);
  const laptop = (subject: string) => messages(page, 'Laptop').filter({ hasText: subject });
  await laptop('Dinner on Friday?').getByRole('button', { name: 'Mark read' }).click();
  await laptop('Your order has shipped').getByRole('button', { name: 'Flag', exact: true }).click();
  await expect(goal(page)).toContainText('Not yet');
  await device(page, 'Work PC').getByRole('button', { name: 'Check mail' }).click();
  await expect(goal(page)).toContainText('Goal met');
  await expect(lesson(page)).toContainText('three different inboxes');
  await page.screenshot({ path: 'test-results/lesson-story-c2.png' });
  await button(page, 'Next step').click();
  await expect(lesson(page).getByRole('region', { name: 'Lesson complete' })).toContainText(
    'You used 5 commands and actions; the solution uses 6.',
  );
  expect(errors).toEqual([]);
});

test('hints reveal one by one, the solution lists each raw line in its own code element; Reset step', async ({
  page,
}) => {
  const errors = await open(page, '/#/lesson/pop3-login');
  const hints = lesson(page).getByRole('list', { name: 'Hints' }).getByRole('listitem');
  await expect(hints).toHaveCount(0);
  await button(page, 'Hint').click();
  await expect(hints).toHaveCount(1);
  await expect(hints.first()).toContainText('POP3 commands are short words in capitals');
  await button(page, 'Hint').click();
  await expect(hints).toHaveCount(2);
  await expect(hints.nth(1).locator('code')).toHaveText('USER alice');
  await expect(button(page, 'Hint')).toBeDisabled();
  await button(page, 'Show solution').click();
  const solution = lesson(page).getByRole('group', { name: 'Solution' });
  await expect(solution.locator('code')).toHaveText(['USER alice']);
  await expect(solution).toContainText('On the laptop, type USER alice');
  await page.screenshot({ path: 'test-results/lesson-hints-solution.png' });
  // Reset step puts the world back: a typed line is undone, the goal is unmet again.
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await expect(goal(page)).toContainText('Goal met');
  await button(page, 'Reset step').click();
  await expect(goal(page)).toContainText('Not yet');
  await expect.poll(() => lineTexts(page, 'Laptop')).not.toContain('C: USER alice');
  // The terminal connects again, as when the step began; typing works as before.
  await typeCommand(page, 'Laptop', 'USER alice');
  await expect(goal(page)).toContainText('Goal met');
  // Playing the solution for the learner (a world action gets a "Do it" button, a line does not).
  await button(page, 'Next step').click();
  await button(page, 'Show solution').click();
  await expect(solution.locator('code')).toHaveText(['PASS wonderland']);
  await expect(solution.getByRole('button', { name: /^Do it/ })).toHaveCount(0);
  await solution.getByRole('button', { name: 'Reset the step and play the solution' }).click();
  await expect(goal(page)).toContainText('Goal met');
  await expect(goal(page)).toContainText('TRANSACTION');
  expect(errors).toEqual([]);
});

test('an action the world view has no button for: the step offers it; the solution has "Do it"', async ({
  page,
}) => {
  const errors = await open(page, '/#/lesson/pop3-quit-update');
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'DELE 1');
  await typeCommand(page, 'Laptop', 'DELE 2');
  await next(page);
  // "Break the connection": no button in the world view, so the step has one.
  const drop = lesson(page)
    .getByRole('group', { name: 'For this step' })
    .getByRole('button', { name: "Break the laptop's connection (no QUIT or LOGOUT)" });
  await button(page, 'Show solution').click();
  await expect(
    lesson(page).getByRole('button', { name: /^Do it: Break the laptop's connection/ }),
  ).toBeVisible();
  await drop.click();
  await expect(goal(page)).toContainText('Goal met');
  await expect(messages(page, 'Mail server')).toHaveCount(12);
  await expect(drop).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('progress survives a reload, shows on the list, goes out as a file and comes back in', async ({
  page,
  browser,
}) => {
  const errors = await open(page, '/#/lesson/pop3-login');
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await next(page);
  await button(page, 'Hint').click();
  await expect(lesson(page)).toContainText('Step 2 of 3');
  await page.waitForFunction((key) => localStorage.getItem(key)?.includes('"step":1'), PROGRESS_KEY);
  await page.reload();
  await expect(lesson(page)).toContainText('Step 2 of 3');
  await expect(lesson(page).getByRole('list', { name: 'Hints' }).getByRole('listitem')).toHaveCount(1);
  // The world came back too: the session typed before the reload is still in AUTHORIZATION.
  await expect(goal(page)).toContainText('AUTHORIZATION');
  await openTerminal(page, 'Laptop');
  await expect.poll(() => lineTexts(page, 'Laptop')).toContain('C: USER alice');
  await typeCommand(page, 'Laptop', 'PASS wonderland');
  await expect(goal(page)).toContainText('Goal met');

  await page.goto('/#/lessons');
  await expect(page.getByRole('listitem').filter({ hasText: 'Connect and log in to POP3' })).toContainText(
    'In progress: step 2 of 3',
  );
  await expect(
    page.getByRole('link', { name: /Continue where you left off: Connect and log in to POP3/ }),
  ).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export progress' }).click(),
  ]);
  const path = await download.path();
  const text = readFileSync(path!, 'utf8');
  expect(JSON.parse(text)).toMatchObject({
    kind: 'pop-vs-imap-lab/progress',
    version: 1,
    lessons: [{ id: 'pop3-login' }],
  });

  // Another computer: a fresh browser context imports the file.
  const other = await browser.newPage();
  const otherErrors = await open(other, '/#/lessons');
  await expect(other.getByText('0 of 22 lessons done.')).toBeVisible();
  await other.locator('input[type=file]').setInputFiles({
    name: 'progress.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(other.getByRole('status').filter({ hasText: 'Progress imported: 1 lessons.' })).toBeVisible();
  await expect(other.getByRole('listitem').filter({ hasText: 'Connect and log in to POP3' })).toContainText(
    'In progress',
  );
  await other.getByRole('link', { name: /Continue where you left off/ }).click();
  await expect(lesson(other)).toContainText('Step 2 of 3');
  // A file that is not progress changes nothing and says why.
  await other.goto('/#/lessons');
  await other.locator('input[type=file]').setInputFiles({
    name: 'world.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version":1,"origin":{"scenario":"sandbox"}}'),
  });
  await expect(other.getByRole('alert')).toContainText(
    'That progress file could not be used (not a lesson progress file)',
  );
  await expect(other.getByRole('listitem').filter({ hasText: 'Connect and log in to POP3' })).toContainText(
    'In progress',
  );
  await other.close();
  expect(otherErrors).toEqual([]);
  expect(errors).toEqual([]);
});

test('corrupt progress in storage: a notice, empty progress, a working lesson', async ({ page }) => {
  await page.addInitScript(
    (key) => localStorage.setItem(key, '{"kind":"pop-vs-imap-lab/progress","version":7'),
    PROGRESS_KEY,
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/#/lesson/pop3-login');
  await expect(page.getByRole('alert')).toContainText(
    'Your saved lesson progress could not be read (not JSON); it was reset.',
  );
  await expect(goal(page)).toContainText('Not yet');
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await expect(goal(page)).toContainText('Goal met');
  expect(errors).toEqual([]);
});

test('hostile lesson files opened from disk: an error with lines and paths, and nothing runs', async ({
  page,
}) => {
  const errors = await open(page, '/#/lessons');
  await page.evaluate(() => ((window as { pwned?: boolean }).pwned = undefined));
  // One file picker on the page (lesson files and progress files alike).
  const input = page.locator('input[type=file]');
  for (const [file, expected] of [
    ['hostile-script.md', /raw HTML is not allowed in lessons \(found <script>\)/],
    ['hostile-tags.md', /YAML/],
    ['hostile-yaml-bomb.md', /anchors and aliases/],
    ['hostile-proto.md', /the key "__proto__" is not allowed/],
  ] as const) {
    await input.setInputFiles({
      name: file,
      mimeType: 'text/markdown',
      buffer: readFileSync(`${FIXTURES}/${file}`),
    });
    const card = page.getByRole('alert').filter({ hasText: 'That lesson file cannot be followed' });
    await expect(card).toContainText(expected);
    await expect(card).toContainText(file);
    await expect(card).toContainText('Nothing in the file was run.');
    await expect(page).toHaveURL(/#\/lessons$/);
    await expect(lesson(page)).toHaveCount(0);
  }
  await expect(page.getByRole('alert').filter({ hasText: 'cannot be followed' })).toContainText('line 12');
  await page.screenshot({ path: 'test-results/lessons-hostile-file.png' });
  // A file that is a valid lesson but carries markup in its prose (in code, as the format allows):
  // it opens and shows the markup as text; no element, no script.
  const tricky = readFileSync(`${FIXTURES}/good.md`, 'utf8').replace(
    /\n---\n/,
    '\n---\n\nShown as text: `<img src=x onerror="window.pwned=true">` and `<script>window.pwned=true</script>`.\n',
  );
  await input.setInputFiles({ name: 'tricky.md', mimeType: 'text/markdown', buffer: Buffer.from(tricky) });
  await expect(page).toHaveURL(/#\/lessons\/file$/);
  await expect(lesson(page)).toContainText('<img src=x onerror="window.pwned=true">');
  await expect(lesson(page).locator('img, script, iframe')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
  expect(errors).toEqual([]);
});

test('in the sandbox, Import (or a drop) takes a lesson file too: a hostile one is refused, a good one followed', async ({
  page,
}) => {
  const errors = await open(page, '/');
  await expect(page.getByRole('region', { name: 'Mail server' })).toBeVisible();
  await page.evaluate(() => ((window as { pwned?: boolean }).pwned = undefined));
  const input = page.locator('input[type=file]');
  await input.setInputFiles({
    name: 'hostile-script.md',
    mimeType: 'text/markdown',
    buffer: readFileSync(`${FIXTURES}/hostile-script.md`),
  });
  await expect(page.getByRole('alert')).toContainText('The lesson file hostile-script.md cannot be followed');
  await expect(page.getByRole('alert')).toContainText('raw HTML is not allowed');
  await expect(page.getByRole('alert')).toContainText('nothing in it was run');
  await expect(page).not.toHaveURL(/lesson/);
  expect(await page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
  const data = await page.evaluateHandle(
    (t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'good.md', { type: 'text/markdown' }));
      return dt;
    },
    readFileSync(`${FIXTURES}/good.md`, 'utf8'),
  );
  await page.locator('main.main').dispatchEvent('drop', { dataTransfer: data });
  await expect(page).toHaveURL(/#\/lessons\/file$/);
  await expect(lesson(page).getByRole('heading', { name: 'A good lesson' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a lesson file dropped on the list is followed at once; its progress stays in the tab', async ({
  page,
}) => {
  const errors = await open(page, '/#/lessons');
  const text = readFileSync(`${FIXTURES}/good.md`, 'utf8');
  const data = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'good.md', { type: 'text/markdown' }));
    return dt;
  }, text);
  await page.locator('main.index').dispatchEvent('drop', { dataTransfer: data });
  await expect(page).toHaveURL(/#\/lessons\/file$/);
  await expect(lesson(page)).toContainText('A lesson from a file');
  await expect(lesson(page).getByRole('heading', { name: 'A good lesson' })).toBeVisible();
  await expect(goal(page)).toContainText('Not yet');
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await typeCommand(page, 'Laptop', 'PASS wonderland');
  await next(page);
  await page.waitForFunction(
    (key) => sessionStorage.getItem(key)?.includes('"step":1'),
    `${PROGRESS_KEY}.file`,
  );
  await page.reload();
  await expect(lesson(page)).toContainText('Step 2 of 2');
  // Kept for this tab only: a teacher's draft never touches the learner's saved progress.
  expect(await page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY)).toBeNull();
  expect(errors).toEqual([]);
});

test('a step taken while the recorder is still loading is recorded', async ({ page }) => {
  const errors = await open(page, '/');
  await expect(page.getByRole('region', { name: 'Mail server' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset' })).toBeEnabled();
  // The recorder's chunk is held back until the learner has already checked mail.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/screens-[^/]+\.js$/, async (route) => {
    await gate;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Record a lesson' }).click();
  await page.getByRole('region', { name: 'Laptop' }).getByRole('button', { name: 'Check mail' }).click();
  await expect(page.getByRole('list', { name: 'Laptop messages' }).getByRole('listitem')).toHaveCount(12);
  release();
  const bar = page.getByRole('group', { name: 'Lesson recorder' });
  await expect(bar).toContainText('Step 1: 1 command or action so far');
  expect(errors).toEqual([]);
});

test('the lesson builder: record in the sandbox, check, download, follow the lesson at once', async ({
  page,
}) => {
  const errors = await open(page, '/');
  await expect(page.getByRole('region', { name: 'Mail server' })).toBeVisible();
  await page.getByRole('button', { name: 'Record a lesson' }).click();
  const bar = page.getByRole('group', { name: 'Lesson recorder' });
  await expect(bar).toContainText('Step 1: 0 commands and actions so far');
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await typeCommand(page, 'Laptop', 'PASS wonderland');
  await expect(bar).toContainText('Step 1: 2 commands and actions so far');
  await bar.getByRole('button', { name: 'End this step' }).click();
  await typeCommand(page, 'Laptop', 'DELE 1');
  await typeCommand(page, 'Laptop', 'QUIT');
  await bar.getByRole('button', { name: 'Finish and write the lesson' }).click();
  const dialog = page.getByRole('dialog', { name: 'Write the lesson' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Step 1: check 1' })).toHaveValue(
    '{ session: { device: laptop, via: terminal, state: TRANSACTION } }',
  );
  await expect(dialog.getByRole('textbox', { name: 'Step 2: check 1' })).toHaveValue(
    '{ server: { folder: INBOX, count: 11 } }',
  );
  await dialog.getByRole('textbox', { name: 'Title', exact: true }).fill('Log in and delete one');
  await expect(dialog.getByRole('textbox', { name: 'File name (id)' })).toHaveValue('log-in-and-delete-one');
  // A goal the teacher breaks is reported with its step; a fixed one checks out.
  await dialog
    .getByRole('textbox', { name: 'Step 2: check 1' })
    .fill('{ server: { folder: INBOX, count: 12 } }');
  await dialog.getByRole('button', { name: 'Check the lesson' }).click();
  await expect(dialog.getByRole('alert')).toContainText('the solution does not meet the goal');
  await dialog
    .getByRole('textbox', { name: 'Step 2: check 1' })
    .fill('{ server: { folder: INBOX, count: 11 } }');
  await dialog.getByRole('button', { name: 'Check the lesson' }).click();
  await expect(dialog.getByRole('status')).toContainText('The lesson checks out');
  await page.screenshot({ path: 'test-results/lesson-builder.png' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download the lesson file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('log-in-and-delete-one.md');
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text).toMatch(/^---\nid: log-in-and-delete-one\ntitle: Log in and delete one\n/);
  expect(text).toContain('- { type: PASS wonderland, device: laptop }');
  await dialog.getByRole('button', { name: 'Follow it now' }).click();
  await expect(page).toHaveURL(/#\/lessons\/file$/);
  await expect(lesson(page).getByRole('heading', { name: 'Log in and delete one' })).toBeVisible();
  await openTerminal(page, 'Laptop');
  await typeCommand(page, 'Laptop', 'USER alice');
  await typeCommand(page, 'Laptop', 'PASS wonderland');
  await next(page);
  await typeCommand(page, 'Laptop', 'DELE 1');
  await typeCommand(page, 'Laptop', 'QUIT');
  await expect(goal(page)).toContainText('Goal met. The server holds 11 messages in INBOX.');
  expect(errors).toEqual([]);
});

test('layouts: 1024×768 shows the prose and the world without scrolling the page; 1440×900; 390 px stacks', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const errors = await open(page, '/#/lesson/pop3-login');
  await openTerminal(page, 'Laptop');
  const fits = () =>
    page.evaluate(
      () =>
        document.documentElement.scrollHeight <= innerHeight &&
        document.documentElement.scrollWidth <= innerWidth,
    );
  expect(await fits()).toBe(true);
  for (const name of ['Lesson', 'Laptop', 'Mail server'])
    await expect(page.getByRole('region', { name, exact: true })).toBeInViewport();
  await expect(device(page, 'Laptop').getByRole('textbox', { name: 'Command' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/lesson-1024.png' });
  await page.goto('/#/lesson/story-pop3-phone-empty');
  await expect(page.getByRole('region', { name: 'Work PC', exact: true })).toBeVisible();
  expect(await fits()).toBe(true);
  for (const name of ['Lesson', 'Phone', 'Laptop', 'Work PC', 'Mail server'])
    await expect(page.getByRole('region', { name, exact: true })).toBeInViewport();
  await page.screenshot({ path: 'test-results/lesson-story-1024.png' });
  await page.setViewportSize({ width: 1440, height: 900 });
  expect(await fits()).toBe(true);
  await page.screenshot({ path: 'test-results/lesson-story-1440.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/#/lesson/pop3-login');
  await expect(lesson(page)).toBeVisible();
  const box = async (name: string) => (await page.getByRole('region', { name, exact: true }).boundingBox())!;
  const [l, s] = [await box('Lesson'), await box('Mail server')];
  expect(l.y + l.height).toBeLessThanOrEqual(s.y);
  expect(l.width).toBeGreaterThan(340);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  await page.screenshot({ path: 'test-results/lesson-390.png', fullPage: true });
  await page.goto('/#/lessons');
  await expect(page.getByRole('heading', { name: 'POP3 on the wire' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  await page.screenshot({ path: 'test-results/lessons-list-390.png' });
  expect(errors).toEqual([]);
});

test('a broken link to a lesson shows an error card, not a blank page', async ({ page }) => {
  const errors = await open(page, '/#/lesson/no-such-lesson');
  await expect(page.getByRole('alert')).toContainText('There is no lesson “no-such-lesson”.');
  await page.getByRole('link', { name: 'Back to the lessons' }).click();
  await expect(page.getByRole('heading', { name: 'Lessons', exact: true })).toBeVisible();
  await page.goto('/#/lessons/file');
  await expect(page.getByRole('alert')).toContainText('No lesson file is open in this tab.');
  expect(errors).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const)
  test(`axe-core: the list and a lesson (hints, solution, explanation, summary) in ${scheme}`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const errors = await open(page, '/#/lessons');
    await expect(page.getByRole('heading', { name: 'POP3 on the wire' })).toBeVisible();
    await scan(page, `list ${scheme}`);
    await page.goto('/#/lesson/pop3-login');
    await openTerminal(page, 'Laptop');
    await button(page, 'Hint').click();
    await button(page, 'Show solution').click();
    await typeCommand(page, 'Laptop', 'USER alice');
    await expect(goal(page)).toContainText('Goal met');
    await scan(page, `lesson ${scheme}`);
    await page.screenshot({ path: `test-results/lesson-${scheme}.png` });
    for (let i = 0; i < 2; i++) {
      await button(page, 'Next step').click();
      await button(page, 'Show solution').click();
      await lesson(page).getByRole('button', { name: 'Reset the step and play the solution' }).click();
      await expect(goal(page)).toContainText('Goal met');
    }
    await button(page, 'Next step').click();
    await expect(lesson(page).getByRole('region', { name: 'Lesson complete' })).toBeVisible();
    await scan(page, `summary ${scheme}`);
    expect(errors).toEqual([]);
  });
