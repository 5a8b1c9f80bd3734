import type { DeviceEvent } from '../client/events';
import type { StoreEvent } from '../mail/types';
import type { ServerEvent } from '../server/types';
import type { WorldAction } from './scenario';

/** Every change in the world, in order. The UI animates from these; lessons check them. */
export type WorldEventBody =
  | DeviceEvent
  /** A step began: what the learner, the scenario or the clock did. */
  | { type: 'world.step'; action: WorldAction }
  | { type: 'world.clock'; from: number; to: number }
  | { type: 'world.device.added'; device: string; protocol: 'pop3' | 'imap' }
  | { type: 'world.device.removed'; device: string }
  | { type: 'world.note'; text: string }
  | { type: 'world.undo' }
  | { type: 'world.redo' }
  | { type: 'world.reset' }
  /** A change in the mail store: delivered, flags changed, expunged, mailbox created/renamed/deleted. */
  | { type: 'server.store'; event: StoreEvent }
  /** A server happening: session state change, lock taken/refused/released, POP3 mark, connection. */
  | { type: 'server.event'; event: ServerEvent };

export type WorldEvent = WorldEventBody & {
  /** Position in the world's history (ascending, never reused). */
  seq: number;
  /** Virtual time in ms since the epoch. */
  at: number;
};

export type WorldListener = (event: WorldEvent) => void;
