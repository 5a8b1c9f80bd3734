import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';

// Start fetching the engine and views at once; the shell below paints without waiting for them.
const runtime = import('./ui/runtime').then((m) => m.runtime);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target, props: { runtime } });
