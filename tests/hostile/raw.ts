/**
 * A hostile raw TCP client for the bridge tests: writes arbitrary octets, waits for a pattern in
 * what the server sent (latin1 byte string), or for the socket to close. Every wait has a
 * deadline so a hung server fails the test instead of hanging it.
 */
import { connect, type Socket } from 'node:net';
import type { MailStore } from '../../src/mail/store';

export class Raw {
  /** Every socket opened and not yet destroyed, so a test can clean up after a failed assertion. */
  static readonly opened = new Set<Raw>();
  buffer = '';
  closed = false;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async open(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<Raw> {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const raw = new Raw(socket);
    Raw.opened.add(raw);
    return raw;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  write(bytes: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(bytes, 'latin1', () => resolve());
    });
  }

  /** Resolves with the whole buffer once `test` matches it; rejects after `ms`. */
  waitFor(test: RegExp | ((buf: string) => boolean), ms = 3000): Promise<string> {
    const ok = () => (typeof test === 'function' ? test(this.buffer) : test.test(this.buffer));
    return new Promise((resolve, reject) => {
      if (ok()) return resolve(this.buffer);
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`timed out waiting for ${String(test)}; got ${JSON.stringify(this.buffer.slice(-300))}`),
        );
      }, ms);
      const check = () => {
        if (ok()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(this.buffer);
        } else if (this.closed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(new Error(`closed before ${String(test)}; got ${JSON.stringify(this.buffer.slice(-300))}`));
        }
      };
      this.waiters.add(check);
    });
  }

  /** Resolves true when the server closes the socket within `ms`, false otherwise. */
  waitClosed(ms = 3000): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(true);
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, ms);
      const check = () => {
        if (this.closed) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(true);
        }
      };
      this.waiters.add(check);
    });
  }

  destroy(): void {
    Raw.opened.delete(this);
    this.socket.destroy();
  }

  static destroyAll(): void {
    for (const r of [...Raw.opened]) r.destroy();
  }
}

/** Number of listeners on the store (private field; read for leak checks only). */
export function storeListenerCount(store: MailStore): number {
  return (store as unknown as { listeners: Set<unknown> }).listeners.size;
}

/** Polls `test` until true or `ms` elapses (for server-side cleanup that follows a socket event). */
export async function eventually(test: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return test();
}
