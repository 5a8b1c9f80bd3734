/**
 * The lesson builder's pure half: a recording becomes lesson entries, goals are suggested from
 * what changed, the writer's file reads back as written, and a recorded lesson passes
 * `npm run lessons -- check` (the CLI itself, on a file written to disk).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/lessons';
import { parseLesson } from '../../src/lessons/parse';
import { playLesson } from '../../src/lessons/verify';
import type { Check, SolutionEntry } from '../../src/lessons/schema';
import { getScenario } from '../../src/world/scenarios/index';
import type { Scenario, WorldAction } from '../../src/world/scenario';
import { entryOf, inlineStart, recordedSteps, countEntries } from '../../src/ui/lessons/builder/record';
import { suggestGoals, type Suggestion } from '../../src/ui/lessons/builder/suggest';
import { writeLesson, idFromTitle, type LessonDraft } from '../../src/ui/lessons/builder/write';
import { checkText, draftOf, initialForm, parseCheck, type Names } from '../../src/ui/lessons/builder/draft';
import { nodeWorld } from '../lessons/helpers';

const sandbox = getScenario('sandbox')!;
const typed = (device: string, line: string): WorldAction => ({ do: 'manual', device, line });
const names: Names = {
  device: (id) => ({ laptop: 'Laptop', phone: 'Phone', workpc: 'Work PC' })[id] ?? id,
  message: (r) => r,
};

/** What a teacher does on the sandbox: log in by hand, take one message, then let the phone check. */
const LOGIN_STEPS: WorldAction[][] = [
  [{ do: 'connect', device: 'laptop' }, typed('laptop', 'USER alice'), typed('laptop', 'PASS wonderland')],
  [typed('laptop', 'RETR 1'), typed('laptop', 'DELE 1'), typed('laptop', 'QUIT')],
  [{ do: 'check', device: 'phone' }],
];

function checks(list: Suggestion[]): Check[] {
  return list.map((s) => s.check);
}

function lessonFor(
  start: string | Scenario,
  setup: SolutionEntry[],
  steps: SolutionEntry[][],
  goals: Check[],
): string {
  const draft: LessonDraft = {
    id: 'recorded',
    title: 'Recorded: a title with: colons, "quotes" and # hashes',
    summary: 'Made by the builder.',
    claims: ['C2'],
    track: 'pop3-wire',
    level: 'beginner',
    minutes: 5,
    start: typeof start === 'string' ? start : inlineStart(start),
    setup,
    intro: 'An introduction with `code` and **bold**.',
    steps: steps.map((solution, i) => ({
      prompt: `Do step ${i + 1}:\n\n- first line\n- second line`,
      goal: goals[i],
      hints: ['A nudge: look at the goal.', '`USER alice` then `PASS wonderland`'],
      solution,
      explanation: 'It worked (RFC 1939 §4).',
    })),
  };
  return writeLesson(draft);
}

describe('recording', () => {
  it('typed lines become type entries; opening a terminal is left out; removing a device is reported', () => {
    expect(entryOf(typed('laptop', 'USER alice'))).toEqual({ type: 'USER alice', device: 'laptop' });
    expect(entryOf({ do: 'connect', device: 'laptop' })).toBeNull();
    expect(entryOf({ do: 'check', device: 'phone' })).toEqual({ do: 'check', device: 'phone' });
    expect(entryOf({ do: 'removeDevice', device: 'phone' })).toMatch(/cannot remove a device/);
    const r = recordedSteps({
      start: 'sandbox',
      before: [
        { do: 'advance', hours: 1 },
        { do: 'connect', device: 'phone' },
      ],
      steps: [
        [{ do: 'connect', device: 'laptop' }],
        ...LOGIN_STEPS,
        [{ do: 'removeDevice', device: 'workpc' }],
      ],
    });
    expect(r.setup).toEqual([{ do: 'advance', hours: 1 }]);
    // The step that only opened a terminal and the one that only removed a device are gone.
    expect(r.steps).toHaveLength(3);
    expect(r.steps[0]).toEqual([
      { type: 'USER alice', device: 'laptop' },
      { type: 'PASS wonderland', device: 'laptop' },
    ]);
    expect(r.skipped).toEqual([expect.stringMatching(/workpc/)]);
    expect(countEntries(LOGIN_STEPS[0])).toBe(2);
  });
});

