/**
 * Everything the lab needs beyond the page shell: the engine (store, servers,
 * XState machines, MIME), the bridge and the D3 views. It is one chunk, imported
 * at startup in parallel with the shell, so the page paints and takes typing at
 * once while the engine streams in; commands typed meanwhile are queued.
 */
import { LabSession } from './lab.svelte';
import { realEngine } from './real-engine';
import { createLabScene } from '../viz/scene';
import { renderStateDiagram } from '../viz/state-diagram';
import type { LabEngine } from './engine';

export interface LabRuntime {
  engine: LabEngine;
  LabSession: typeof LabSession;
  createLabScene: typeof createLabScene;
  renderStateDiagram: typeof renderStateDiagram;
}

export const runtime: LabRuntime = { engine: realEngine, LabSession, createLabScene, renderStateDiagram };
