/**
 * The numbers of a comparison as `npm run compare` prints them: the JSON summary and the rows
 * of its two-column table. One module for the CLI and the page (the Compare view's table is
 * these rows at the step being shown), so the two can never show different numbers.
 */
import type { Outcome } from './compare';

/** What the table reads of an outcome (an Outcome without its storage samples and timeline). */
export type OutcomeTable = Omit<Outcome, 'storage' | 'timeline'>;

/** The JSON summary teachers and tests read: the numbers each story is about. */
export function summarize(o: OutcomeTable) {
  return {
    serverMessages: o.server.messages,
    serverBytes: o.server.bytes,
    serverMailboxes: o.server.byMailbox,
    devices: Object.fromEntries(o.devices.map((d) => [d.id, d.lost ? null : d.messages])),
    delivered: o.delivered,
    neverReceived: o.neverReceived,
    neverReceivedByDevice: Object.fromEntries(
      o.devices.filter((d) => !d.lost).map((d) => [d.id, d.neverReceived]),
    ),
    duplicates: o.duplicates,
    disagreeingMessages: o.disagreeingMessages,
    disagreeingDevices: o.disagreeingDevices,
    lostAfterDeviceLoss: o.lostAfterDeviceLoss,
    lockRefusals: o.lockRefusals,
    peakBytes: o.peakBytes,
    cost: o.cost,
  };
}

export type OutcomeSummary = ReturnType<typeof summarize>;

export function formatBytes(n: number): string {
  if (n < 10_000) return `${n} B`;
  if (n < 10_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

export interface TableRow {
  /** Stable key: "server.messages", "device.phone.messages", ... */
  key: string;
  label: string;
  pop3: string;
  imap: string;
}

/** The rows of the end-state table, POP3 beside IMAP, as the CLI prints them. */
export function tableRows(pop3: OutcomeTable, imap: OutcomeTable): TableRow[] {
  const rows: TableRow[] = [];
  const row = (key: string, label: string, f: (o: OutcomeTable) => string | number) =>
    rows.push({ key, label, pop3: String(f(pop3)), imap: String(f(imap)) });
  row('server.messages', 'Server: messages (all folders)', (o) => o.server.messages);
  row('server.inbox', 'Server: messages in INBOX', (o) => o.server.inbox);
  row('server.bytes', 'Server: storage', (o) => formatBytes(o.server.bytes));
  row('server.peak', 'Server: peak storage', (o) => formatBytes(o.peakBytes));
  for (const d of pop3.devices) {
    const pick = (o: OutcomeTable) => o.devices.find((x) => x.id === d.id);
    row(`device.${d.id}.messages`, `${d.name}: messages`, (o) =>
      pick(o)?.lost ? 'lost' : (pick(o)?.messages ?? '-'),
    );
    row(`device.${d.id}.flags`, `${d.name}: unread / flagged`, (o) =>
      pick(o)?.lost ? '-' : `${pick(o)?.unread} / ${pick(o)?.flagged}`,
    );
  }
  row('delivered', 'Messages that reached the server', (o) => o.delivered);
  row('neverReceived', 'Messages some device never got', (o) => o.neverReceived);
  row('duplicates', 'Duplicate copies on a device', (o) => o.duplicates);
  row('disagreeingMessages', 'Messages whose read/flag state differs', (o) => o.disagreeingMessages);
  row('disagreeingDevices', 'Devices that disagree', (o) => o.disagreeingDevices.join(', ') || 'none');
  row('lostAfterDeviceLoss', 'Mail lost with a lost device', (o) => o.lostAfterDeviceLoss);
  row('lockRefusals', 'POP3 logins refused [IN-USE]', (o) => o.lockRefusals);
  if (pop3.cost && imap.cost) {
    row('monthsOverQuota', 'Months over the storage quota', (o) => o.cost!.monthsOverQuota);
    row('extraCost', 'Extra storage cost', (o) => o.cost!.extraCost.toFixed(2));
  }
  return rows;
}
