import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, renderTable, summarize } from '../../src/cli/compare';
import { compare } from '../../src/world/compare';
import { getScenario, SCENARIOS } from '../../src/world/scenarios';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function capture(argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const code = main(argv);
  log.mockRestore();
  error.mockRestore();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => vi.restoreAllMocks());

describe('npm run compare', () => {
  it('--list names every scenario', () => {
    const r = capture(['--list']);
    expect(r.code).toBe(0);
    for (const s of SCENARIOS) expect(r.out).toContain(s.id);
  });

  it('--json gives, per protocol, the numbers the story is about', () => {
    const r = capture(['three-devices-pop3', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.scenario.id).toBe('three-devices-pop3');
    expect(json.pop3).toMatchObject({
      serverMessages: 0,
      serverBytes: 0,
      devices: { laptop: 5, phone: 0, workpc: 0 },
      neverReceived: 5,
      duplicates: 0,
      disagreeingDevices: [],
      lostAfterDeviceLoss: 0,
    });
    for (const key of [
      'serverMessages',
      'serverBytes',
      'devices',
      'neverReceived',
      'duplicates',
      'disagreeingDevices',
      'lostAfterDeviceLoss',
    ])
      expect(json.imap).toHaveProperty(key);
  });

  it('prints a readable side-by-side table', () => {
    const table = renderTable(compare(getScenario('laptop-lost')!));
    expect(table).toMatch(/^laptop-lost: The laptop is lost/);
    expect(table).toMatch(/POP3\s+IMAP/);
    expect(table).toMatch(/Mail lost with a lost device\s+6\s+\d+/);
  });

  it('checks a teacher’s own scenario file and reports its problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        id: 'mine',
        title: 'Mine',
        summary: 'One laptop.',
        claims: ['C9'],
        messages: [{ id: 'a', subject: 'A' }],
        devices: [{ id: 'pc', kind: 'laptop' }],
        timeline: [{ do: 'check', device: 'pc' }],
      }),
    );
    const ok = capture([good, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).pop3.devices).toEqual({ pc: 1 });
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        id: 'x',
        title: 'X',
        summary: 'x',
        claims: [],
        devices: [],
        timeline: [{ do: 'check', device: 'pc' }],
      }),
    );
    const r = capture([bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('timeline[0].device: unknown device "pc"');
    expect(capture(['no-such-story']).code).toBe(1);
  });

  it('summarize keeps lost devices visible as null', () => {
    const s = summarize(compare(getScenario('laptop-lost')!).pop3);
    expect(s.devices).toEqual({ laptop: null, 'new-laptop': 0 });
    expect(s.lostAfterDeviceLoss).toBe(6);
  });
});
