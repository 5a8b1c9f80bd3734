/**
 * The lab scene: the server's maildrop and one device, animated in order.
 * Updates are queued so one step finishes before the next starts (a RETR copy
 * lands before the DELE mark shows, which shows before QUIT sweeps it away);
 * while a step runs only the newest pending view-model is kept, so the picture
 * never lags more than one step behind what the session did.
 */
import { select } from 'd3-selection';
import { renderDevice, renderMailbox, type ImapCardStyle } from './cards';
import { cancelAnimations } from './motion';
import type { DeviceViewModel, MailboxViewModel } from './types';

export interface LabSceneViewModel {
  server: MailboxViewModel;
  laptop: DeviceViewModel;
}

export interface LabScene {
  /** Queues a new picture; resolves when the scene has caught up with it. */
  update(vm: LabSceneViewModel): Promise<void>;
  /** Drops pending steps, stops running animations and draws `vm` at once (Reset). */
  reset(vm: LabSceneViewModel): Promise<void>;
}

export function createLabScene(
  elements: { server: HTMLElement; laptop: HTMLElement },
  options: {
    duration?: () => number;
    /** How IMAP cards look, once IMAP's code is there (null before). */
    imap?: () => ImapCardStyle | null;
  } = {},
): LabScene {
  const duration = options.duration ?? (() => 300);
  let pending: LabSceneViewModel | null = null;
  let running: Promise<void> | null = null;
  let generation = 0;

  async function step(vm: LabSceneViewModel, ms: number, gen: number): Promise<void> {
    // Copies first (they fly out of server cards that may be about to leave), then the server.
    await renderDevice(elements.laptop, vm.laptop, { source: elements.server, duration: ms });
    if (gen !== generation) return; // a reset took over while the copy was flying
    await renderMailbox(elements.server, vm.server, { duration: ms, imap: options.imap?.() ?? undefined });
  }

  async function drain(gen: number): Promise<void> {
    while (pending && gen === generation) {
      const vm = pending;
      pending = null;
      await step(vm, duration(), gen);
    }
  }

  function update(vm: LabSceneViewModel): Promise<void> {
    pending = vm;
    if (!running) {
      const gen = generation;
      running = drain(gen).finally(() => {
        if (gen === generation) running = null;
      });
    }
    return running;
  }

  async function reset(vm: LabSceneViewModel): Promise<void> {
    generation++;
    pending = null;
    running = null;
    for (const root of [elements.server, elements.laptop]) {
      cancelAnimations(root);
      select(root).selectAll('li.card').remove();
    }
    const doc = elements.server.ownerDocument;
    doc.querySelectorAll('.card-ghost').forEach((g) => g.remove());
    await step(vm, 0, generation);
  }

  return { update, reset };
}
