/**
 * The Compare view's figures for the year-long `storage-year` story (issue 9):
 * - in Node: the lockstep comparison (both protocols, a snapshot per step, the table at every
 *   step), its CPU and wall time, and the size of what the worker posts to the page;
 * - in Chromium, through the Web Workers (src/ui/compare.worker.ts) as the page runs them (POP3
 *   and IMAP in two workers at once, and in one worker for reference): time from asking until
 *   the timeline is in the page (target: under 2 s), median of a few runs.
 * Benchmarks print numbers; they never fail on a target.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { chromiumLaunchOptions } from '../tests/browser/chromium';
import { getScenario } from '../src/world/scenarios';
import { compareTimeline } from '../src/world/timeline';

const root = fileURLToPath(new URL('..', import.meta.url));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function nodeFigures(): void {
  const scenario = getScenario('storage-year')!;
  const walls: number[] = [];
  const cpus: number[] = [];
  let json = '';
  for (let run = 0; run < 3; run++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const t = compareTimeline(scenario);
    walls.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpus.push((cpu.user + cpu.system) / 1000);
    json = JSON.stringify(t);
  }
  const frames = JSON.parse(json).frames.length as number;
  console.log(
    `storage-year comparison in Node (both protocols, ${frames} frames; median of 3, load ${loadavg()[0].toFixed(1)})`,
  );
  console.log(`  ${(median(walls) / 1000).toFixed(2)} s wall, ${(median(cpus) / 1000).toFixed(2)} s CPU`);
  console.log(
    `  timeline as posted: ${kb(json.length)} JSON (${kb(gzipSync(json).length)} gzipped), ${kb(json.length / frames)} a frame`,
  );
}

async function chromiumFigures(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-compare-'));
  try {
    // A page of its own that only starts the worker, as the Compare view does.
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>compare bench</title></head><body><script type="module" src="./main.ts"></script></body></html>',
    );
    await writeFile(
      join(dir, 'main.ts'),
      `import { CompareClient } from ${JSON.stringify(join(root, 'src/ui/compare-client.ts'))};
const client = new CompareClient();
(window as unknown as { compare: unknown }).compare = async (scenario: string, parallel: boolean) => {
  const t0 = performance.now();
  let progress = 0;
  const t = await client.run({ scenario, parallel }, () => progress++).result;
  return { ms: performance.now() - t0, frames: t.frames.length, progress };
};
(window as unknown as { ready: boolean }).ready = true;
`,
    );
    const outDir = join(dir, 'dist');
    await build({ root: dir, logLevel: 'error', configFile: false, build: { outDir, target: 'es2022' } });
    const server = await preview({
      root: dir,
      configFile: false,
      logLevel: 'error',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    const address = server.httpServer.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      for (const parallel of [true, false]) {
        const times: number[] = [];
        let last = { frames: 0, progress: 0 };
        for (let run = 0; run < 4; run++) {
          const page = await browser.newPage();
          await page.goto(`http://127.0.0.1:${port}/`);
          await page.waitForFunction('window.ready === true');
          // A fresh page each time: the workers' start and their module load count too.
          const r = (await page.evaluate(`window.compare("storage-year", ${parallel})`)) as {
            ms: number;
            frames: number;
            progress: number;
          };
          if (run > 0) times.push(r.ms);
          last = r;
          await page.close();
        }
        console.log(
          `storage-year comparison in Chromium, ${parallel ? 'POP3 and IMAP in two Web Workers at once' : 'one Web Worker, lockstep'} (median of ${times.length})`,
        );
        console.log(
          `  ready in the page ${(median(times) / 1000).toFixed(2)} s after asking (${last.frames} frames, ${last.progress} progress calls)  target < 2 s`,
        );
      }
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The Compare view itself (the built app): from opening `#/compare/storage-year` until both columns are drawn. */
async function pageFigures(): Promise<void> {
  await build({ root, logLevel: 'error' });
  const server = await preview({
    root,
    logLevel: 'error',
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const opened: number[] = [];
    const ran: number[] = [];
    for (let run = 0; run < 4; run++) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/#/compare/storage-year`);
      await page.waitForFunction(() => performance.getEntriesByName('lab:compare-drawn').length > 0, null, {
        timeout: 60_000,
      });
      const r = (await page.evaluate(() => {
        const m = performance.getEntriesByName('lab:compare-drawn')[0] as PerformanceMark;
        return { at: m.startTime, ms: (m.detail as { ms: number }).ms };
      })) as { at: number; ms: number };
      if (run > 0) {
        opened.push(r.at);
        ran.push(r.ms);
      }
      await page.close();
    }
    console.log(`The Compare view, #/compare/storage-year in the built app (median of ${opened.length})`);
    console.log(
      `  comparison ready ${(median(ran) / 1000).toFixed(2)} s after the page asked  target < 2 s; both columns drawn ${(median(opened) / 1000).toFixed(2)} s after navigation`,
    );
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

export default async function compareBench(): Promise<void> {
  nodeFigures();
  await chromiumFigures();
  await pageFigures();
}
