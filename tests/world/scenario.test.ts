import { describe, expect, it } from 'vitest';
import { ScenarioError, validateScenario } from '../../src/world/scenario';
import { SCENARIOS, getScenario } from '../../src/world/scenarios';
import { buildMessage, messageIdFor, nextRandom, rfc5322Date } from '../../src/world/messages';
import { storageCost } from '../../src/world/compare';

const DAY = 86_400_000;

function problems(input: unknown): string[] {
  try {
    validateScenario(input);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).problems;
  }
}

const minimal = {
  id: 'tiny',
  title: 'Tiny',
  summary: 'A tiny story.',
  claims: ['C2'],
  messages: [{ id: 'm1', subject: 'Hello' }],
  devices: [{ id: 'laptop', kind: 'laptop' }],
  timeline: [
    { do: 'check', device: 'laptop' },
    { do: 'read', device: 'laptop', message: 'm1' },
  ],
};

describe('scenario schema', () => {
  it('accepts every shipped curriculum scenario, with unique ids', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    expect(getScenario('laptop-lost')?.claims).toContain('C8');
    const claims = new Set(SCENARIOS.flatMap((s) => s.claims));
    for (const c of ['C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10']) expect(claims).toContain(c);
  });

  it('accepts a minimal scenario', () => {
    expect(problems(minimal)).toEqual([]);
  });

  it('reports each problem with its path', () => {
    const p = problems({
      ...minimal,
      id: 'Bad Id',
      devices: [{ id: 'laptop', kind: 'toaster', settings: { pop3: { leaveOnServer: 'yes' }, colour: 1 } }],
      timeline: [
        { do: 'check', device: 'phon' },
        { do: 'read', device: 'laptop', message: 'm9' },
        { do: 'fly', device: 'laptop' },
        { do: 'advance' },
      ],
    });
    expect(p).toContain('scenario.id: use lower-case letters, digits and "-"');
    expect(p).toContain('devices[0].kind: must be one of phone, laptop, workpc, tablet');
    expect(p).toContain('devices[0].settings.pop3.leaveOnServer: must be true or false');
    expect(p).toContain('devices[0].settings.colour: unknown setting');
    expect(p.some((x) => x.startsWith('timeline[0].device: unknown device "phon"'))).toBe(true);
    expect(p.some((x) => x.startsWith('timeline[1].message: unknown message "m9"'))).toBe(true);
    expect(p.some((x) => x.startsWith('timeline[2].do: unknown action "fly"'))).toBe(true);
    expect(p).toContain('timeline[3]: advance needs days, hours or minutes');
  });

  it('keeps header fields on one line: a line break cannot smuggle in a header', () => {
    const p = problems({
      ...minimal,
      messages: [
        { id: 'm1', subject: 'Hi\r\nBcc: everyone@example.org' },
        { id: 'm2', subject: 'Fine', from: 'eve@example.org\nX-Evil: 1', to: 'x'.repeat(999) },
      ],
      timeline: [
        { do: 'deliver', message: { id: 'm3', subject: 'Late\rnews' } },
        { do: 'check', device: 'laptop' },
      ],
    });
    expect(p).toContain('messages[0].subject: must be one line (no line breaks)');
    expect(p).toContain('messages[1].from: must be one line (no line breaks)');
    expect(p).toContain('messages[1].to: must be at most 998 characters (RFC 5322 §2.1.1)');
    expect(p).toContain('timeline[0].message.subject: must be one line (no line breaks)');
    expect(problems({ ...minimal, messages: [{ id: 'm1', subject: 'Ça va?\tOui' }] })).toEqual([]);
  });

  it('refuses duplicates and non-objects without throwing anything else', () => {
    expect(
      problems({
        ...minimal,
        messages: [
          { id: 'm1', subject: 'a' },
          { id: 'm1', subject: 'b' },
        ],
      }),
    ).toContain('messages[1].id: "m1" is used twice');
    expect(problems(null)).toEqual(['scenario: must be an object']);
    expect(problems('text')).toEqual(['scenario: must be an object']);
    expect(problems({})).toContain('scenario.devices: must be a list');
  });
});

describe('scenario messages', () => {
  it('builds a CRLF message with the scenario Message-ID and the requested size', () => {
    const raw = buildMessage(
      { id: 'm1', subject: 'Hi', size: 5000 },
      Date.UTC(2025, 0, 6, 9),
      'alice@lab.example',
    );
    expect(raw).toContain(`Message-ID: <${messageIdFor('m1')}>\r\n`);
    expect(raw).toContain('Date: Mon, 06 Jan 2025 09:00:00 +0000\r\n');
    expect(raw.length).toBe(5000);
    expect(/(^|[^\r])\n/.test(raw)).toBe(false);
    expect(raw.endsWith('\r\n')).toBe(true);
  });

  it('encodes non-ASCII text as UTF-8 octets', () => {
    const raw = buildMessage({ id: 'u', subject: 'Grüße', body: 'Schöne Grüße' }, 0, 'a@b');
    expect(raw).toContain('Gr\xc3\xbc\xc3\x9fe');
  });

  it('formats RFC 5322 dates in UTC', () => {
    expect(rfc5322Date(Date.UTC(2024, 1, 29, 23, 5, 9))).toBe('Thu, 29 Feb 2024 23:05:09 +0000');
  });

  it('has a deterministic seeded generator', () => {
    const a = nextRandom(42);
    const b = nextRandom(42);
    expect(a).toEqual(b);
    expect(a.value).toBeGreaterThanOrEqual(0);
    expect(a.value).toBeLessThan(1);
    expect(nextRandom(a.state).value).not.toBe(a.value);
  });
});

describe('storage cost', () => {
  it('charges only the bytes above the quota, for the time they stay there', () => {
    const GB = 1024 ** 3;
    const c = storageCost(
      [
        { at: 0, bytes: GB, messages: 1 },
        { at: 30 * DAY, bytes: 3 * GB, messages: 3 },
        { at: 90 * DAY, bytes: 3 * GB, messages: 3 },
      ],
      { quotaBytes: 2 * GB, pricePerGBMonth: 1.5 },
    );
    expect(c.monthsOverQuota).toBe(2);
    expect(c.extraCost).toBe(3);
    expect(c.overQuotaAt).toBe(30 * DAY);
  });
});

describe('the scenario catalog (the page picker)', () => {
  it('lists every shipped scenario with its title and claims, in order', async () => {
    const { SCENARIO_CATALOG } = await import('../../src/world/scenarios/catalog');
    expect(SCENARIO_CATALOG).toEqual(SCENARIOS.map((s) => ({ id: s.id, title: s.title, claims: s.claims })));
  });
});
