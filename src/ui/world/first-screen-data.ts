/**
 * The first screen's view-models, computed with the real engine (in Node, at build time: the
 * `lab-first-screen` plugin in vite.config.ts serves them as `virtual:first-screen`). They are
 * what a live session shows for the same world, so the page looks the same before and after
 * the engine takes over; tests/ui/first-screen.test.ts holds the two equal.
 */
import type { WorldCore } from '../../world/core';
import { validateScenario } from '../../world/scenario';
import sandbox from '../../world/scenarios/sandbox.json';
import { SCENARIO_CATALOG } from '../../world/scenarios/catalog';
import { PageEngine } from './engine';
import type { FirstScreenData } from './first-screen.svelte';
import { deviceView, LIST_WINDOW, serverList, serverView } from './view-models';

export function firstScreenOf(world: WorldCore, scenario: string, title: string): FirstScreenData {
  const server = serverView(world);
  const lists: FirstScreenData['lists'] = {};
  for (const f of server.folders) lists[f.name] = serverList(world, f.name, server, new Map(), LIST_WINDOW);
  const account = world.account as { user: string; password: string };
  return {
    scenario,
    title,
    account: { user: account.user, password: account.password },
    clock: world.now,
    devices: world.deviceIds.map((id) => deviceView(world, id)),
    server,
    lists,
  };
}

/** The sandbox as it opens (as JSON: what the shell draws). */
export function sandboxFirstScreen(): FirstScreenData {
  const engine = new PageEngine(() => Promise.reject(new Error('the first screen has no IMAP device')));
  const world = engine.fromScenario(validateScenario(sandbox));
  try {
    const title = SCENARIO_CATALOG.find((s) => s.id === 'sandbox')?.title ?? 'Sandbox';
    return JSON.parse(JSON.stringify(firstScreenOf(world, 'sandbox', title))) as FirstScreenData;
  } finally {
    world.dispose();
  }
}
