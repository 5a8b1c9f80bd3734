/**
 * Everything the lab needs beyond the page shell: the engine (world, devices, POP3 server,
 * store, the lab mailbox), the bridge, the scenarios. One chunk, imported at startup in parallel
 * with the shell, so the page paints at once; IMAP's code is a further chunk fetched when a
 * device first uses IMAP.
 */
import { PageEngine } from './world/engine';
import { WorldSession } from './world/session.svelte';
import { validateScenario } from '../world/scenario';

export type LessonScreens = typeof import('./lessons/screens');

export interface LabRuntime {
  engine: PageEngine;
  /**
   * The lesson screens (their own chunk, with the lesson format's parser, DOMPurify and marked).
   * Imported from here rather than from the shell: the engine is loaded by then, so its modules
   * stay in this chunk instead of being split out for the lessons to share.
   */
  lessonScreens: () => Promise<LessonScreens>;
  WorldSession: typeof WorldSession;
  validateScenario: typeof validateScenario;
}

export const runtime: LabRuntime = {
  engine: new PageEngine(() => import('./world/imap-support').then((m) => m.imapSupport)),
  lessonScreens: () => import('./lessons/screens'),
  WorldSession,
  validateScenario,
};
