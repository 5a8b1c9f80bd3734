import type { WorldSession } from './session.svelte';
import type { DeviceView } from './view-models';

/** Props of the terminal dock (a lazily loaded component). */
export interface DockProps {
  session: WorldSession;
  device: DeviceView;
  /** Transcript entries to scroll to and highlight (event sequence numbers, from the activity log). */
  focus?: { from: number; to: number };
  onclose: () => void;
}
