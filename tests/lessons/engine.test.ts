/** The lesson engine as the page drives it: steps, live goal, hints, solution, reset, next, summary, progress. */
import { describe, expect, it } from 'vitest';
import { LessonRun, lessonNeedsImap, type LessonState } from '../../src/lessons/engine';
import { LessonError } from '../../src/lessons/errors';
import { loadProgress, saveProgress, withLessonProgress, emptyProgress } from '../../src/lessons/progress';
import { World } from '../../src/world/world';
import { WorldError } from '../../src/world/core';
import { fixture, nodeWorld, parse, smallLesson } from './helpers';

const inbox = (run: LessonRun) => run.world.mailStore.getMailbox('alice', 'INBOX')!.messages.length;

describe('following a lesson', () => {
  it('the goal turns met as the learner types, and Next moves on only then', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    const states: LessonState[] = [];
    run.subscribe((s) => states.push(s));
    expect(run.state()).toMatchObject({ stepIndex: 0, stepCount: 2, met: false, finished: false, used: 0 });
    expect(run.state().status).toBe('Not yet: The laptop has no open terminal session; the goal is TRANSACTION.');
    expect(run.next()).toBe(false);
    run.type('laptop', 'USER alice');
    expect(run.state().met).toBe(false);
    run.type('laptop', 'PASS wonderland');
    expect(run.state()).toMatchObject({ met: true, used: 2 });
    expect(run.state().status).toBe("Goal met. The laptop's terminal session is in the TRANSACTION state.");
    expect(states.at(-1)!.met).toBe(true);
    // Met stays met for the step, even if the learner goes on.
    run.type('laptop', 'QUIT');
    expect(run.state().met).toBe(true);
    expect(run.state().verdict!.met).toBe(false);
    expect(run.next()).toBe(true);
    expect(run.state()).toMatchObject({ stepIndex: 1, met: false, used: 0 });
    run.dispose();
  });

  it('Reset step undoes a met goal too: the step is done again, hints stay revealed', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    run.hint();
    run.type('laptop', 'USER alice');
    run.type('laptop', 'PASS wonderland');
    expect(run.state().met).toBe(true);
    run.resetStep();
    expect(run.state()).toMatchObject({ met: false, used: 0, hints: [expect.any(String)] });
    expect(run.state().status).toMatch(/^Not yet: /);
    expect(run.next()).toBe(false);
    run.type('laptop', 'USER alice');
    run.type('laptop', 'PASS wonderland');
    expect(run.next()).toBe(true);
    run.dispose();
  });

  it('opening a terminal (connect) is not counted among the commands used', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    run.dispatch({ do: 'connect', device: 'laptop' });
    expect(run.state()).toMatchObject({ met: false, used: 0 });
    run.type('laptop', 'USER alice');
    run.type('laptop', 'PASS wonderland');
    expect(run.state()).toMatchObject({ met: true, used: 2 });
    expect(run.summary().steps[0].used).toBe(2);
    run.dispose();
  });

  it('evaluates after world steps the page dispatched on the world directly (one microtask later)', async () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld });
    let seen: LessonState | null = null;
    run.subscribe((s) => (seen = s));
    run.world.dispatch({ do: 'manual', device: 'laptop', line: 'USER alice' });
    run.world.dispatch({ do: 'manual', device: 'laptop', line: 'PASS wonderland' });
    expect(seen).toBeNull();
    await Promise.resolve();
    expect(seen!.met).toBe(true);
    run.dispose();
  });

  it('reveals hints one by one, then none', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    expect(run.state()).toMatchObject({ hints: [], hintsLeft: 2 });
    expect(run.hint()).toBe('Two commands.');
    expect(run.state()).toMatchObject({ hints: ['Two commands.'], hintsLeft: 1 });
    expect(run.hint()).toBe('USER alice, PASS wonderland');
    expect(run.hint()).toBeNull();
    expect(run.state().hintsLeft).toBe(0);
  });

  it('shows the solution line by line, raw commands apart, and plays it from the step start', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    run.type('laptop', 'USER bob');
    const lines = run.showSolution();
    expect(lines.map((l) => [l.device, l.line, l.text])).toEqual([
      ['laptop', 'USER alice', 'On the laptop, type USER alice'],
      ['laptop', 'PASS wonderland', 'On the laptop, type PASS wonderland'],
    ]);
    expect(run.state().solutionShown).toBe(true);
    run.playSolution();
    expect(run.state()).toMatchObject({ met: true, used: 2 });
    expect(run.world.steps.map((s) => (s.do === 'manual' ? s.line : s.do))).toEqual(['USER alice', 'PASS wonderland']);
  });

  it('describes world actions in words', () => {
    const lesson = parse(fixture('broken-solution.md').replace('count: 5 } }\n    hints: [Check., Check mail on the phone.]', 'count: 0 } }\n    hints: [Check., Check mail on the phone.]'));
    const run = new LessonRun(lesson, { createWorld: nodeWorld, schedule: null });
    expect(run.solutionLines([
      { do: 'check', device: 'phone' },
      { do: 'check', device: '*' },
      { do: 'read', device: 'laptop', message: 'm1' },
      { do: 'move', device: 'laptop', message: 'm2', to: 'Archive' },
      { do: 'advance', days: 8 },
      { do: 'advance', minutes: 90 },
      { do: 'drop', device: 'workpc' },
      { do: 'addDevice', device: { id: 'tablet', name: 'Tablet', kind: 'tablet' } },
      { do: 'protocol', device: 'phone', protocol: 'imap' },
    ]).map((l) => l.text)).toEqual([
      'Check mail on the phone',
      'Check mail on every device',
      "On the laptop, open (mark read) 'Dinner on Friday?'",
      "On the laptop, move 'Your order has shipped' to Archive",
      'Let 8 days pass',
      'Let 90 minutes pass',
      "Break the work PC's connection (no QUIT or LOGOUT)",
      'Add a new device: Tablet',
      'Switch the phone to IMAP',
    ]);
  });

  it('Reset step puts the world, the live session and the tracked events back to the step start', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    run.playSolution();
    run.next();
    run.type('laptop', 'DELE 1');
    run.type('laptop', 'DELE 2');
    run.type('laptop', 'QUIT');
    expect(inbox(run)).toBe(10);
    expect(run.state().verdict!.met).toBe(false); // the goal wants 11
    run.resetStep();
    expect(inbox(run)).toBe(12);
    expect(run.world.sessions('laptop').manual).toMatchObject({ state: 'TRANSACTION' });
    expect(run.state()).toMatchObject({ stepIndex: 1, used: 0, met: false });
    run.type('laptop', 'DELE 1');
    run.type('laptop', 'QUIT');
    expect(run.state().met).toBe(true);
    expect(run.next()).toBe(true);
    expect(run.state()).toMatchObject({ finished: true, stepIndex: 2, step: null, status: 'Lesson complete' });
  });

  it('an undo on the world (the page) rewinds what the goal counts', () => {
    const text = smallLesson(`  - prompt: Two STATs.
    goal: { sent: { device: laptop, command: STAT, times: 2 } }
    hints: [a, b]
    solution:
      - { type: STAT, device: laptop }
      - { type: STAT, device: laptop }
    explanation: x`, 'setup:\n  - { type: USER alice, device: laptop }\n  - { type: PASS wonderland, device: laptop }');
    const run = new LessonRun(parse(text), { createWorld: nodeWorld, schedule: null });
    run.type('laptop', 'STAT');
    expect(run.world.undo()).toBe(true);
    run.type('laptop', 'STAT');
    expect(run.state().met).toBe(false);
    run.type('laptop', 'STAT');
    expect(run.state().met).toBe(true);
  });

  it('works when the world cannot undo (Reset step rebuilds it)', () => {
    const run = new LessonRun(parse(smallLesson()), {
      createWorld: (scenario, o) => World.fromScenario(scenario, { protocol: o.protocol, undoDepth: 0 }),
      schedule: null,
    });
    run.playSolution();
    const first = run.world;
    run.next();
    run.type('laptop', 'DELE 1');
    run.resetStep();
    expect(run.world).not.toBe(first);
    expect(run.world.sessions('laptop').manual).toMatchObject({ state: 'TRANSACTION', view: { marked: [] } });
  });

  it('sums up: commands used against the solution, hints, solutions shown', () => {
    const run = new LessonRun(parse(smallLesson()), { createWorld: nodeWorld, schedule: null });
    run.hint();
    run.type('laptop', 'USER alice');
    run.type('laptop', 'NOOP');
    run.type('laptop', 'PASS wonderland');
    run.next();
    run.showSolution();
    run.playSolution();
    run.next();
    const s = run.summary();
    expect(s).toMatchObject({ finished: true, used: 5, solution: 4, hints: 1, solutionsShown: 1, golf: 'over' });
    expect(s.lines).toEqual([
      'You used 5 commands and actions; the solution uses 4.',
      'A few more than the solution: that is how one learns.',
      'Hints used: 1.',
      'Solutions shown: 1.',
    ]);
  });

  it('a setup the world refuses is a LessonError; world refusals reach the caller and change nothing', () => {
    const lesson = parse(smallLesson());
    const bad = { ...lesson, setup: [{ do: 'advance' as const, days: 1e9 }] };
    expect(() => new LessonRun(bad, { createWorld: nodeWorld })).toThrow(LessonError);
    const run = new LessonRun(lesson, { createWorld: nodeWorld, schedule: null });
    expect(() => run.dispatch({ do: 'advance', days: 1e9 })).toThrow(WorldError);
    expect(run.world.steps).toEqual([]);
  });

  it('knows which lessons need IMAP', () => {
    expect(lessonNeedsImap(parse(smallLesson()))).toBe(false);
    expect(lessonNeedsImap(parse(smallLesson().replace('kind: phone, protocol: pop3', 'kind: phone, protocol: imap')))).toBe(true);
  });
});

