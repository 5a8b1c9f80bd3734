import { resolve } from 'node:path';
import { defineConfig, runnerImport, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * `virtual:first-screen`: the sandbox's view-models as it opens, computed here with the real
 * engine (src/ui/world/first-screen-data.ts run in Node), so the shell draws the world before
 * the engine's chunk has loaded (src/ui/world/first-screen.ts). In dev, editing the engine
 * recomputes them.
 */
function firstScreen(): Plugin {
  const id = 'virtual:first-screen';
  const resolved = `\0${id}`;
  return {
    name: 'lab-first-screen',
    resolveId(source) {
      return source === id ? resolved : undefined;
    },
    async load(source) {
      if (source !== resolved) return undefined;
      const { module, dependencies } = await runnerImport<typeof import('./src/ui/world/first-screen-data')>(
        resolve('src/ui/world/first-screen-data.ts'),
        { logLevel: 'error' },
      );
      for (const file of dependencies) this.addWatchFile(file);
      return `export default ${JSON.stringify(module.sandboxFirstScreen())};`;
    },
  };
}

/**
 * The runtime chunk (engine and bridge) is not needed to draw the first screen or take its clicks
 * (src/ui/world/first-screen.ts), and main.ts runs it once that screen is painted. A low-priority
 * <link rel="modulepreload"> lets the browser fetch and compile it meanwhile, after the shell's
 * own files, so it is ready to run when asked for without slowing the shell on a slow network.
 */
function preloadRuntime(): Plugin {
  return {
    name: 'lab-preload-runtime',
    apply: 'build',
    transformIndexHtml(_html, ctx) {
      const chunk = Object.values(ctx.bundle ?? {}).find(
        (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/ui/runtime.ts'),
      );
      if (!chunk || chunk.type !== 'chunk') return [];
      // The runtime and the chunks it imports statically (the engine's, when split off).
      const files = [chunk.fileName, ...chunk.imports.filter((f) => !/^assets\/index-/.test(f))];
      return files.map((f) => ({
        tag: 'link',
        attrs: { rel: 'modulepreload', href: `/${f}`, fetchpriority: 'low' },
        injectTo: 'head' as const,
      }));
    },
  };
}

/**
 * Keeps the engine's chunk whole. The runtime chunk (src/ui/runtime.ts: world, devices, POP3)
 * loads later chunks of its own (IMAP, the narrator, the lesson screens) that share its modules.
 * Rolldown then moves every shared module into extra common chunks, although the runtime has
 * always loaded them by then (rolldown/rolldown#10731; Rollup keeps them in the runtime), and
 * the first load pays about 2 KB for the chunk boundaries. This group puts each module the
 * runtime reaches by static imports, and the shell does not, back into the runtime's chunk.
 */
function runtimeChunk(): { plugin: Plugin; test: (id: string) => boolean } {
  const imports = new Map<string, readonly string[]>();
  let members: Set<string> | null = null;
  const reach = (root: string) => {
    const seen = new Set<string>();
    const stack = [root];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(imports.get(id) ?? []));
    }
    return seen;
  };
  return {
    plugin: {
      name: 'lab-runtime-chunk',
      apply: 'build',
      buildStart() {
        imports.clear();
        members = null;
      },
      moduleParsed(info) {
        imports.set(info.id, info.importedIds);
      },
    },
    test(id) {
      if (!members) {
        const shell = reach(resolve('src/main.ts'));
        const entry = resolve('src/ui/runtime.ts');
        // The entry itself stays the dynamic entry the shell imports (and the bench measures).
        members = new Set([...reach(entry)].filter((m) => m !== entry && !shell.has(m)));
      }
      return members.has(id);
    },
  };
}

const runtime = runtimeChunk();

export default defineConfig({
  plugins: [
    firstScreen(),
    preloadRuntime(),
    runtime.plugin,
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
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Only the modules named: a shared dependency of the runtime and the shell stays in the shell.
          includeDependenciesRecursively: false,
          groups: [{ name: 'engine', test: runtime.test }],
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
});
