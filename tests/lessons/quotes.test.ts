/**
 * Every server reply a lesson quotes in `code` is one the engine really sends in that step: the
 * explanation of a step is checked against the wire of that step when its solution is played.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonFiles } from '../../src/cli/lessons';
import { parseLesson } from '../../src/lessons/parse';
import { playLesson } from '../../src/lessons/verify';
import { nodeWorld } from './helpers';

/** Code spans that look like server output: +OK/-ERR, untagged (*), continuation (+), tagged status. */
export function quotedReplies(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`]+)`/g)]
    .map((m) => m[1])
    .filter((q) => /^(\+OK|-ERR|\* |\+ |[A-Za-z]+\d* (OK|NO|BAD)\b)/.test(q));
}

/** A quote matches a wire line when its pieces around "…" appear in it in order. */
function onWire(quote: string, lines: string[]): boolean {
  const pieces = quote.split('…').map((p) => p.trim()).filter(Boolean);
  return lines.some((line) => {
    let at = 0;
    for (const p of pieces) {
      const i = line.indexOf(p, at);
      if (i < 0) return false;
      at = i + p.length;
    }
    return true;
  });
}

describe('replies quoted in the lessons', () => {
  it('finds the quotes it should', () => {
    expect(quotedReplies('`+OK 12 10631` and `a1 OK Capability completed.` but not `STAT` or `\\Seen`')).toEqual([
      '+OK 12 10631',
      'a1 OK Capability completed.',
    ]);
  });

  for (const file of lessonFiles())
    it(`${basename(file)}: every quoted reply crossed the wire in its step`, () => {
      const lesson = parseLesson(readFileSync(file, 'utf8'), file);
      const play = playLesson(lesson, nodeWorld);
      expect(play.problems).toEqual([]);
      for (const o of play.outcomes) {
        const step = lesson.steps[o.index];
        const lines = Object.values(o.transcripts).flatMap((t) => t.map((l) => l.text));
        for (const quote of quotedReplies(step.explanation))
          expect(onWire(quote, lines), `${lesson.id} step ${o.index + 1}: ${quote}`).toBe(true);
      }
    });
});