describe('goal suggestions', () => {
  const { setup, steps } = recordedSteps({ start: 'sandbox', before: [], steps: LOGIN_STEPS });
  const suggestions = suggestGoals(sandbox, setup, steps, nodeWorld);

  it('come from what changed: the session, the reply, the server, the lock, the other device', () => {
    expect(suggestions).toHaveLength(3);
    expect(checks(suggestions[0])).toEqual(
      expect.arrayContaining([
        { session: { device: 'laptop', via: 'terminal', state: 'TRANSACTION' } },
        { lock: { holder: 'laptop' } },
        { sent: { device: 'laptop', command: 'PASS', status: '+OK' } },
        { sent: { device: 'laptop', command: 'USER', status: '+OK' } },
      ]),
    );
    // The session's new state comes first: it is what a login step is about.
    expect(suggestions[0][0].check).toEqual({
      session: { device: 'laptop', via: 'terminal', state: 'TRANSACTION' },
    });
    expect(suggestions[0][0].text).toMatch(/TRANSACTION/);
    expect(checks(suggestions[1])).toEqual(
      expect.arrayContaining([
        { session: { device: 'laptop', via: 'terminal', state: 'none' } },
        { lock: { free: true } },
        { server: { folder: 'INBOX', count: 11 } },
        { server: { folder: 'INBOX', lacks: "I'm late! The meeting moved to 3 o'clock" } },
        { device: { device: 'laptop', count: 1 } },
        { sent: { device: 'laptop', command: 'QUIT', status: '+OK' } },
      ]),
    );
    // Mail that left the server says more than the session that ended.
    expect(suggestions[1][0].check).toEqual({ server: { folder: 'INBOX', count: 11 } });
    expect(checks(suggestions[2])).toEqual(
      expect.arrayContaining([
        { server: { folder: 'INBOX', count: 0 } },
        { device: { device: 'phone', count: 11 } },
      ]),
    );
  });

  it('never suggest what was already true before the step', () => {
    // Step 1 logs in; step 2's QUIT ends the session: "state TRANSACTION" is not a step-2 suggestion.
    expect(checks(suggestions[1])).not.toContainEqual({
      session: { device: 'laptop', via: 'terminal', state: 'TRANSACTION' },
    });
    expect(checks(suggestions[2]).some((c) => c.sent)).toBe(false);
  });

  it('every suggestion, as the goal of its step, passes the checker', () => {
    for (const [i, list] of suggestions.entries())
      for (const s of list) {
        const goals = suggestions.map((l, k) => (k === i ? s.check : l[0].check));
        const lesson = parseLesson(lessonFor('sandbox', setup, steps, goals));
        expect({ check: s.check, problems: playLesson(lesson, nodeWorld).problems }).toEqual({
          check: s.check,
          problems: [],
        });
      }
  });

  it('IMAP: the world steps of a live sandbox; a flag set on the phone reaches the server', () => {
    // As the recorder takes them: the world's own steps, messages named by their Message-ID.
    const world = nodeWorld(sandbox, {});
    world.dispatch({ do: 'protocol', device: 'phone', protocol: 'imap' });
    const from = world.steps.length;
    world.dispatch({ do: 'check', device: 'phone' });
    const cut = world.steps.length;
    const tea = world.device('phone').messages.find((m) => m.subject === 'Tea party on Thursday')!;
    world.dispatch({ do: 'flag', device: 'phone', message: tea.messageId });
    const rec = recordedSteps({
      start: 'sandbox',
      before: world.steps.slice(0, from),
      steps: [world.steps.slice(from, cut), world.steps.slice(cut)],
    });
    world.dispose();
    const s = suggestGoals(sandbox, rec.setup, rec.steps, nodeWorld);
    expect(checks(s[0])).toContainEqual({ device: { device: 'phone', count: 14 } });
    expect(checks(s[0])).toContainEqual({ device: { device: 'phone', folder: 'Drafts', exists: true } });
    expect(checks(s[1])).toContainEqual({
      server: { folder: 'INBOX', has: 'Tea party on Thursday', flags: ['\\Flagged'] },
    });
    expect(checks(s[1])).toContainEqual({
      device: { device: 'phone', has: 'Tea party on Thursday', flags: ['\\Flagged'] },
    });
  });
});

