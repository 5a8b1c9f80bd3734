import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/compare';
import { getScenario, SCENARIOS } from '../../src/world/scenarios';
import { validateScenario, type Scenario, type WorldAction } from '../../src/world/scenario';
import {
  addDevice,
  addMessage,
  addStep,
  asDraft,
  changeStepKind,
  deleteDraft,
  deviceSettings,
  DRAFTS_KEY,
  formProblem,
  formTarget,
  listDrafts,
  MAX_SCENARIO_TEXT,
  moveStep,
  parseScenarioText,
  patchStep,
  problemLabel,
  problemRange,
  problemsAt,
  problemsUnder,
  readJsonText,
  removeDevice,
  removeMessage,
  removeStep,
  renameDevice,
  saveDraft,
  scenarioFileName,
  scenarioFileText,
  scenarioToText,
  setAccount,
  setDeviceSetting,
  setStorage,
  STEP_KINDS,
  stepTitle,
  updateDevice,
  updateMessage,
  type DraftProblem,
  type KeyValueStore,
  type StepKind,
} from '../../src/ui/compare/scenario-draft';
import { scanJson } from '../../src/ui/compare/scenario-json';

const scenario = (id: string): Scenario => structuredClone(getScenario(id)!);
const problems = (text: string): DraftProblem[] => {
  const r = parseScenarioText(text);
  if (!('problems' in r)) throw new Error('expected problems');
  return r.problems;
};
/** The text of a 1-based line. */
const lineText = (text: string, line: number) => text.split('\n')[line - 1];

