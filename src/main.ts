import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';

// Start fetching the engine and views at once; the shell below paints without waiting for them.
const runtime = import('./ui/runtime').then((m) => m.runtime);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const app = mount(App, { target, props: { runtime } });

// Offline (issue 10): in a build, register the service worker that precaches the whole lab (it
// waits for the page's load event). The registration code is a chunk of its own, so the first
// load carries only this import.
if (import.meta.env.PROD)
  import('virtual:pwa-register')
    .then((m) => m.registerSW({ onRegisterError: (e) => console.warn('No offline copy of the lab:', e) }))
    .catch((e: unknown) => console.warn('No offline copy of the lab:', e));

export default app;
