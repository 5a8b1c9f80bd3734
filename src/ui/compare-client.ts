/**
 * The page's side of the Compare worker: one worker, comparisons by promise, progress by callback.
 *
 *   const client = new CompareClient();
 *   const { result, cancel } = client.run({ scenario: 'storage-year' }, (p) => (bar.value = p.fraction));
 *   const timeline = await result;
 *
 * `cancel` stops a comparison at once (the worker is replaced: a run cannot be interrupted from
 * inside, it is one synchronous simulation).
 */
import type { CompareRequest, CompareResponse } from './compare-protocol';
import type { CompareProgress, CompareTimeline } from '../world/timeline';

type Pending = {
  resolve: (t: CompareTimeline) => void;
  reject: (e: Error) => void;
  onProgress?: (p: CompareProgress) => void;
};

export class CompareError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}

export class CompareClient {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly create: () => Worker = defaultWorker) {}

  run(
    request: Omit<CompareRequest, 'type' | 'id'>,
    onProgress?: (p: CompareProgress) => void,
  ): { id: number; result: Promise<CompareTimeline>; cancel: () => void } {
    const id = this.next++;
    const result = new Promise<CompareTimeline>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
    });
    this.ensure().postMessage({ ...request, type: 'compare', id } satisfies CompareRequest);
    return { id, result, cancel: () => this.cancel(id) };
  }

  /** Stops every comparison in flight (those other than `id` too: they share the worker) and rejects them. */
  cancel(id: number): void {
    if (!this.pending.has(id)) return;
    this.worker?.terminate();
    this.worker = null;
    for (const [, p] of this.pending) p.reject(new CompareError('comparison cancelled', []));
    this.pending.clear();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending.clear();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.onmessage = (e: MessageEvent<CompareResponse>) => this.receive(e.data);
    worker.onerror = (e) => {
      for (const [, p] of this.pending)
        p.reject(new CompareError(e.message || 'the compare worker failed', []));
      this.pending.clear();
    };
    return (this.worker = worker);
  }

  private receive(m: CompareResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress);
    else {
      this.pending.delete(m.id);
      if (m.type === 'done') p.resolve(m.timeline);
      else p.reject(new CompareError(m.message, m.problems));
    }
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module' });
}
