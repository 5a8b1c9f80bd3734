/**
 * The sandbox as it opens, drawn before the engine has loaded. The page's first screen is
 * always the same world (the lab mailbox and three devices, nothing checked yet), so the build
 * computes its view-models once with the real engine (`first-screen-data.ts`, through the
 * `virtual:first-screen` module) and the shell paints the world from them. Controls work at
 * once: their steps wait here and the live session plays them, in order, when it takes over.
 */
import type { MessageListViewModel } from '../../viz/types';
import type { WorldAction } from '../../world/scenario';
import type { DeviceView, ServerView, WorldSource } from './view-models';

export interface FirstScreenData {
  /** The scenario drawn (the sandbox) and its title. */
  scenario: string;
  title: string;
  account: { user: string; password: string };
  clock: number;
  devices: DeviceView[];
  server: ServerView;
  /** The server's list for every folder (no device holds a copy yet). */
  lists: Record<string, MessageListViewModel>;
}

interface Waiting {
  action: WorldAction;
  resolve: (done: boolean) => void;
}

export class FirstScreen implements WorldSource {
  readonly devices: readonly DeviceView[];
  readonly server: ServerView;
  readonly cue = { id: 0, events: [], jump: true };
  readonly busy = false;
  readonly clock: number;
  readonly title: string;
  readonly origin: { scenario: string };
  readonly activity: readonly never[] = [];
  readonly story = null;
  readonly canUndo = false;
  /** Steps kept for the live session (the page shows it is getting ready while there are some). */
  waiting = $state(0);
  #kept: Waiting[] = [];

  constructor(readonly data: FirstScreenData) {
    this.devices = data.devices;
    this.server = data.server;
    this.clock = data.clock;
    this.title = data.title;
    this.origin = { scenario: data.scenario };
  }

  serverList(folder: string, _copies: Map<string, string[]>, shown: number): MessageListViewModel {
    const vm = this.data.lists[folder] ?? { items: [], total: 0, actions: false, moveTargets: [] };
    return vm.items.length > shown ? { ...vm, items: vm.items.slice(0, shown) } : vm;
  }

  /** Keeps a step for the live session; resolves with its outcome once that has played it. */
  dispatch(action: WorldAction): Promise<boolean> {
    this.waiting++;
    return new Promise((resolve) => this.#kept.push({ action, resolve }));
  }

  /**
   * Plays the waiting steps on the live session, in the order they were asked for (steps asked
   * for while it plays included); with no session (the page went elsewhere) they are dropped.
   */
  async handOver(dispatch: ((action: WorldAction) => Promise<boolean>) | null): Promise<void> {
    while (this.#kept.length) {
      const { action, resolve } = this.#kept.shift()!;
      resolve(dispatch ? await dispatch(action).catch(() => false) : false);
      this.waiting = this.#kept.length;
    }
  }
}

/** Whether the page opens on the first screen: the sandbox, with nothing saved to restore. */
export function opensOnFirstScreen(hash: string, storageKey: string): boolean {
  if (hash !== '' && hash !== '#' && hash !== '#/') return false;
  try {
    return localStorage.getItem(storageKey) === null;
  } catch {
    return true;
  }
}