describe('scenario text', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s round-trips through the text', (_, s) => {
    const text = scenarioToText(s);
    expect(text).toBe(JSON.stringify(s, null, 2) + '\n');
    const back = parseScenarioText(text);
    expect(back).toEqual({ scenario: s });
  });

  it('reads every shipped JSON file as it is written', () => {
    const dir = 'src/world/scenarios';
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(SCENARIOS.length);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const r = parseScenarioText(text);
      expect('scenario' in r && r.scenario.id).toBe(f.replace(/\.json$/, ''));
    }
  });

  it('lists every schema problem with a path, a message and the line of its key', () => {
    const s = scenario('leave-on-server') as unknown as Record<string, unknown>;
    const timeline = s.timeline as Record<string, unknown>[];
    timeline[2] = { do: 'read', device: 'toaster', message: 'm1' };
    timeline[4] = { do: 'fly' };
    (s.devices as Record<string, unknown>[])[1].kind = 'watch';
    delete s.title;
    const text = JSON.stringify(s, null, 2);
    const found = problems(text);
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const p of found) {
      expect(p.path).toMatch(/^(scenario|messages|devices|timeline)\b/);
      expect(p.message.length).toBeGreaterThan(3);
      expect(p.message).not.toMatch(/^\S+: /);
      expect(p.line).toBeGreaterThan(0);
    }
    const at = (path: string) => found.find((p) => p.path === path)!;
    expect(lineText(text, at('timeline[2].device').line!)).toContain('"device": "toaster"');
    expect(lineText(text, at('timeline[4].do').line!)).toContain('"do": "fly"');
    expect(lineText(text, at('devices[1].kind').line!)).toContain('"kind": "watch"');
    // A missing key: the line of the nearest parent that is written (the top of the text).
    expect(at('scenario.title')).toMatchObject({ message: 'must be a non-empty string', line: 1 });
    expect(problemLabel(at('devices[1].kind'))).toMatch(
      /^devices\[1\]\.kind: must be one of .* \(line \d+\)$/,
    );
  });

  it("points at a missing key's step when the key is absent", () => {
    const s = scenario('one-computer');
    s.timeline = [{ do: 'note', text: 'x' }, { do: 'check' } as unknown as WorldAction];
    const text = scenarioToText(s);
    const p = problems(text).find((q) => q.path === 'timeline[1].device')!;
    expect(lineText(text, p.line!)).toContain('{');
    expect(lineText(text, p.line! + 1)).toContain('"do": "check"');
  });

  it('gives a JSON syntax error its line and column', () => {
    const text = '{\n  "id": "x",\n  "title": "t"\n  "summary": "s"\n}\n';
    const [p] = problems(text);
    expect(p).toMatchObject({ line: 4, column: 3, path: 'scenario' });
    expect(p.message).toBe('JSON syntax: expected "," or "}", found "\\"" (line 4, column 3)');
  });

  it.each([
    ['', 1, 'the text is empty'],
    ['{\n  "id": "x",\n}', 3, 'trailing comma'],
    ['{\n  "timeline": [1,\n ]\n}', 3, 'a value is missing'],
    ["{\n 'id': 1 }", 2, 'expected a key in double quotes'],
    ['{\n "a": "b\n"}', 2, 'must end on its line'],
    ['{\n "a": 01 }', 2, 'not a number'],
    ['{ "a": tru }', 1, 'unexpected "t"'],
    ['{} x', 1, 'after the end'],
    ['{ "a": [1, 2', 1, 'ends inside'],
  ])('syntax error in %j is on line %i', (text, line, words) => {
    const [p] = problems(text);
    expect(p.line).toBe(line);
    expect(p.message).toContain(words);
    expect(p.path.length).toBeGreaterThan(0);
  });

  it('the scanner accepts what JSON.parse accepts, and records keys and elements', () => {
    const text = '{"a": [1, {"b": "\\u00e9\\n"}, -0.5e+3, true, null], "c": {}}';
    const r = scanJson(text);
    expect(r.error).toBeNull();
    expect([...r.offsets.keys()]).toEqual(['', 'a', 'a[0]', 'a[1]', 'a[1].b', 'a[2]', 'a[3]', 'a[4]', 'c']);
    expect(text.slice(r.offsets.get('a[1].b')!)).toMatch(/^"b"/);
  });

  it('refuses a text over 2 MB without reading it, and survives deep nesting', () => {
    const big = `{"id": "${'x'.repeat(MAX_SCENARIO_TEXT)}"}`;
    const [p] = problems(big);
    expect(p.message).toMatch(/at most 2 MB/);
    const deep = '['.repeat(200_000);
    expect(problems(deep)[0].message).toContain('ends inside');
    const deepValid = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(problems(deepValid)[0].message).toMatch(/deeply nested|must be an object/);
  });

  it('finds the problems of a field and of everything inside a step', () => {
    const list: DraftProblem[] = [
      { path: 'timeline[1]', message: 'advance needs days, hours or minutes' },
      { path: 'timeline[1].days', message: 'must be a number >= 0' },
      { path: 'timeline[10].device', message: 'unknown device' },
      { path: 'timeline[1]', message: 'advance of more than 3650 days' },
    ];
    expect(problemsAt(list, 'timeline[1]')).toEqual([
      'advance needs days, hours or minutes',
      'advance of more than 3650 days',
    ]);
    // timeline[10] is not inside timeline[1].
    expect(problemsUnder(list, 'timeline[1]').map((p) => p.path)).toEqual([
      'timeline[1]',
      'timeline[1].days',
      'timeline[1]',
    ]);
  });

  it('formTarget: the field of the path or of its nearest parent; a group only for itself', () => {
    const fields = new Set(['scenario.title', 'timeline[3]', 'devices[0].kind', 'scenario.account.user']);
    const groups = new Set(['devices[0]', 'timeline[1]', 'scenario.account']);
    const target = (path: string) =>
      formTarget(
        path,
        (p) => fields.has(p),
        (p) => groups.has(p),
      );
    expect(target('scenario.title')).toEqual({ kind: 'field', path: 'scenario.title' });
    expect(target('devices[0].kind')).toEqual({ kind: 'field', path: 'devices[0].kind' });
    // A step edited as JSON holds what is inside it.
    expect(target('timeline[3].device.kind')).toEqual({ kind: 'field', path: 'timeline[3]' });
    expect(target('timeline[1]')).toEqual({ kind: 'group', path: 'timeline[1]' });
    expect(target('scenario.account')).toEqual({ kind: 'group', path: 'scenario.account' });
    // An unknown setting of a device has no field, and the device is not where to fix it.
    expect(target('devices[0].settings.colour')).toBeNull();
    expect(target('timeline[1].colour')).toBeNull();
    expect(target('scenario')).toBeNull();
    expect(target('scenario.messages')).toBeNull();
  });

  it("problemRange: the rest of the key's line, or the character of a syntax error", () => {
    const text = scenarioToText(scenario('one-computer')).replace('"kind": "workpc"', '"kind": "toaster"');
    const [p] = problems(text);
    expect(p.path).toBe('devices[0].kind');
    const r = problemRange(text, p)!;
    expect(text.slice(r.start, r.end)).toBe('"kind": "toaster"');
    expect(lineText(text, p.line!).trim()).toBe('"kind": "toaster",');
    const broken = text.replace('"kind": "toaster",', '"kind": "toaster"');
    const [q] = problems(broken);
    const at = problemRange(broken, q)!;
    expect(at.end - at.start).toBe(1);
    expect(broken.slice(at.start - 5, at.end)).toMatch(/"$/);
    // The end of the text: nothing to select, the caret goes there.
    const cut = text.slice(0, 40);
    const [end] = problems(cut);
    expect(problemRange(cut, end)).toEqual({ start: 40, end: 40 });
    expect(problemRange(text, { path: 'scenario', message: 'x' })).toBeNull();
  });

  it('not an object: one problem at the top', () => {
    expect(problems('[1, 2]')).toEqual([
      { path: 'scenario', message: 'must be an object', line: 1, column: 1 },
    ]);
    expect(readJsonText('"x"')).toEqual({ value: 'x' });
  });
});

