/**
 * The page's side of the Compare workers: comparisons by promise, progress by callback.
 *
 *   const client = new CompareClient();
 *   const { result, cancel } = client.run({ scenario: 'storage-year' }, (p) => (bar.value = p.fraction));
 *   const timeline = await result;
 *
 * POP3 and IMAP are two worlds that share nothing, so on a machine with more than two cores the
 * client runs them in two workers at once and merges the halves (the same value one worker's
 * lockstep run gives). `cancel` stops a comparison at once: a run is one synchronous simulation
 * that cannot be interrupted from inside, so the workers are replaced.
 */
import type { CompareRequest, CompareResponse } from './compare-protocol';
import type { Protocol } from '../server/types';
import {
  mergeTimelines,
  type CompareProgress,
  type CompareTimeline,
  type WorldTimeline,
} from '../world/timeline';

export class CompareError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}

type Settle = {
  resolve: (m: Extract<CompareResponse, { type: 'done' | 'world' }>) => void;
  reject: (e: Error) => void;
  onProgress?: (p: CompareProgress) => void;
};

export interface RunRequest extends Omit<CompareRequest, 'type' | 'id' | 'protocol'> {
  /** Both protocols in two workers at once (default: when the machine has more than two cores). */
  parallel?: boolean;
}

export class CompareClient {
  private readonly workers: (Worker | null)[] = [null, null];
  private next = 1;
  private readonly pending = new Map<number, Settle>();

  constructor(private readonly create: () => Worker = defaultWorker) {}

  run(
    request: RunRequest,
    onProgress?: (p: CompareProgress) => void,
  ): { result: Promise<CompareTimeline>; cancel: () => void } {
    const { parallel = defaultParallel(), ...rest } = request;
    const ids: number[] = [];
    const ask = (slot: number, protocol?: Protocol, progress?: (p: CompareProgress) => void) => {
      const id = this.next++;
      ids.push(id);
      const answer = new Promise<Extract<CompareResponse, { type: 'done' | 'world' }>>((resolve, reject) =>
        this.pending.set(id, { resolve, reject, onProgress: progress }),
      );
      const message: CompareRequest = { ...rest, type: 'compare', id, ...(protocol ? { protocol } : {}) };
      this.worker(slot).postMessage(message);
      return answer;
    };
    let result: Promise<CompareTimeline>;
    if (!parallel) {
      result = ask(0, undefined, onProgress).then((m) => (m.type === 'done' ? m.timeline : unexpected()));
    } else {
      // Progress of the pair: the mean of both halves.
      const halves = [0, 0];
      const both = (i: number) => (p: CompareProgress) => {
        halves[i] = p.fraction;
        onProgress?.({ ...p, fraction: (halves[0] + halves[1]) / 2 });
      };
      const world = (m: CompareResponse): WorldTimeline => (m.type === 'world' ? m.world : unexpected());
      result = Promise.all([ask(0, 'pop3', both(0)), ask(1, 'imap', both(1))]).then(([a, b]) =>
        mergeTimelines(world(a), world(b)),
      );
    }
    return { result, cancel: () => this.cancel(ids) };
  }

  /** Stops the comparison (and any other in flight: they share the workers) and rejects it. */
  private cancel(ids: number[]): void {
    if (!ids.some((id) => this.pending.has(id))) return;
    this.dispose();
  }

  /** Ends the workers; every comparison in flight is rejected as cancelled. */
  dispose(): void {
    for (let i = 0; i < this.workers.length; i++) {
      this.workers[i]?.terminate();
      this.workers[i] = null;
    }
    for (const [, p] of this.pending) p.reject(new CompareError('comparison cancelled', []));
    this.pending.clear();
  }

  private worker(slot: number): Worker {
    const known = this.workers[slot];
    if (known) return known;
    const worker = this.create();
    worker.onmessage = (e: MessageEvent<CompareResponse>) => this.receive(e.data);
    worker.onerror = (e) => {
      for (const [, p] of this.pending)
        p.reject(new CompareError(e.message || 'the compare worker failed', []));
      this.pending.clear();
    };
    return (this.workers[slot] = worker);
  }

  private receive(m: CompareResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') return p.onProgress?.(m.progress);
    this.pending.delete(m.id);
    if (m.type === 'error') p.reject(new CompareError(m.message, m.problems));
    else p.resolve(m);
  }
}

function unexpected(): never {
  throw new CompareError('unexpected answer from the compare worker', []);
}

function defaultParallel(): boolean {
  // With two cores the page itself and two workers compete (measured: slower than one worker).
  return typeof navigator !== 'undefined' && (navigator.hardwareConcurrency ?? 1) > 2;
}

function defaultWorker(): Worker {
  return new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module' });
}
