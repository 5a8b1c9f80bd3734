/** Progress data: versioned, validated, and corrupt input is reported and replaced, never thrown. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyProgress,
  lessonProgress,
  loadProgress,
  MAX_PROGRESS_SIZE,
  PROGRESS_KIND,
  saveProgress,
  withLessonProgress,
  withoutLesson,
  type LessonProgress,
} from '../../src/lessons/progress';

const record = (id: string): LessonProgress => ({
  id,
  fingerprint: 'abcd1234',
  step: 1,
  finished: false,
  steps: [
    { hints: 2, solutionShown: false, used: 3 },
    { hints: 0, solutionShown: false, used: null },
  ],
  actions: [{ do: 'manual', device: 'laptop', line: 'USER alice' }],
  stepStart: 1,
});

describe('progress data', () => {
  it('round trips through JSON, and records replace older ones', () => {
    let data = withLessonProgress(emptyProgress(), record('a'));
    data = withLessonProgress(data, record('b'));
    data = withLessonProgress(data, { ...record('a'), step: 0 });
    const back = loadProgress(saveProgress(data));
    expect(back).toEqual({ data, problem: null });
    expect(lessonProgress(back.data, 'a')!.step).toBe(0);
    expect(withoutLesson(back.data, 'a').lessons.map((l) => l.id)).toEqual(['b']);
    expect(loadProgress(null)).toEqual({ data: emptyProgress(), problem: null });
    expect(emptyProgress()).toEqual({ kind: PROGRESS_KIND, version: 1, lessons: [] });
  });

  it('corrupt, foreign, old or hostile data is reported and replaced by empty progress', () => {
    const good = JSON.parse(saveProgress(withLessonProgress(emptyProgress(), record('a'))));
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /^not JSON$/],
      [JSON.stringify({ ...good, version: 99 }), /^unsupported version 99$/],
      [JSON.stringify({ kind: 'something-else', version: 1, lessons: [] }), /^not a lesson progress file$/],
      [JSON.stringify({ ...good, lessons: [{ ...good.lessons[0], step: -1 }] }), /^lessons\[0\]\.step: /],
      [JSON.stringify({ ...good, lessons: [{ ...good.lessons[0], id: '__proto__' }] }), /^lessons\[0\]\.id: /],
      [JSON.stringify({ ...good, lessons: [good.lessons[0], good.lessons[0]] }), /appears twice/],
      [JSON.stringify({ ...good, lessons: [{ ...good.lessons[0], stepStart: 5 }] }), /beyond its actions/],
      [JSON.stringify({ ...good, extra: 1 }), /Unrecognized key/],
      ['['.repeat(100_000) + ']'.repeat(100_000), /too deeply nested/],
      ['x'.repeat(MAX_PROGRESS_SIZE + 1), /^too large/],
      [42, /expected object/],
    ];
    for (const [input, why] of cases) {
      const loaded = loadProgress(input);
      expect(loaded.data).toEqual(emptyProgress());
      expect(loaded.problem, String(input).slice(0, 60)).toMatch(why);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('never throws on random input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue()), (v) => {
        const loaded = loadProgress(typeof v === 'string' ? v : JSON.stringify(v));
        expect(loaded.data.lessons).toBeInstanceOf(Array);
      }),
      { numRuns: 300 },
    );
  });
});
