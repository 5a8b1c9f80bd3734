// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import ScenarioEditor from '../../src/ui/compare/ScenarioEditor.svelte';
import { DRAFTS_KEY } from '../../src/ui/compare/scenario-draft';
import { getScenario } from '../../src/world/scenarios';
import type { Scenario } from '../../src/world/scenario';

let app: ReturnType<typeof mount> | null = null;
beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
});
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function start(scenario: Scenario = structuredClone(getScenario('leave-on-server')!)) {
  const onrun = vi.fn<(s: Scenario) => void>();
  const props = $state({ scenario, onrun });
  app = mount(ScenarioEditor, { target: document.body.appendChild(document.createElement('div')), props });
  flushSync();
  return { onrun, props };
}

const q = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const button = (name: string) =>
  [...document.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name,
  )!;
const textarea = () => q<HTMLTextAreaElement>('textarea[aria-label="Scenario text"]');
/** Types text into the scenario text and waits out the pause before it is checked. */
function type(text: string) {
  const ta = textarea();
  ta.value = text;
  ta.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
  vi.advanceTimersByTime(400);
  flushSync();
}
const problems = () =>
  [...document.querySelectorAll('[role="alert"] li')].map((li) => li.textContent!.trim());
/** The problems without their lines. */
const paths = () => problems().map((p) => p.replace(/ \(line \d+\)$/, ''));
/** The problem in the list whose text starts so, as the button it is. */
const problem = (start: string) =>
  [...document.querySelectorAll<HTMLButtonElement>('[role="alert"] li button')].find((b) =>
    b.textContent!.trim().startsWith(start),
  )!;
/** Waits out the pause before the text (written by the form) is checked. */
function pause() {
  flushSync();
  vi.advanceTimersByTime(400);
  flushSync();
}
/** The group (fieldset) whose legend starts so. */
const group = (legend: string) =>
  [...document.querySelectorAll('fieldset')].find((f) =>
    f.querySelector(':scope > legend')!.textContent!.startsWith(legend),
  )!;
/** A field of a group by its label's own text, as a learner finds it. */
function field<T extends HTMLElement = HTMLInputElement>(within: Element, label: string): T {
  const l = [...within.querySelectorAll('label')].find(
    (x) =>
      [...x.childNodes].find((n) => n.nodeType === 3 && n.textContent!.trim())?.textContent!.trim() === label,
  );
  if (!l) throw new Error(`no field "${label}"`);
  return l.querySelector('input, select, textarea') as T;
}
function fill(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}
const json = () => JSON.parse(textarea().value) as Scenario;
/** What describes a control: the text of each element its aria-describedby names. */
const description = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)!.textContent!.trim());