describe('progress', () => {
  it('round trip: saved, loaded, resumed at the same step with the same world', () => {
    const lesson = parse(smallLesson());
    const run = new LessonRun(lesson, { createWorld: nodeWorld, schedule: null, now: () => 1000 });
    run.hint();
    run.playSolution();
    run.next();
    run.type('laptop', 'DELE 1');
    const saved = saveProgress(withLessonProgress(emptyProgress(), run.progress()));
    const loaded = loadProgress(saved);
    expect(loaded.problem).toBeNull();
    const record = loaded.data.lessons[0];
    expect(record).toMatchObject({ id: 'small', step: 1, finished: false, stepStart: 2, updatedAt: 1000 });
    expect(record.steps[0]).toEqual({ hints: 1, solutionShown: true, used: 2 });
    const again = new LessonRun(lesson, { createWorld: nodeWorld, schedule: null, progress: record });
    expect(again.resumeProblem).toBeNull();
    expect(again.state()).toMatchObject({ stepIndex: 1, used: 1 });
    expect(again.world.sessions('laptop').manual).toMatchObject({ state: 'TRANSACTION', view: { marked: [1] } });
    again.type('laptop', 'QUIT');
    expect(again.state().met).toBe(true);
    // Reset goes back to the step start of the resumed run, not the lesson start.
    again.resetStep();
    expect(again.world.sessions('laptop').manual).toMatchObject({ state: 'TRANSACTION', view: { marked: [] } });
  });

  it('progress from another version of the lesson, or that does not replay, starts again and says why', () => {
    const lesson = parse(smallLesson());
    const run = new LessonRun(lesson, { createWorld: nodeWorld, schedule: null });
    run.playSolution();
    const record = run.progress();
    const changed = parse(smallLesson().replace('Gone at QUIT.', 'Gone at QUIT!'));
    const stale = new LessonRun(changed, { createWorld: nodeWorld, schedule: null, progress: record });
    expect(stale.resumeProblem).toBe('The lesson "small" has changed since your progress was saved (the lesson file is different); it starts again.');
    expect(stale.state()).toMatchObject({ stepIndex: 0, used: 0 });
    const broken = { ...record, actions: [...record.actions, { do: 'advance' as const, days: 1e9 }] };
    const refused = new LessonRun(lesson, { createWorld: nodeWorld, schedule: null, progress: broken });
    expect(refused.resumeProblem).toMatch(/step refused/);
    expect(refused.world.steps).toEqual([]);
  });
});
