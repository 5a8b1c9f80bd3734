/** The lesson file format: what is accepted, and every refusal with its path and line. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LessonError } from '../../src/lessons/errors';
import { MAX_LESSON_SIZE, parseLesson } from '../../src/lessons/parse';
import { fixture, lessonText, parse, smallLesson } from './helpers';

/** The problems of a refused lesson, as "line: path: message" strings. */
function problems(text: string): string[] {
  try {
    parseLesson(text, 'x.md');
  } catch (err) {
    expect(err).toBeInstanceOf(LessonError);
    return (err as LessonError).problems.map((p) => `${p.line ?? '-'}: ${p.path}: ${p.message}`);
  }
  throw new Error('the lesson was accepted');
}

describe('a valid lesson', () => {
  it('gives its fields, steps, scenario and introduction', () => {
    const l = parse(fixture('good.md'));
    expect(l).toMatchObject({
      id: 'good',
      lang: 'en',
      claims: ['C2'],
      track: 'pop3-wire',
      minutes: 3,
      order: 100,
      intro: 'A lesson for the tests.',
    });
    expect(l.scenario).toMatchObject({ id: 'good', mailbox: 'lab', timeline: [] });
    expect(l.steps).toHaveLength(2);
    expect(l.steps[0].solution).toEqual([
      { type: 'USER alice', device: 'laptop' },
      { type: 'PASS wonderland', device: 'laptop' },
    ]);
    expect(l.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(parse(fixture('good.md').replace('Twelve', 'Twelve!')).fingerprint).not.toBe(l.fingerprint);
  });

  it('takes a shipped scenario by id, CRLF line ends and a byte-order mark', () => {
    const text = smallLesson().replace(/start:\n( {2}.*\n)+/, 'start: three-devices-pop3\n');
    const l = parse('\uFEFF' + text.replace(/\n/g, '\r\n'));
    expect(l.scenario.id).toBe('three-devices-pop3');
  });
});

describe('refusals, with paths and lines', () => {
  it('a file without front matter', () => {
    expect(problems('# Just Markdown\n')).toEqual([
      '1: front matter: a lesson starts with YAML front matter between two lines of "---"',
    ]);
  });

  it('schema mistakes: unknown claim, unknown check, too few hints, two modes, unknown action', () => {
    expect(problems(fixture('broken-schema.md'))).toEqual([
      '5: claims[1]: Invalid option: expected one of "C1"|"C2"|"C3"|"C4"|"C5"|"C6"|"C7"|"C8"|"C9"|"C10"',
      '12: steps[0].goal: Unrecognized key: "sesion"',
      '13: steps[0].hints: give at least two hints: a nudge, then a precise one',
      '18: steps[1].goal.server: use exactly one of count/atLeast/atMost, has, lacks, exists (found count, has)',
      '21: steps[1].solution[0].do: unknown action "chek"; use one of deliver, traffic, advance, check, read, unread, flag, unflag, delete, move, createFolder, offline, online, lose, drop, addDevice, protocol, settings, manual, note',
    ]);
  });

  it('an unknown scenario, device or message', () => {
    expect(problems(fixture('broken-scenario.md'))).toEqual([
      '9: start: unknown scenario "no-such-scenario" (shipped: sandbox, three-devices-pop3, leave-on-server, imap-three-devices, storage-year, laptop-lost, one-computer)',
    ]);
    const text = smallLesson(`  - prompt: x
    goal: { device: { device: tablet, count: 1 } }
    hints: [a, b]
    solution:
      - { do: read, device: desk, message: m9 }
    explanation: x`);
    expect(problems(text)).toEqual([
      '17: steps[0].goal.device.device: unknown device "tablet" (known by this step: laptop, phone)',
      '20: steps[0].solution[0].device: unknown device "desk" (known: laptop, phone)',
      '20: steps[0].solution[0].message: unknown message "m9" (declare it in messages or a deliver step)',
    ]);
  });

  it('a device added by an earlier step is known to later goals', () => {
    const text = smallLesson(`  - prompt: add
    goal: { device: { device: tablet, count: 0 } }
    hints: [a, b]
    solution:
      - do: addDevice
        device: { id: tablet, kind: tablet }
    explanation: x`);
    expect(parse(text).steps).toHaveLength(1);
  });

  it('an inline scenario that validateScenario refuses', () => {
    const text = smallLesson().replace('kind: phone', 'kind: toaster');
    expect(problems(text)).toEqual([
      '13: start.devices[1].kind: Invalid option: expected one of "phone"|"laptop"|"workpc"|"tablet"',
    ]);
    const bad = smallLesson().replace('mailbox: lab\n', 'mailbox: lab\n  messages: [{ id: "a b", subject: x }]\n');
    expect(problems(bad)[0]).toMatch(/start\.messages\[0\]\.id/);
  });

  it('a typed line with a line break, an empty prompt, a summary on two lines', () => {
    expect(problems(smallLesson().replace('type: USER alice', 'type: "USER alice\\r\\nQUIT"'))).toEqual([
      '20: steps[0].solution[0].type: must be one line',
    ]);
    expect(problems(smallLesson().replace('prompt: Log in.', 'prompt: "  "'))[0]).toMatch(
      /steps\[0\]\.prompt: must not be empty/,
    );
    expect(problems(smallLesson().replace('summary: A small lesson.', 'summary: "two\\nlines"'))).toEqual([
      '4: summary: must be one line',
    ]);
  });

  it('an empty introduction', () => {
    expect(problems(smallLesson().replace(/An introduction\.\n$/, ''))).toEqual([
      '-: body: the introduction (the Markdown after the front matter) is empty',
    ]);
  });

  it('duplicate keys and YAML syntax errors', () => {
    expect(problems(lessonText('id: a\nid: b\n'))).toEqual(['3: front matter: YAML: Map keys must be unique']);
    expect(problems(lessonText('id: [unclosed\n'))[0]).toMatch(/^\d+: front matter: YAML: /);
    expect(problems(lessonText('- just\n- a list\n'))).toEqual([
      '2: front matter: must be a mapping of fields (id: ..., title: ...)',
    ]);
  });
});

describe('hostile lesson files', () => {
  it('script tags, javascript: links, event handlers and iframes are refused with reasons', () => {
    const found = problems(fixture('hostile-script.md'));
    expect(found).toEqual([
      expect.stringMatching(/^11: steps\[0\]\.prompt: raw HTML is not allowed in lessons \(found <script>\)/),
      '11: steps[0].prompt: link "javascript:globalThis.pwned=true" is not allowed: links start with https://, http://, mailto: or #',
      expect.stringMatching(/^14: steps\[0\]\.hints\[0\]: raw HTML is not allowed in lessons \(found <img>\)/),
      '14: steps[0].hints[1]: link "JaVaScRiPt:alert(1)" is not allowed: links start with https://, http://, mailto: or #',
      expect.stringMatching(/^17: steps\[0\]\.explanation: raw HTML .*<iframe>/),
      expect.stringMatching(/^19: body: raw HTML .*<div>/),
    ]);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('YAML anchors and aliases (a billion laughs) are refused before they expand', () => {
    const started = Date.now();
    expect(problems(fixture('hostile-yaml-bomb.md'))).toEqual([
      '9: front matter: YAML anchors and aliases (&name, *name) are not allowed in lessons: write the value out',
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('__proto__, constructor and prototype keys are refused and pollute nothing', () => {
    expect(problems(fixture('hostile-proto.md'))).toEqual([
      '12: steps[0].goal.server.__proto__: the key "__proto__" is not allowed',
    ]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(problems(smallLesson(undefined, 'constructor: { prototype: 1 }'))).toEqual([
      '14: constructor: the key "constructor" is not allowed',
    ]);
  });

  it('unknown YAML tags (!!js/function) are refused', () => {
    expect(problems(fixture('hostile-tags.md'))).toEqual([
      '3: front matter: YAML: Unresolved tag: tag:yaml.org,2002:js/function',
      '4: front matter: YAML: Unresolved tag: !custom',
    ]);
  });

  it('deeply nested YAML and Markdown are a clear problem, not a stack overflow', () => {
    const deepYaml = lessonText(`id: x\ndeep: ${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(problems(deepYaml)[0]).toMatch(/too deeply nested|YAML/);
    const block = lessonText(`id: x\ndeep:\n${Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n')} 1`);
    expect(problems(block)).toEqual(['-: front matter: too deeply nested (more than 32 levels)']);
    const deepMd = smallLesson().replace('prompt: Log in.', `prompt: "${'> '.repeat(5000)}x"`);
    expect(() => parseLesson(deepMd)).not.toThrow(RangeError);
  });

  it('a lesson that would simulate too much is refused before anything runs', () => {
    const heavy = smallLesson(`  - prompt: wait
    goal: { clock: { days: 3000 } }
    hints: [a, b]
    solution:
      - { do: traffic, perDay: 50, days: 3000, size: { min: 1000, max: 2000 } }
      - { do: advance, days: 3000 }
    explanation: x`);
    expect(problems(heavy)).toEqual([
      '16: steps: the lesson would simulate about 150000 mail checks and deliveries; a lesson stays under 100000 (fewer days, fewer messages a day, or checks less often)',
    ]);
    const polling = smallLesson(
      `  - prompt: wait
    goal: { clock: { days: 300 } }
    hints: [a, b]
    solution:
      - { do: settings, device: phone, settings: { checkEveryMinutes: 1 } }
      - { do: advance, days: 300 }
    explanation: x`,
    );
    expect(problems(polling)[0]).toMatch(/simulate about 432000 mail checks/);
  });

  it('a huge file is refused at once', () => {
    const huge = smallLesson() + 'x'.repeat(MAX_LESSON_SIZE);
    expect(problems(huge)).toEqual([`-: : the file is too large (${huge.length} characters; at most ${MAX_LESSON_SIZE})`]);
    expect(problems(123 as unknown as string)).toEqual(['-: : a lesson file is text']);
  });

  it('random text never throws anything but a LessonError (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        for (const text of [s, `---\n${s}\n---\nbody`, smallLesson().replace('Log in.', s)]) {
          try {
            parseLesson(text);
          } catch (err) {
            if (!(err instanceof LessonError)) throw err;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random YAML values in the front matter never throw anything but a LessonError (property)', () => {
    const yamlish = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(
          fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('steps', 'goal', 'session', '__proto__', 'do', 'type')),
          tie('value'),
          { maxKeys: 4 },
        ),
      ),
    })).value;
    fc.assert(
      fc.property(yamlish, fc.integer({ min: 0, max: 8 }), (v, i) => {
        // One field of a valid lesson replaced by a random value (JSON is YAML).
        const field = ['id', 'title', 'claims', 'start', 'steps', 'summary', 'minutes', 'track', 'level'][i];
        const patched = smallLesson().replace(new RegExp(`^${field}:.*$`, 'm'), `${field}: ${JSON.stringify(v)}`);
        try {
          parseLesson(patched);
        } catch (err) {
          if (!(err instanceof LessonError)) throw err;
        }
      }),
      { numRuns: 300 },
    );
  });
});