describe('the lesson writer', () => {
  it('writes a file that reads back as written, quoting what YAML needs quoted', () => {
    const goals: Check[] = [
      {
        all: [
          { sent: { device: 'laptop', command: 'USER', status: '+OK' } },
          { not: { lock: { free: true } } },
        ],
      },
      { device: { device: 'laptop', has: 'Tea: #1 "party"', flags: ['\\Seen'] } },
    ];
    const steps: SolutionEntry[][] = [
      [
        { type: 'USER alice', device: 'laptop' },
        { type: 'PASS wonderland', device: 'laptop' },
      ],
      [{ do: 'deliver', message: { id: 'x1', subject: 'Tea: #1 "party"', from: 'Hatter <h@t.example>' } }],
    ];
    const text = lessonFor('sandbox', [{ do: 'advance', hours: 2 }], steps, goals);
    const lesson = parseLesson(text);
    expect(lesson.title).toBe('Recorded: a title with: colons, "quotes" and # hashes');
    expect(lesson.steps[0].goal).toEqual(goals[0]);
    expect(lesson.steps[1].goal).toEqual(goals[1]);
    expect(lesson.steps[0].prompt).toBe('Do step 1:\n\n- first line\n- second line');
    expect(lesson.steps[0].hints[1]).toBe('`USER alice` then `PASS wonderland`');
    expect(lesson.steps[1].solution).toEqual(steps[1]);
    expect(lesson.setup).toEqual([{ do: 'advance', hours: 2 }]);
    expect(lesson.intro).toBe('An introduction with `code` and **bold**.');
    // The shape of the shipped lessons: flow mappings for entries and checks, | blocks for Markdown.
    expect(text).toMatch(/^---\nid: recorded\n/);
    expect(text).toContain('  - prompt: |\n      Do step 1:\n');
    expect(text).toContain('      - { type: USER alice, device: laptop }');
    expect(text).toMatch(/ {8}- sent: \{ device: laptop, command: USER, status: "?\+OK"? \}/);
    expect(text).toContain('claims: [ C2 ]');
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('an inline start (a scenario from a file) is written without its timeline', () => {
    const scenario: Scenario = {
      ...sandbox,
      id: 'mine',
      title: 'Mine',
      timeline: [{ do: 'check', device: 'phone' }],
    };
    const text = lessonFor(scenario, [], [[{ do: 'check', device: 'laptop' }]], [{ server: { count: 0 } }]);
    const lesson = parseLesson(text);
    expect(lesson.scenario.devices.map((d) => d.id)).toEqual(['phone', 'laptop', 'workpc']);
    expect(lesson.scenario.timeline).toEqual([]);
  });

  it('ids from titles', () => {
    expect(idFromTitle('Ça va? The POP3 lock, again!')).toBe('ca-va-the-pop3-lock-again');
    expect(idFromTitle('???')).toBe('my-lesson');
    expect(idFromTitle('x'.repeat(90))).toHaveLength(64);
  });

  it('goal lines: a check as one line of YAML, read back; nonsense is refused with a reason', () => {
    const c: Check = { sent: { device: 'laptop', command: 'RETR', status: '-ERR' } };
    expect(checkText(c)).toBe('{ sent: { device: laptop, command: RETR, status: -ERR } }');
    expect(parseCheck(checkText(c))).toEqual(c);
    expect(parseCheck('{ device: { device: phone, has: Tea, flags: [ \\Seen ] } }')).toEqual({
      device: { device: 'phone', has: 'Tea', flags: ['\\Seen'] },
    });
    expect(() => parseCheck('{ server: ')).toThrow(/not readable YAML/);
    expect(() => parseCheck('- a list')).toThrow(/a goal is a mapping/);
  });
});

describe('a recorded lesson', () => {
  it('passes `npm run lessons -- check` with the builder defaults, untouched', () => {
    const rec = recordedSteps({
      start: 'sandbox',
      before: [{ do: 'advance', hours: 1 }],
      steps: LOGIN_STEPS,
    });
    const suggestions = suggestGoals(sandbox, rec.setup, rec.steps, nodeWorld);
    const form = initialForm(rec.steps, suggestions, names);
    form.id = idFromTitle('Recorded in the sandbox');
    const text = writeLesson(draftOf(form, 'sandbox', rec.setup));
    const dir = mkdtempSync(join(tmpdir(), 'lab-recorded-'));
    const file = join(dir, `${form.id}.md`);
    writeFileSync(file, text);
    const out: string[] = [];
    const err: string[] = [];
    const code = main(['check', file], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect({ code, out, err }).toEqual({
      code: 0,
      out: [
        expect.stringMatching(/^ok .* recorded-in-the-sandbox \(3 steps\)$/),
        '1 lesson checked, all fine',
      ],
      err: [],
    });
    // The defaults say what was done, in the engine's words.
    expect(form.steps[0].prompt).toBe(
      '- On the laptop, type `USER alice`\n- On the laptop, type `PASS wonderland`',
    );
    expect(form.steps[2].prompt).toBe('Check mail on the phone.');
    expect(form.steps[0].explanation).toMatch(/TRANSACTION/);
  });

  it('a step without any goal picked is refused before writing, with the step named', () => {
    const rec = recordedSteps({ start: 'sandbox', before: [], steps: LOGIN_STEPS });
    const form = initialForm(rec.steps, suggestGoals(sandbox, rec.setup, rec.steps, nodeWorld), names);
    for (const g of form.steps[1].goals) g.picked = false;
    expect(() => draftOf(form, 'sandbox', rec.setup)).toThrow(/Step 2 has no goal/);
    form.steps[1].goals.push({ text: '{ server: ', picked: true, note: null });
    expect(() => draftOf(form, 'sandbox', rec.setup)).toThrow(/Step 2, check 1: not readable YAML/);
  });
});
