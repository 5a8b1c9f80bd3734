/**
 * Everything the lab needs beyond the page shell: the engine (store, servers,
 * XState machines, MIME), the bridge and the D3 views. It is one chunk, imported
 * at startup in parallel with the shell, so the page paints and takes typing at
 * once while the engine streams in; commands typed meanwhile are queued.
 */
import { LabSession } from './lab.svelte';
import { realEngine } from './real-engine';
import { createLabScene } from '../viz/scene';
import type { renderStateDiagram } from '../viz/state-diagram';
import type { LabEngine } from './engine';

export interface LabRuntime {
  engine: LabEngine;
  LabSession: typeof LabSession;
  createLabScene: typeof createLabScene;
  /**
   * The state diagram's renderer, fetched once the runtime is there (after the command line
   * already takes commands): the badge shows the state's name and legal commands until then.
   */
  loadStateDiagram(): Promise<typeof renderStateDiagram>;
}

export const runtime: LabRuntime = {
  engine: realEngine,
  LabSession,
  createLabScene,
  loadStateDiagram: () => import('../viz/state-diagram').then((m) => m.renderStateDiagram),
};
