import { mount } from 'svelte';
import App from './ui/App.svelte';
import firstScreenData from 'virtual:first-screen';
import { FirstScreen, opensOnFirstScreen } from './ui/world/first-screen.svelte';
import { STORAGE_KEY } from './ui/world/storage-key';
import './ui/app.css';

// For bench/bundle.bench.ts: the shell has loaded and runs.
performance.mark('lab:shell-start');

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// A fresh visit to the sandbox draws the world from view-models made at build time; the engine
// loads once that first screen is on screen, and plays whatever the learner asked for meanwhile.
// Anything else (a scenario, a share link, a saved lab) needs the engine to draw: it loads at once.
const first = opensOnFirstScreen(location.hash, STORAGE_KEY) ? new FirstScreen(firstScreenData) : null;
const load = () => import('./ui/runtime').then((m) => m.runtime);
const runtime = first ? afterFirstPaint(load) : load();

/** Runs `f` once the browser has painted (or after 200 ms, in a tab that does not paint). */
function afterFirstPaint<T>(f: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      f().then(resolve, reject);
    };
    requestAnimationFrame(() => setTimeout(start));
    setTimeout(start, 200);
  });
}

const app = mount(App, { target, props: { runtime, first } });
performance.mark('lab:mounted');

// Offline (issue 10): in a build, register the service worker that precaches the whole lab (it
// waits for the page's load event). The registration code is a chunk of its own, so the first
// load carries only this import.
if (import.meta.env.PROD)
  import('virtual:pwa-register')
    .then((m) => m.registerSW({ onRegisterError: (e) => console.warn('No offline copy of the lab:', e) }))
    .catch((e: unknown) => console.warn('No offline copy of the lab:', e));

export default app;