describe('form model', () => {
  it('adds a device with a fresh id and name', () => {
    const s = addDevice(addDevice(scenario('leave-on-server'), 'laptop'), 'tablet');
    const ids = s.devices.map((d) => d.id);
    expect(ids).toEqual(['laptop', 'phone', 'workpc', 'laptop2', 'tablet2']);
    expect(s.devices[3]).toEqual({ id: 'laptop2', name: 'Laptop 2', kind: 'laptop' });
    // "tablet" is taken by the story's addDevice step.
    expect(s.devices[4].id).toBe('tablet2');
    expect(() => validateScenario(s)).not.toThrow();
  });

  it('removes a device and reports the steps that still name it', () => {
    const s = scenario('leave-on-server');
    const { scenario: next, steps } = removeDevice(s, 1);
    expect(next.devices.map((d) => d.id)).toEqual(['laptop', 'workpc']);
    expect(steps).toEqual([2]);
    expect(s.devices).toHaveLength(3); // the input is untouched
    const r = parseScenarioText(scenarioToText(next));
    expect('problems' in r && r.problems.map((p) => p.path)).toEqual(['timeline[2].device']);
  });

  it('renames a device and the steps follow, unless the new id is taken', () => {
    const s = scenario('leave-on-server');
    const next = renameDevice(s, 0, 'notebook');
    expect(next.timeline.filter((a) => 'device' in a && a.device === 'notebook')).toHaveLength(2);
    expect(() => validateScenario(next)).not.toThrow();
    const clash = renameDevice(s, 0, 'phone');
    expect(clash.timeline).toBe(s.timeline);
  });

  it('edits device fields and settings, leaving defaults out of the JSON', () => {
    let s = updateDevice(scenario('one-computer'), 0, { name: 'Desk', protocol: 'imap' });
    expect(s.devices[0]).toMatchObject({ name: 'Desk', protocol: 'imap' });
    s = updateDevice(s, 0, { protocol: undefined });
    expect('protocol' in s.devices[0]).toBe(false);
    const bare = updateDevice(s, 0, { settings: undefined });
    let t = setDeviceSetting(bare, 0, 'pop3.leaveOnServer', true);
    t = setDeviceSetting(t, 0, 'pop3.removeAfterDays', 14);
    t = setDeviceSetting(t, 0, 'checkEveryMinutes', 30);
    t = setDeviceSetting(t, 0, 'imap.mode', 'idle');
    t = setDeviceSetting(t, 0, 'imap.deleteAction', 'expunge');
    t = setDeviceSetting(t, 0, 'pop3.removeWhenDeletedHere', true);
    expect(t.devices[0].settings).toEqual({
      pop3: { leaveOnServer: true, removeAfterDays: 14, removeWhenDeletedHere: true },
      checkEveryMinutes: 30,
      imap: { mode: 'idle', deleteAction: 'expunge' },
    });
    expect(deviceSettings(t.devices[0]).imap.mode).toBe('idle');
    expect(() => validateScenario(t)).not.toThrow();
    for (const [k, v] of [
      ['pop3.leaveOnServer', false],
      ['pop3.removeAfterDays', null],
      ['pop3.removeWhenDeletedHere', undefined],
      ['checkEveryMinutes', undefined],
      ['imap.mode', 'poll'],
      ['imap.deleteAction', 'trash'],
    ] as const)
      t = setDeviceSetting(t, 0, k, v);
    expect('settings' in t.devices[0]).toBe(false);
    expect(deviceSettings(t.devices[0])).toEqual({
      checkEveryMinutes: null,
      pop3: { leaveOnServer: false, removeAfterDays: null, removeWhenDeletedHere: false },
      imap: { mode: 'poll', deleteAction: 'trash' },
    });
  });

  it('adds, edits and removes messages', () => {
    let s = addMessage(scenario('leave-on-server'));
    expect(s.messages![4].id).toBe('m5');
    s = updateMessage(s, 4, { subject: 'Hi', size: 5000, daysAgo: 2, mailbox: 'Archive', body: undefined });
    expect(s.messages![4]).toEqual({
      id: 'm5',
      from: 'Bob <bob@example.org>',
      subject: 'Hi',
      size: 5000,
      daysAgo: 2,
      mailbox: 'Archive',
    });
    expect(() => validateScenario(s)).not.toThrow();
    const { scenario: next, steps } = removeMessage(s, 0);
    expect(next.messages).toHaveLength(4);
    expect(steps).toEqual([2]); // "read m1" on the phone
  });

  it('every kind of step added to a story is valid as it comes', () => {
    for (const kind of Object.keys(STEP_KINDS) as StepKind[]) {
      const s = addStep(scenario('leave-on-server'), kind);
      expect(s.timeline.at(-1)!.do).toBe(kind);
      expect(() => validateScenario(s), kind).not.toThrow();
    }
  });

  it('moves, removes, patches and changes the kind of steps', () => {
    const s = scenario('leave-on-server');
    const up = moveStep(s, 3, -1);
    expect(up.timeline[2]).toBe(s.timeline[3]);
    expect(up.timeline[3]).toBe(s.timeline[2]);
    expect(moveStep(s, 0, -1)).toBe(s);
    expect(moveStep(s, s.timeline.length - 1, 1)).toBe(s);
    expect(removeStep(s, 0).timeline).toEqual(s.timeline.slice(1));
    // read phone m1 -> flag phone m1 -> move phone m1 to Archive
    let t = changeStepKind(s, 2, 'flag');
    expect(t.timeline[2]).toEqual({ do: 'flag', device: 'phone', message: 'm1' });
    t = changeStepKind(t, 2, 'move');
    expect(t.timeline[2]).toEqual({ do: 'move', device: 'phone', message: 'm1', to: 'Archive' });
    t = changeStepKind(t, 2, 'fault');
    expect(t.timeline[2]).toEqual({ do: 'fault', fault: 'drop-before-quit', device: 'phone' });
    t = patchStep(t, 0, { full: true });
    expect(t.timeline[0]).toEqual({ do: 'check', device: '*', full: true });
    t = patchStep(t, 0, { full: undefined });
    expect(t.timeline[0]).toEqual({ do: 'check', device: '*' });
    expect(stepTitle(t.timeline[0], 0)).toBe('Step 1: Check mail (every device)');
    expect(stepTitle(t.timeline[2], 2)).toBe('Step 3: Fault (phone)');
  });

  it('edits the account and the pricing; emptied, they leave the scenario', () => {
    const s = scenario('one-computer');
    const half = setAccount(s, 'user', 'bob');
    expect(half.account).toEqual({ user: 'bob' });
    expect(() => validateScenario(half)).toThrow(/scenario\.account\.password: must be a non-empty string/);
    const full = setAccount(half, 'password', 'secret');
    expect(validateScenario(full).account).toEqual({ user: 'bob', password: 'secret' });
    expect('account' in setAccount(setAccount(full, 'user', ''), 'password', undefined)).toBe(false);
    // Whatever the text held there, the form writes an account.
    expect(setAccount({ ...s, account: 'x' as never }, 'user', 'bob').account).toEqual({ user: 'bob' });

    const priced = setStorage(setStorage(s, 'quotaBytes', 1024), 'pricePerGBMonth', 0.5);
    expect(validateScenario(priced).storage).toEqual({ quotaBytes: 1024, pricePerGBMonth: 0.5 });
    expect(() => validateScenario(setStorage(s, 'quotaBytes', 1024))).toThrow(
      /scenario\.storage\.pricePerGBMonth/,
    );
    expect(
      'storage' in setStorage(setStorage(priced, 'quotaBytes', undefined), 'pricePerGBMonth', undefined),
    ).toBe(false);
  });

  it("validates a message's To like its From", () => {
    const s = scenario('one-computer');
    const to = (v: unknown) => ({ ...s, messages: [{ ...s.messages![0], to: v }] }) as Scenario;
    expect(validateScenario(to('Carol <carol@lab.example>')).messages![0].to).toBe(
      'Carol <carol@lab.example>',
    );
    expect(() => validateScenario(to(''))).toThrow(/messages\[0\]\.to: must be a non-empty string/);
    expect(() => validateScenario(to(7))).toThrow(/messages\[0\]\.to/);
  });

  it('says when the form cannot show a value', () => {
    expect(formProblem([])).toMatch(/scenario object/);
    expect(formProblem({ devices: {} })).toMatch(/"devices" to be a list/);
    expect(formProblem({ timeline: [1] })).toMatch(/every entry of "timeline"/);
    expect(formProblem({ id: 'x' })).toBeNull();
    const many = Array.from({ length: 501 }, () => ({ do: 'note', text: 'x' }));
    expect(formProblem({ timeline: many })).toMatch(/at most 500 steps; edit this scenario in the Text tab/);
    expect(asDraft({ id: 'x' })).toEqual({ id: 'x', devices: [], timeline: [] });
  });
});

