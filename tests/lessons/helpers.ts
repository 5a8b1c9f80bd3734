import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLesson, type Lesson } from '../../src/lessons/parse';
import type { LessonWorldFactory } from '../../src/lessons/engine';
import { validateScenario, type Scenario } from '../../src/world/scenario';
import { World } from '../../src/world/world';

export const nodeWorld: LessonWorldFactory = (scenario, options) =>
  World.fromScenario(scenario, { protocol: options.protocol });

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A lesson file from front matter lines and a body. */
export function lessonText(front: string, body = 'An introduction.'): string {
  return `---\n${front.trim()}\n---\n\n${body}\n`;
}

/** A small valid lesson (two POP3 steps on the lab mailbox), with parts replaceable. */
export function smallLesson(steps?: string, extra = ''): string {
  return lessonText(`
id: small
title: Small
summary: A small lesson.
claims: [C2]
track: pop3-wire
level: beginner
minutes: 3
start:
  mailbox: lab
  devices:
    - { id: laptop, name: Laptop, kind: laptop, protocol: pop3, manual: true }
    - { id: phone, name: Phone, kind: phone, protocol: pop3 }
${extra}
steps:
${
  steps ??
  `  - prompt: Log in.
    goal: { session: { device: laptop, via: terminal, state: TRANSACTION } }
    hints: [Two commands., "USER alice, PASS wonderland"]
    solution:
      - { type: USER alice, device: laptop }
      - { type: PASS wonderland, device: laptop }
    explanation: Logged in.
  - prompt: Mark one and quit.
    goal: { server: { count: 11 } }
    hints: [DELE then QUIT., "DELE 1, QUIT"]
    solution:
      - { type: DELE 1, device: laptop }
      - { type: QUIT, device: laptop }
    explanation: Gone at QUIT.`
}
`);
}

export const parse = (text: string): Lesson => parseLesson(text, 'test.md');

/** The lab mailbox with a POP3 terminal laptop, a POP3 phone app and an IMAP terminal tablet. */
export function labScenario(extra: Partial<Scenario> = {}): Scenario {
  return validateScenario({
    id: 'checks',
    title: 'checks',
    summary: 'checks',
    claims: [],
    mailbox: 'lab',
    devices: [
      { id: 'laptop', name: 'Laptop', kind: 'laptop', protocol: 'pop3', manual: true },
      { id: 'phone', name: 'Phone', kind: 'phone', protocol: 'pop3' },
      { id: 'tablet', name: 'Tablet', kind: 'tablet', protocol: 'imap', manual: true },
    ],
    timeline: [],
    ...extra,
  });
}
