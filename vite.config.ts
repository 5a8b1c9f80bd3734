import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The runtime chunk (engine and bridge) is imported dynamically so the shell paints first; a
 * <link rel="modulepreload"> starts its download together with the shell's instead of after it.
 */
function preloadRuntime(): Plugin {
  return {
    name: 'lab-preload-runtime',
    apply: 'build',
    transformIndexHtml(_html, ctx) {
      const chunk = Object.values(ctx.bundle ?? {}).find(
        (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/ui/runtime.ts'),
      );
      if (!chunk) return [];
      return [{ tag: 'link', attrs: { rel: 'modulepreload', href: `/${chunk.fileName}` }, injectTo: 'head' }];
    },
  };
}

export default defineConfig({
  plugins: [
    preloadRuntime(),
    // discloseVersion: no `window.__svelte.v` registration in the bundle (first-load budget).
    svelte({ compilerOptions: { discloseVersion: false } }),
    // Offline and installable (issue 10): a web app manifest and a Workbox service worker that
    // precaches every file of the build, so a classroom loads the lab once and keeps working
    // without a network. src/main.ts registers it in builds only; `npm run dev` has none.
    VitePWA({
      strategies: 'generateSW',
      injectRegister: false,
      // No reload behind the learner's back: a new version waits until every tab of the lab is
      // closed (the first visit is controlled at once, see clientsClaim).
      registerType: 'prompt',
      manifest: {
        name: 'POP vs IMAP Lab',
        short_name: 'POP vs IMAP',
        description:
          'See where your mail goes: a real POP3 server and a laptop mail client, in your browser.',
        // --server and --page of src/ui/app.css.
        theme_color: '#4338ca',
        background_color: '#f5f6f9',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The shell, every chunk (engine, IMAP, Monaco and its worker), CSS, Monaco's icon font
        // and the favicon; the plugin adds the manifest and its icons itself.
        globPatterns: ['**/*.{html,js,css,ttf,woff2,svg}'],
        // Monaco's chunk is about 3 MB; Workbox skips files over its 2 MiB default.
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        clientsClaim: true,
      },
    }),
  ],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // Browsers without <link rel=modulepreload> simply fetch chunks on import; the polyfill
    // would cost the first load about 0.5 KB for no change in behaviour (issue 2 §7 budget).
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1' },
});
