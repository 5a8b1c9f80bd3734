/**
 * One simulated year: 6 devices, about 5,000 incoming messages, every device
 * checking on its own schedule; run with every device on POP3 ("leave on
 * server", remove after 14 days) and again on IMAP (two devices in IDLE).
 */
import { loadavg } from 'node:os';
import { runScenario } from '../src/world/compare';
import { validateScenario } from '../src/world/scenario';

const scenario = validateScenario({
  id: 'bench-year',
  title: 'A year, six devices',
  summary: 'About 5,000 messages over one simulated year, six devices.',
  claims: ['C7'],
  storage: { quotaBytes: 50_000_000, pricePerGBMonth: 2 },
  devices: [
    { id: 'phone', kind: 'phone', settings: { checkEveryMinutes: 60, imap: { mode: 'idle' } } },
    { id: 'laptop', kind: 'laptop', settings: { checkEveryMinutes: 120 } },
    { id: 'workpc', kind: 'workpc', settings: { checkEveryMinutes: 180 } },
    { id: 'tablet', kind: 'tablet', settings: { checkEveryMinutes: 240, imap: { mode: 'idle' } } },
    { id: 'phone2', kind: 'phone', settings: { checkEveryMinutes: 360 } },
    { id: 'oldpc', kind: 'workpc', settings: { checkEveryMinutes: 1440 } },
  ].map((d) => ({
    ...d,
    settings: { ...d.settings, pop3: { leaveOnServer: true, removeAfterDays: 14 } },
  })),
  timeline: [
    { do: 'traffic', perDay: 5000 / 365, days: 365, seed: 99, size: { min: 1500, max: 12000 } },
    { do: 'advance', days: 365 },
  ],
});

export default async function (): Promise<void> {
  for (const protocol of ['pop3', 'imap'] as const) {
    let commands = 0;
    const t0 = performance.now();
    // CPU time too: other engineers run tests on this 2-core machine, so wall time varies with load.
    const cpu0 = process.cpuUsage();
    const { outcome, world } = runScenario(scenario, protocol, {
      logLimit: 100,
      transcriptLimit: 100,
      onEvent: (e) => {
        if (e.type === 'device.command') commands++;
      },
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    world.dispose();
    const downloads = outcome.devices.reduce((n, d) => n + d.messages, 0);
    console.log(
      `  ${protocol}: ${outcome.delivered} messages delivered, 6 devices, 365 days in ${(ms / 1000).toFixed(2)} s ` +
        `(CPU ${cpuSeconds.toFixed(2)} s, load ${loadavg()[0].toFixed(1)}); ` +
        `server ends with ${outcome.server.messages} messages (${(outcome.server.bytes / 1e6).toFixed(1)} MB), ` +
        `devices hold ${downloads} copies; ${commands} commands (${Math.round(commands / (ms / 1000))}/s)`,
    );
  }
}
