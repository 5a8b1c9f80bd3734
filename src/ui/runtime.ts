/**
 * Everything the lab needs beyond the page shell: the engine (world, devices, POP3 server,
 * store, the lab mailbox), the bridge, the scenarios. One chunk, imported at startup in parallel
 * with the shell, so the page paints at once; IMAP's code is a further chunk fetched when a
 * device first uses IMAP.
 */
import { PageEngine } from './world/engine';
import { WorldSession } from './world/session.svelte';
import { SCENARIO_CATALOG, type ScenarioEntry } from '../world/scenarios/catalog';
import { validateScenario } from '../world/scenario';

export interface LabRuntime {
  engine: PageEngine;
  WorldSession: typeof WorldSession;
  scenarios: readonly ScenarioEntry[];
  validateScenario: typeof validateScenario;
}

export const runtime: LabRuntime = {
  engine: new PageEngine(() => import('./world/imap-support').then((m) => m.imapSupport)),
  WorldSession,
  scenarios: SCENARIO_CATALOG,
  validateScenario,
};
