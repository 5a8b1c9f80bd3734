/**
 * The curriculum's stories, as data. Each file is validated when this module
 * loads, so a broken scenario fails fast with the path of the problem.
 */
import { validateScenario, type Scenario } from '../scenario';
import threeDevicesPop3 from './three-devices-pop3.json';
import leaveOnServer from './leave-on-server.json';
import imapThreeDevices from './imap-three-devices.json';
import storageYear from './storage-year.json';
import laptopLost from './laptop-lost.json';
import oneComputer from './one-computer.json';
import sandbox from './sandbox.json';

export const SCENARIOS: readonly Scenario[] = [
  sandbox,
  threeDevicesPop3,
  leaveOnServer,
  imapThreeDevices,
  storageYear,
  laptopLost,
  oneComputer,
].map((s) => validateScenario(s));

export function getScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
