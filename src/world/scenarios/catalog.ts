/**
 * The shipped scenarios' ids, titles and claims, without their bodies: the page's picker shows
 * this list at once and fetches a scenario's body only when it is opened. A test keeps it equal
 * to the JSON files.
 */
export interface ScenarioEntry {
  id: string;
  title: string;
  claims: readonly string[];
}

export const SCENARIO_CATALOG: readonly ScenarioEntry[] = [
  { id: 'sandbox', title: 'Sandbox: the lab mailbox and three devices', claims: ['C1'] },
  { id: 'three-devices-pop3', title: 'Three devices, POP3 without "leave on server"', claims: ['C2', 'C6'] },
  {
    id: 'leave-on-server',
    title: 'POP3 with "leave on server" and "remove after 7 days"',
    claims: ['C3', 'C6'],
  },
  {
    id: 'imap-three-devices',
    title: 'Three devices in sync (IMAP, with NOOP polling and IDLE push)',
    claims: ['C4', 'C5', 'C6'],
  },
  { id: 'storage-year', title: 'A year of mail: server storage and its price', claims: ['C7', 'C10'] },
  { id: 'laptop-lost', title: 'The laptop is lost', claims: ['C8', 'C10'] },
  { id: 'one-computer', title: 'One computer, simple needs', claims: ['C9', 'C10'] },
];

export const hasScenario = (id: string): boolean => SCENARIO_CATALOG.some((s) => s.id === id);