/** A Map-backed store; `full` makes writes fail as a full localStorage does. */
function memoryStore(full = false): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (full) throw new DOMException('quota', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

describe('drafts in this browser', () => {
  it('saves, lists newest first, replaces by id and deletes', () => {
    const store = memoryStore();
    expect(listDrafts(store)).toEqual({ items: [], notice: null });
    saveDraft(store, scenario('laptop-lost'), 1000);
    saveDraft(store, scenario('one-computer'), 2000);
    const renamed = { ...scenario('laptop-lost'), title: 'Lost again' };
    const r = saveDraft(store, renamed, 3000);
    expect(r.notice).toBeNull();
    expect(r.items.map((x) => [x.id, x.title, x.savedAt])).toEqual([
      ['laptop-lost', 'Lost again', 3000],
      ['one-computer', 'One computer, simple needs', 2000],
    ]);
    const stored = JSON.parse(store.map.get(DRAFTS_KEY)!);
    expect(stored.v).toBe(1);
    expect(stored.items[0]).toMatchObject({ id: 'laptop-lost', title: 'Lost again', savedAt: 3000 });
    expect(listDrafts(store).items[0].scenario).toEqual(renamed);
    expect(deleteDraft(store, 'laptop-lost').items.map((x) => x.id)).toEqual(['one-computer']);
    deleteDraft(store, 'one-computer');
    expect(store.map.has(DRAFTS_KEY)).toBe(false);
  });

  it('refuses to save an invalid scenario', () => {
    const store = memoryStore();
    const r = saveDraft(store, { ...scenario('laptop-lost'), id: 'Bad Id' });
    expect(r.notice).toMatch(/Not saved: the scenario has 1 problem/);
    expect(store.map.size).toBe(0);
  });

  it.each([
    ['not JSON', '{nope', /unreadable/],
    ['not the format', '[1,2]', /unreadable/],
    ['an old version', JSON.stringify({ v: 0, items: [] }), /another version of the lab \(format 0\)/],
    ['a newer version', JSON.stringify({ v: 2, items: [] }), /another version/],
  ])('reports and ignores %s', (_, text, notice) => {
    const store = memoryStore();
    store.map.set(DRAFTS_KEY, text);
    const r = listDrafts(store);
    expect(r.items).toEqual([]);
    expect(r.notice).toMatch(notice);
    expect(store.map.get(DRAFTS_KEY)).toBe(text); // reading never deletes
  });

  it('drops entries that do not validate, keeping the others', () => {
    const store = memoryStore();
    const good = { id: 'laptop-lost', title: 'x', savedAt: 5, scenario: scenario('laptop-lost') };
    const hostile = {
      id: 'x',
      title: '<script>alert(1)</script>',
      savedAt: 6,
      scenario: { ...scenario('laptop-lost'), id: 'evil', timeline: [{ do: 'eval', code: 'alert(1)' }] },
    };
    store.map.set(DRAFTS_KEY, JSON.stringify({ v: 1, items: [good, hostile, 'junk', { savedAt: 'soon' }] }));
    const r = listDrafts(store);
    expect(r.items.map((x) => x.id)).toEqual(['laptop-lost']);
    // The title shown is the validated scenario's own.
    expect(r.items[0].title).toBe('The laptop is lost');
    expect(r.notice).toBe('3 saved scenarios were unreadable and ignored.');
  });

  it('a full or blocked storage gives a notice, not an exception', () => {
    const full = memoryStore(true);
    expect(saveDraft(full, scenario('laptop-lost')).notice).toMatch(/refused/);
    const blocked: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => {},
    };
    expect(listDrafts(blocked).notice).toMatch(/does not let/);
    expect(saveDraft(blocked, scenario('laptop-lost')).notice).toMatch(/refused/);
    expect(saveDraft(null, scenario('laptop-lost')).notice).toMatch(/export the file/);
  });
});

describe('the exported file', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is named after the id, and nothing else makes a name', () => {
    expect(scenarioFileName(scenario('laptop-lost'))).toBe('laptop-lost.json');
    expect(scenarioFileName({ id: '../../etc/passwd' })).toBe('scenario.json');
    expect(scenarioFileName({ id: '<script>' })).toBe('scenario.json');
    expect(scenarioFileName({})).toBe('scenario.json');
  });

  it('is what `npm run compare -- FILE` runs', () => {
    const edited = addStep(addDevice(scenario('leave-on-server'), 'tablet'), 'check');
    const s = { ...edited, id: 'my-story', title: 'Title with <script>alert(1)</script>' };
    const dir = mkdtempSync(join(tmpdir(), 'scenario-editor-'));
    const file = join(dir, scenarioFileName(s));
    writeFileSync(file, scenarioFileText(s));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(main([file, '--json'])).toBe(0);
    expect(err).not.toHaveBeenCalled();
    const json = JSON.parse(out.join('\n'));
    expect(json.scenario).toEqual({ id: 'my-story', title: s.title, summary: s.summary, claims: s.claims });
    expect(Object.keys(json.pop3.devices)).toContain('tablet2');
  });
});
