/**
 * The motion between panels: a copy of a message flying from the server's list to a device
 * (RETR, FETCH), and a refused device shaking ([IN-USE]). The lists themselves animate their
 * own enter / update / exit (message-list.ts); they wait for `after(step)` so that in one step
 * the copy first reaches the device, and only then does the server's copy leave (QUIT) or the
 * device's new item appear. Promises all the way, no timers to race.
 */
import { animate } from './motion';

export interface Flight {
  /** Message-ID of the copy: it flies from the server item with the same one. */
  messageId: string;
  /** Device id: it lands on that device's list. */
  device: string;
  subject: string;
}

export interface SceneStep {
  id: number;
  flights: readonly Flight[];
  /** Devices refused with [IN-USE] in this step. */
  refused: readonly string[];
}

/** One ghost's path, measured before any ghost is drawn. */
interface Route {
  from: DOMRect;
  to: DOMRect;
  label: string;
  delay: number;
}

/** At most this many ghosts fly in one step; a longer check shows one ghost saying how many. */
const MAX_GHOSTS = 6;

export class WorldScene {
  #waiting = new Map<number, { promise: Promise<void>; resolve: () => void }>();
  #last = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly duration: () => number,
  ) {}

  /** Resolves once the flights of step `id` have landed (at once for older steps). */
  after(id: number): Promise<void> {
    if (id <= this.#last && !this.#waiting.has(id)) return Promise.resolve();
    let w = this.#waiting.get(id);
    if (!w) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#waiting.set(id, (w = { promise, resolve }));
    }
    return w.promise;
  }

  /** Plays a step's flights and refusals, then lets the lists finish (exits, reveals). */
  async play(step: SceneStep): Promise<void> {
    this.#last = Math.max(this.#last, step.id);
    // Older steps still waiting (a fast learner) are let go at once.
    for (const [id, w] of this.#waiting)
      if (id < step.id) {
        w.resolve();
        this.#waiting.delete(id);
      }
    const duration = this.duration();
    try {
      if (duration > 0) {
        const byDevice = new Map<string, Flight[]>();
        for (const f of step.flights) byDevice.set(f.device, [...(byDevice.get(f.device) ?? []), f]);
        // Every rectangle is read before any ghost is added: one layout for the whole step
        // instead of one per ghost (adding a ghost would make the next read lay out again).
        const routes: Route[] = [];
        for (const [device, flights] of byDevice) {
          const shown = flights.slice(0, MAX_GHOSTS);
          shown.forEach((f, i) => {
            const label =
              i === shown.length - 1 && flights.length > shown.length
                ? `${f.subject} +${flights.length - shown.length}`
                : f.subject;
            const route = this.#route(f.messageId, device, label, i * duration * 0.25);
            if (route) routes.push(route);
          });
        }
        const ghosts = routes.map((r) => this.#fly(r, duration));
        for (const device of step.refused) ghosts.push(this.#shake(device, duration));
        await Promise.all(ghosts);
      }
    } finally {
      const w = this.#waiting.get(step.id);
      w?.resolve();
      this.#waiting.delete(step.id);
    }
  }

  #find(selector: string, match: (el: HTMLElement) => boolean): HTMLElement | null {
    for (const el of this.root.querySelectorAll<HTMLElement>(selector)) if (match(el)) return el;
    return null;
  }

  /** Where one ghost starts and lands (null when either end is not on screen). */
  #route(messageId: string, device: string, label: string, delay: number): Route | null {
    const source =
      this.#find('[data-list="server"] li.item', (el) => el.dataset.messageId === messageId) ??
      this.#find('[data-list="server"]', () => true);
    const target = this.#find('[data-list-device]', (el) => el.dataset.listDevice === device);
    if (!source || !target || typeof source.getBoundingClientRect !== 'function') return null;
    const from = source.getBoundingClientRect();
    const to = target.getBoundingClientRect();
    if (!from.width || !to.width) return null;
    return { from, to, label, delay };
  }

  async #fly({ from, to, label, delay }: Route, duration: number): Promise<void> {
    const doc = this.root.ownerDocument;
    const ghost = doc.createElement('div');
    ghost.className = 'flying-copy';
    ghost.setAttribute('aria-hidden', 'true');
    ghost.textContent = label;
    const width = Math.min(from.width, 260);
    Object.assign(ghost.style, { left: `${from.left}px`, top: `${from.top}px`, width: `${width}px` });
    doc.body.appendChild(ghost);
    const dx = to.left + 12 - from.left;
    const dy = to.top + 8 - from.top;
    try {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      await animate(
        ghost,
        [
          { transform: 'translate(0, 0) scale(1)', opacity: 0.95 },
          { transform: `translate(${dx * 0.5}px, ${dy * 0.5 - 24}px) scale(0.9)`, opacity: 1, offset: 0.5 },
          { transform: `translate(${dx}px, ${dy}px) scale(0.8)`, opacity: 0.2 },
        ],
        duration * 1.6,
      );
    } finally {
      ghost.remove();
    }
  }

  async #shake(device: string, duration: number): Promise<void> {
    const panel = this.#find('[data-device]', (el) => el.dataset.device === device);
    if (!panel) return;
    await animate(
      panel,
      [
        { transform: 'translateX(0)' },
        { transform: 'translateX(-6px)' },
        { transform: 'translateX(6px)' },
        { transform: 'translateX(-4px)' },
        { transform: 'translateX(0)' },
      ],
      duration * 1.2,
    );
  }
}