describe('ScenarioEditor.svelte', () => {
  it('has a tablist whose arrows switch between Form and Text', () => {
    start();
    const tabs = [...document.querySelectorAll('[role="tablist"] [role="tab"]')] as HTMLElement[];
    expect(tabs.map((t) => t.textContent)).toEqual(['Form', 'Text']);
    expect(tabs.map((t) => t.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    expect(tabs.map((t) => t.tabIndex)).toEqual([0, -1]);
    const panel = document.getElementById(tabs[1].getAttribute('aria-controls')!)!;
    expect(panel.getAttribute('role')).toBe('tabpanel');
    expect(panel.hidden).toBe(true);
    tabs[0].focus();
    tabs[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    flushSync();
    expect(tabs[1].getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tabs[1]);
    expect(panel.hidden).toBe(false);
    expect(JSON.parse(textarea().value).id).toBe('leave-on-server');
    tabs[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    flushSync();
    expect(document.activeElement).toBe(tabs[0]);
  });

  it('lists problems with their lines, keeps Run off, and runs the validated scenario once fixed', () => {
    const { onrun } = start();
    const good = textarea().value;
    type(good.replace('"device": "phone"', '"device": "toaster"'));
    expect(problems()).toHaveLength(1);
    expect(problems()[0]).toMatch(/^timeline\[2\]\.device: unknown device "toaster" .*\(line \d+\)$/);
    const run = button('Run');
    expect(run.hasAttribute('disabled')).toBe(true);
    expect(document.getElementById(run.getAttribute('aria-describedby')!)!.textContent).toMatch(/off until/);
    type(good.replace(/,\n {2}"summary"/, '\n  "summary"'));
    expect(problems()[0]).toMatch(/JSON syntax: expected "," or "}".*\(line 4\)$/);
    // The form cannot show broken JSON, and says so.
    button('Form').click();
    flushSync();
    expect(document.body.textContent).toContain('The text is not valid JSON');
    button('Text').click();
    type(good.replace('"title": "POP3', '"title": "Mine: POP3'));
    expect(problems()).toEqual([]);
    button('Run').click();
    expect(onrun).toHaveBeenCalledTimes(1);
    expect(onrun.mock.calls[0][0].title).toMatch(/^Mine: POP3/);
  });

  it('refuses a text over 2 MB', () => {
    const { onrun } = start();
    type(`{"id": "${'x'.repeat(2 * 1024 * 1024 + 10)}"}`);
    expect(problems()[0]).toMatch(/at most 2 MB/);
    button('Run').click();
    expect(onrun).not.toHaveBeenCalled();
  });

  it('edits devices and steps in the form, and the text follows', async () => {
    start();
    button('Add device').click();
    flushSync();
    expect([...document.querySelectorAll('legend')].map((l) => l.textContent)).toContain(
      'Device 4: Laptop 2',
    );
    const steps = () => [...document.querySelectorAll('fieldset.step legend')].map((l) => l.textContent);
    const before = steps();
    const moveUp = [...document.querySelectorAll('fieldset.step')][3].querySelector(
      'button[id$="-up"]',
    ) as HTMLElement;
    moveUp.click();
    flushSync();
    expect(steps()[2]).toBe(before[3].replace('Step 4', 'Step 3'));
    await tick();
    // Focus moved with the step.
    expect(document.activeElement!.closest('fieldset.step')!.querySelector('legend')!.textContent).toBe(
      steps()[2],
    );
    expect(document.activeElement!.textContent).toBe('Move up');
    const removeButtons = [...document.querySelectorAll('button')].filter(
      (b) => b.textContent === 'Remove step',
    );
    removeButtons[0].click();
    flushSync();
    expect(steps()).toHaveLength(before.length - 1);
    // Remove the phone: the step that reads on it is named in a notice and a problem.
    const phone = [...document.querySelectorAll('fieldset.device')][1];
    (phone.querySelector('button.remove') as HTMLElement).click();
    flushSync();
    vi.advanceTimersByTime(400);
    flushSync();
    expect(document.querySelector('[role="status"]')!.textContent).toBe(
      'Step 3 still names "phone": change or remove it.',
    );
    expect(problems()[0]).toMatch(/^timeline\[2\]\.device: unknown device "phone"/);
    button('Text').click();
    flushSync();
    const s = JSON.parse(textarea().value) as Scenario;
    expect(s.devices.map((d) => d.id)).toEqual(['laptop', 'workpc', 'laptop2']);
  });

  it("edits the account, the pricing and a delivery's To in the form, each with its problems", () => {
    const { onrun } = start();
    const account = group('Account');
    const user = field(account, 'User');
    const password = field(account, 'Password');
    expect(user.placeholder).toBe('alice');
    fill(user, 'bob');
    pause();
    expect(json().account).toEqual({ user: 'bob' });
    // The missing half is named in the list and at its field, which is marked invalid.
    expect(paths()).toEqual(['scenario.account.password: must be a non-empty string']);
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(description(password)).toContain('must be a non-empty string');
    expect(user.hasAttribute('aria-invalid')).toBe(false);
    fill(password, 'secret');
    pause();
    expect(json().account).toEqual({ user: 'bob', password: 'secret' });
    expect(problems()).toEqual([]);
    expect(password.hasAttribute('aria-invalid')).toBe(false);

    const pricing = group('Storage pricing');
    const quota = field(pricing, 'Quota in octets');
    const price = field(pricing, 'Price per GB per month');
    expect(description(quota)).toEqual(['No quota: every octet is billed.']);
    fill(quota, '1048576');
    pause();
    expect(description(quota)).toEqual(['1 MB included']);
    expect(paths()).toEqual(['scenario.storage.pricePerGBMonth: must be a number from 0 to 1000000']);
    expect(price.getAttribute('aria-invalid')).toBe('true');
    fill(price, '2.5');
    pause();
    expect(json().storage).toEqual({ quotaBytes: 1048576, pricePerGBMonth: 2.5 });
    expect(problems()).toEqual([]);

    // A delivery is addressed to the account unless it says otherwise.
    const kinds = [...document.querySelectorAll('select')].find((x) =>
      x.closest('label')!.textContent!.startsWith('New step'),
    )!;
    kinds.value = 'deliver';
    kinds.dispatchEvent(new Event('change', { bubbles: true }));
    button('Add step').click();
    flushSync();
    const n = json().timeline.length;
    const to = field(group(`Step ${n}: Deliver a message`), 'To');
    expect(to.placeholder).toBe('bob@lab.example');
    fill(to, 'Carol <carol@lab.example>');
    pause();
    expect(json().timeline[n - 1]).toMatchObject({
      do: 'deliver',
      message: { to: 'Carol <carol@lab.example>' },
    });
    expect(field(group('Message 1'), 'To').placeholder).toBe('bob@lab.example');

    // Emptied fields leave the scenario: no half-empty objects.
    fill(user, '');
    fill(password, '');
    fill(quota, '');
    fill(price, '');
    fill(to, '');
    pause();
    const s = json();
    expect(
      'account' in s || 'storage' in s || 'to' in (s.timeline[n - 1] as { message: object }).message,
    ).toBe(false);
    fill(user, 'bob');
    fill(password, 'secret');
    pause();
    button('Run').click();
    expect(onrun.mock.calls[0][0].account).toEqual({ user: 'bob', password: 'secret' });
  });

  it('each problem is a button that takes the learner to its field, its step, or its line', async () => {
    start();
    const title = field(group('About'), 'Title');
    fill(title, '');
    pause();
    problem('scenario.title').click();
    await tick();
    expect(document.activeElement).toBe(title);
    expect(title.getAttribute('aria-invalid')).toBe('true');
    // The target shows its focus ring even when the focus came from a click.
    expect(title.hasAttribute('data-jumped')).toBe(true);
    title.dispatchEvent(new FocusEvent('blur'));
    expect(title.hasAttribute('data-jumped')).toBe(false);
    // The list is below a long form: the sticky footer goes to the first problem too.
    (document.activeElement as HTMLElement).blur();
    button('Go to the first problem').click();
    await tick();
    expect(document.activeElement).toBe(title);
    fill(title, 'Mine');
    pause();
    expect(button('Go to the first problem')).toBeUndefined();

    // A problem about a whole step goes to the step; its message is in the step.
    const advance = group('Step 6: Let time pass');
    for (const unit of ['Days', 'Hours', 'Minutes']) fill(field(advance, unit), '');
    pause();
    problem('timeline[5]').click();
    await tick();
    expect(document.activeElement).toBe(advance);
    expect(description(advance)).toEqual(['advance needs days, hours or minutes']);
    advance.dispatchEvent(new FocusEvent('blur'));
    expect(advance.hasAttribute('tabindex')).toBe(false);
    fill(field(advance, 'Hours'), '2');

    // A step edited as JSON holds every problem inside it.
    const added = group('Step 12: Add a device');
    const stepText = field<HTMLTextAreaElement>(added, 'Step 12 as JSON');
    fill(stepText, stepText.value.replace('"kind": "tablet"', '"kind": "toaster"'));
    pause();
    problem('timeline[11].device.kind').click();
    await tick();
    expect(document.activeElement).toBe(stepText);
    expect(description(stepText)).toEqual(['device.kind: must be one of phone, laptop, workpc, tablet']);
    fill(stepText, stepText.value.replace('"kind": "toaster"', '"kind": "tablet"'));
    pause();
    expect(problems()).toEqual([]);

    // What the form cannot show is found in the text: the Text tab opens on its line, selected.
    button('Text').click();
    flushSync();
    const good = textarea().value;
    type(good.replace('"leaveOnServer": true,', '"leaveOnServer": true, "colour": "red",'));
    button('Form').click();
    flushSync();
    expect(q('[role="tab"][aria-selected="true"]').textContent).toBe('Form');
    problem('devices[0].settings.pop3.colour').click();
    await tick();
    expect(q('[role="tab"][aria-selected="true"]').textContent).toBe('Text');
    const ta = textarea();
    expect(document.activeElement).toBe(ta);
    expect(ta.value.slice(ta.selectionStart, ta.selectionEnd)).toBe('"colour": "red"');

    // In the Text tab a syntax error selects the character found where another was expected.
    type(good.replace('"title": "Mine"', '"title" "Mine"'));
    ta.setSelectionRange(0, 0);
    problem('scenario.title: JSON syntax: expected ":"').click();
    await tick();
    expect(document.activeElement).toBe(ta);
    expect(ta.selectionStart).toBe(good.indexOf('"title"') + '"title" '.length);
    expect(ta.value.slice(ta.selectionStart, ta.selectionEnd)).toBe('"');
  });

  it('saves in this browser, lists, reopens and deletes; a hostile title is only text', () => {
    const hostile = {
      ...structuredClone(getScenario('one-computer')!),
      title: '<img src=x onerror=alert(1)><script>alert(2)</script>',
    };
    const { props } = start(hostile);
    button('Save in this browser').click();
    flushSync();
    expect(JSON.parse(localStorage.getItem(DRAFTS_KEY)!).items[0].title).toBe(hostile.title);
    const item = document.querySelector('section[aria-labelledby] li')!;
    expect(item.textContent).toContain(hostile.title);
    expect(document.querySelector('.scenario-editor script, .scenario-editor img')).toBeNull();
    props.scenario = structuredClone(getScenario('laptop-lost')!);
    flushSync();
    expect((q('input.mono') as HTMLInputElement).value).toBe('laptop-lost');
    button(`Open ${hostile.title}`).click();
    flushSync();
    expect((q('input.mono') as HTMLInputElement).value).toBe('one-computer');
    button(`Delete ${hostile.title}`).click();
    flushSync();
    expect(localStorage.getItem(DRAFTS_KEY)).toBeNull();
    expect(document.body.textContent).toContain('None yet.');
  });

  it('reports unreadable saved data and ignores it', () => {
    localStorage.setItem(DRAFTS_KEY, '{"v": 0, "items": []}');
    start();
    expect(document.body.textContent).toContain('another version of the lab');
  });

  it('exports <id>.json through a Blob link', () => {
    start();
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:x';
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    button('Export file').click();
    expect(names).toEqual(['leave-on-server.json']);
    expect(blobs[0].type).toBe('application/json');
  });
});
