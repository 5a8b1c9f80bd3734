/**
 * The Compare view's Web Worker: runs comparisons off the main thread so the page never
 * freezes. The page starts it with
 *
 *   new Worker(new URL('./compare.worker.ts', import.meta.url), { type: 'module' })
 *
 * (Vite bundles it as its own chunk; see compare-client.ts). The protocol is in compare-protocol.ts.
 */
import { handleCompareRequest, type CompareResponse } from './compare-protocol';

const scope = self as unknown as {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: CompareResponse): void;
};

scope.onmessage = (event) => handleCompareRequest(event.data, (m) => scope.postMessage(m));
