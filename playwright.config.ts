import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/browser/chromium';

// Browser tests run against the BUILT app (`vite build` then `vite preview`), because some
// failures only exist in production bundles (d3-transition's side effect being tree-shaken).
const port = Number(process.env.LAB_PREVIEW_PORT ?? 4317);

export default defineConfig({
  testDir: 'tests/browser',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      ...chromiumLaunchOptions,
    },
  },
  webServer: {
    // The binary directly (not `npx`), so stopping it stops the server itself.
    command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
