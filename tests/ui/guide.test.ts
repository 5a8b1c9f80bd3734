import { describe, expect, it } from 'vitest';
import { momentHref, momentStep, recommend, type Answers } from '../../src/ui/compare/guide';
import { SCENARIOS } from '../../src/world/scenarios/index';

const base: Answers = { devices: 'few', agree: 'yes', mindStorage: 'no', backups: 'no', offline: 'no' };
const scenario = (id: string) => SCENARIOS.find((s) => s.id === id)!;

describe('the decision guide', () => {
  it('three devices that must agree: IMAP, first reason the phone that finds nothing', () => {
    const r = recommend({ ...base, devices: 'few' });
    expect(r.protocol).toBe('imap');
    expect(r.close).toBe(false);
    expect(r.reasons[0].claims).toEqual(['C2', 'C6']);
    expect(r.reasons.every((x) => x.text.length > 20)).toBe(true);
  });

  it('one computer, no wish to keep mail on the server, own backups: POP3', () => {
    const r = recommend({ devices: 'one', agree: 'no', mindStorage: 'yes', backups: 'yes', offline: 'yes' });
    expect(r.protocol).toBe('pop3');
    expect(r.reasons.filter((x) => x.favours === 'pop3').map((x) => x.claims[0])).toEqual(
      expect.arrayContaining(['C7', 'C9']),
    );
  });

  it('every reason links to a moment that exists in a shipped scenario', () => {
    const all = [
      recommend(base),
      recommend({ devices: 'one', agree: 'no', mindStorage: 'yes', backups: 'yes', offline: 'yes' }),
    ].flatMap((r) => r.reasons);
    for (const reason of all) {
      const s = scenario(reason.moment.scenario);
      expect(s, reason.moment.scenario).toBeDefined();
      const step = momentStep(reason.moment, s);
      if (step !== 'end') {
        expect(step).toBeGreaterThanOrEqual(1);
        expect(step).toBeLessThanOrEqual(s.timeline.length);
      }
      expect(momentHref(reason.moment, s)).toMatch(/^#\/compare\/[a-z0-9-]+\/(\d+|end)$/);
    }
    // The three-devices reason shows the moment the phone checks.
    const phone = recommend(base).reasons[0];
    const s = scenario('three-devices-pop3');
    expect(s.timeline[(momentStep(phone.moment, s) as number) - 1]).toEqual({ do: 'check', device: 'phone' });
  });
});
