import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  // discloseVersion: no `window.__svelte.v` registration in the bundle (first-load budget).
  plugins: [svelte({ compilerOptions: { discloseVersion: false } })],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // Browsers without <link rel=modulepreload> simply fetch chunks on import; the polyfill
    // would cost the first load about 0.5 KB for no change in behaviour (issue 2 §7 budget).
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1' },
});
