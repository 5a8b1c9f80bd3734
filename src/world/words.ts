/**
 * How the lab names devices and virtual times in sentences (the activity log, the panels).
 * Small and separate from the narrator so the first screen can use it alone.
 */

const COMMON_NAMES = /^(phone|laptop|tablet|work pc|desktop|computer|pc|home pc|mobile)( \d+)?$/i;

/** "Laptop" → "the laptop", "Work PC" → "the work PC"; a personal name stays as it is. */
export function theDevice(name: string, capital = false): string {
  // Asked for every narrated event (a folded run of a thousand downloads names its device a
  // thousand times): the answer for each name is kept.
  const key = `${capital ? 1 : 0}|${name}`;
  let said = spoken.get(key);
  if (said === undefined) {
    if (spoken.size > 1000) spoken.clear();
    spoken.set(key, (said = phraseFor(name, capital)));
  }
  return said;
}

const spoken = new Map<string, string>();

function phraseFor(name: string, capital: boolean): string {
  const m = COMMON_NAMES.exec(name.trim());
  const phrase = m ? `the ${name.trim().replace(/^[A-Z][a-z]+/, (w) => w.toLowerCase())}` : name;
  return capital ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
}

/**
 * n as en-US writes it ("12,345"). By hand: the first toLocaleString of a page starts the
 * browser's locale data (about 20 ms on a slow machine, on the first screen's path), and it is
 * slow enough to show in a year of narration.
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return n.toLocaleString('en-US');
  const s = String(n);
  return s.length <= 3 ? s : s.replace(/\B(?=(\d{3})+$)/g, ',');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Virtual time as the lab shows it, in UTC: "Mon 6 Jan 2025, 09:00". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'an unknown time';
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm}`;
}

/** A duration in words: "10 minutes", "1 hour", "3 days", "2 days 4 hours". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const part = (n: number, unit: string) => (n ? [`${n} ${unit}${n === 1 ? '' : 's'}`] : []);
  const parts = [...part(days, 'day'), ...part(hours, 'hour'), ...(days ? [] : part(mins, 'minute'))];
  return parts.length ? parts.join(' ') : 'less than a minute';
}
