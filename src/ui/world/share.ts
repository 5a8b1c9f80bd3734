/**
 * Share links: the scenario plus the learner's steps, as JSON, deflated with the browser's own
 * CompressionStream ("deflate-raw", no library in the bundle) and written in base64url so it
 * fits a URL fragment. Opening one replays the steps on a fresh world: the world is
 * deterministic, so the learner's friend sees the same mail everywhere.
 */
import type { Scenario, WorldAction } from '../../world/scenario';

export interface ShareData {
  v: 1;
  origin: { scenario: string } | { inline: Scenario };
  steps: WorldAction[];
}

/** Links past this many characters are refused when opened (a link is untrusted input). */
export const MAX_SHARE_CHARS = 2_000_000;
const MAX_JSON_BYTES = 20_000_000;

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity) {
  const writer = stream.writable.getWriter();
  void writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  void writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    // A small link that inflates to gigabytes (a "zip bomb") stops here.
    if (size > limit) {
      void reader.cancel();
      throw new Error('it holds too much data');
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it has characters a share link never has');
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Any JSON value as a link's payload (the sandbox's share links, the Compare view's). */
export async function packJson(value: unknown): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(value));
  return toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** The JSON value of a payload; throws a readable Error for a damaged, hostile or huge one. */
export async function unpackJson(payload: string): Promise<unknown> {
  if (payload.length > MAX_SHARE_CHARS) throw new Error('it is too long');
  let bytes: Uint8Array;
  try {
    bytes = await pipe(fromBase64Url(payload), new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
  } catch (err) {
    if (err instanceof Error && /too much/.test(err.message)) throw err;
    throw new Error('it is not a lab link', { cause: err });
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('it is not a lab link');
  }
}

export async function encodeShare(data: ShareData): Promise<string> {
  return packJson(data);
}

export async function decodeShare(payload: string): Promise<ShareData> {
  const value = await unpackJson(payload);
  const v = value as Partial<ShareData> | null;
  if (!v || v.v !== 1 || typeof v.origin !== 'object' || v.origin === null || !Array.isArray(v.steps))
    throw new Error('it is not a lab link of this version');
  if (!v.steps.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s)))
    throw new Error('its steps are damaged');
  return v as ShareData;
}
