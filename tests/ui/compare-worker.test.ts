/**
 * The Compare worker's message handler, in Node (the handler, not the Worker): the messages
 * the page gets for a comparison, a fork and every kind of bad request.
 */
import { describe, expect, it } from 'vitest';
import { CompareClient, CompareError } from '../../src/ui/compare-client';
import { handleCompareRequest, type CompareResponse } from '../../src/ui/compare-protocol';
import { getScenario } from '../../src/world/scenarios';
import { compareTimeline } from '../../src/world/timeline';
import { imapAvailable } from '../world/imap-available';

function ask(message: unknown): CompareResponse[] {
  const out: CompareResponse[] = [];
  handleCompareRequest(message, (m) => out.push(structuredClone(m)));
  return out;
}

describe.skipIf(!imapAvailable)('compare worker handler', () => {
  it('answers a shipped scenario with progress, then the whole timeline (what compareTimeline gives)', () => {
    const out = ask({ type: 'compare', id: 7, scenario: 'laptop-lost', progressEveryMs: 0 });
    const done = out.at(-1)!;
    expect(done.type).toBe('done');
    expect(out.slice(0, -1).every((m) => m.type === 'progress' && m.id === 7)).toBe(true);
    expect(out.length).toBeGreaterThan(2);
    if (done.type !== 'done') return;
    expect(done.id).toBe(7);
    const direct = compareTimeline(getScenario('laptop-lost')!);
    const strip = (t: typeof direct) => ({ ...t, stats: null });
    expect(strip(done.timeline)).toEqual(strip(direct));
  });

  it('runs one protocol alone when asked (the page runs both halves in two workers)', () => {
    const out = ask({ type: 'compare', id: 9, scenario: 'one-computer', protocol: 'imap' });
    const last = out.at(-1)!;
    if (last.type !== 'world') throw new Error(JSON.stringify(last));
    expect(last.world.protocol).toBe('imap');
    expect(last.world.frames).toHaveLength(getScenario('one-computer')!.timeline.length + 1);
    expect(ask({ type: 'compare', id: 9, scenario: 'one-computer', protocol: 'smtp' }).at(-1)).toMatchObject({
      type: 'error',
      message: 'protocol must be "pop3" or "imap"',
    });
  });

  it('takes a scenario value and a fork', () => {
    const base = getScenario('three-devices-pop3')!;
    const out = ask({
      type: 'compare',
      id: 1,
      scenario: base,
      fork: {
        atStep: 1,
        change: { kind: 'settings', device: 'laptop', settings: { pop3: { leaveOnServer: true } } },
      },
      cap: 2,
    });
    const done = out.at(-1)!;
    if (done.type !== 'done') throw new Error(JSON.stringify(done));
    expect(done.timeline.scenario.id).toBe('three-devices-pop3-what-if');
    const end = done.timeline.frames.at(-1)!.pop3;
    expect(end.table.devices.find((d) => d.id === 'phone')!.messages).toBe(5);
    expect(end.devices.every((d) => d.messages.filter((m) => m.folder === 'INBOX').length <= 2)).toBe(true);
  });

  it('answers every bad request with an error naming the problem, never a throw', () => {
    expect(ask('hello')).toEqual([
      { type: 'error', id: -1, message: 'expected {type: "compare", id: number, scenario}', problems: [] },
    ]);
    expect(ask({ type: 'compare', id: 2, scenario: 'nope' })).toEqual([
      { type: 'error', id: 2, message: 'no scenario "nope"', problems: [] },
    ]);
    const invalid = ask({
      type: 'compare',
      id: 3,
      scenario: { id: 'x', devices: [], timeline: [{ do: 'fly' }] },
    });
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ type: 'error', id: 3, message: 'invalid scenario' });
    expect((invalid[0] as { problems: string[] }).problems).toContain(
      'scenario.title: must be a non-empty string',
    );
    expect(
      ask({
        type: 'compare',
        id: 4,
        scenario: 'laptop-lost',
        fork: { atStep: getScenario('laptop-lost')!.timeline.length, change: { kind: 'remove' } },
      }),
    ).toEqual([{ type: 'error', id: 4, message: 'fork: there is no step to remove there', problems: [] }]);
    expect(ask({ type: 'compare', id: 5, scenario: 'laptop-lost', fork: 'x' })[0]).toMatchObject({
      type: 'error',
      message: 'fork must be {atStep: number, change}',
    });
  });
});

describe.skipIf(!imapAvailable)('compare client', () => {
  /** A Worker stand-in that runs the handler in the same thread, answering asynchronously. */
  class FakeWorker {
    onmessage: ((e: MessageEvent<CompareResponse>) => void) | null = null;
    onerror: ((e: ErrorEvent) => void) | null = null;
    terminated = false;
    postMessage(m: unknown) {
      queueMicrotask(
        () =>
          this.terminated ||
          handleCompareRequest(structuredClone(m), (r) => {
            if (!this.terminated)
              this.onmessage?.({ data: structuredClone(r) } as MessageEvent<CompareResponse>);
          }),
      );
    }
    terminate() {
      this.terminated = true;
    }
  }

  it('resolves with the timeline, reports progress, rejects bad scenarios with their problems', async () => {
    const client = new CompareClient(() => new FakeWorker() as unknown as Worker);
    const seen: number[] = [];
    const t = await client.run({ scenario: 'one-computer', progressEveryMs: 0 }, (p) => seen.push(p.fraction))
      .result;
    expect(t.frames).toHaveLength(getScenario('one-computer')!.timeline.length + 1);
    expect(seen.at(-1)).toBe(1);
    await expect(client.run({ scenario: { id: 'bad' }, parallel: true }).result).rejects.toBeInstanceOf(
      CompareError,
    );
    const run = client.run({ scenario: 'storage-year' });
    run.cancel();
    await expect(run.result).rejects.toThrow('comparison cancelled');
    client.dispose();
  });
});
