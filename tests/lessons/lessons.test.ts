/**
 * Every shipped lesson, solved headless by its own solution, and no step's goal met before the
 * learner acts (the same play as `npm run lessons -- check`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonFiles } from '../../src/cli/lessons';
import { parseLesson } from '../../src/lessons/parse';
import { CLAIM_IDS, TRACKS } from '../../src/lessons/schema';
import { playLesson } from '../../src/lessons/verify';
import { nodeWorld } from './helpers';

const files = lessonFiles();
const lessons = files.map((f) => ({ file: f, lesson: parseLesson(readFileSync(f, 'utf8'), f) }));

describe('the shipped lessons', () => {
  it('are at least 16, in the three tracks, with unique ids matching their file names', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(16);
    for (const track of TRACKS) expect(lessons.filter((l) => l.lesson.track === track).length).toBeGreaterThanOrEqual(5);
    const ids = lessons.map((l) => l.lesson.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of lessons) expect(basename(l.file, '.md')).toBe(l.lesson.id);
  });

  it('cover every claim C1-C10 in the stories track', () => {
    const stories = lessons.filter((l) => l.lesson.track === 'stories');
    const covered = new Set(stories.flatMap((l) => l.lesson.claims));
    expect([...CLAIM_IDS].filter((c) => !covered.has(c))).toEqual([]);
  });

  it('carry explicit tags on the IMAP lines of their solutions', () => {
    for (const { lesson } of lessons) {
      const imapDevices = new Set(
        lesson.scenario.devices.filter((d) => (lesson.protocol ?? d.protocol) === 'imap').map((d) => d.id),
      );
      // A step that wants a BAD reply may send a line without a tag on purpose.
      for (const step of lesson.steps.filter((s) => !JSON.stringify(s.goal).includes('"BAD"')))
        for (const e of step.solution)
          if ('type' in e && imapDevices.has(e.device) && !/^(DONE)$/.test(e.type))
            expect(e.type, `${lesson.id}: ${e.type}`).toMatch(/^[a-z]\d+ [A-Z]/);
    }
  });

  for (const { file, lesson } of lessons)
    it(`${basename(file)} is solved by its own solution, and no goal is met at its start`, () => {
      const play = playLesson(lesson, nodeWorld);
      expect(play.problems).toEqual([]);
      expect(play.outcomes).toHaveLength(lesson.steps.length);
      for (const o of play.outcomes) {
        expect(o.before.met, `${lesson.id} step ${o.index + 1} before`).toBe(false);
        expect(o.after?.met, `${lesson.id} step ${o.index + 1} after`).toBe(true);
      }
      // playLesson pressed Next after every step, the last one too.
      expect(play.run!.finished).toBe(true);
      expect(play.run!.summary().golf).toBe('par');
      play.run!.dispose();
    });
});
