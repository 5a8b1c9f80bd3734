/**
 * A device transcript: what crossed the wire, kept as it came, one entry per command line and
 * one per reply or response (a POP3 multi-line reply, an IMAP response with its literals).
 * Entries are split into display lines only when read (`transcriptLines`): a year of checks
 * writes millions of UIDL and FETCH lines that nobody reads, and making a string and an object
 * for each was a large part of the simulation's time.
 *
 * The bound is in lines, like the old line-by-line transcript: when the entries hold more than
 * 2 x limit lines, the oldest entries are dropped until at most `limit` lines remain (the newest
 * entry always stays); an entry that alone holds more than 2 x limit lines keeps its last
 * `limit` lines, and nothing older. So a transcript never holds more than 2 x limit lines, however long a message.
 */
import { detach } from './summary';
import type { TranscriptChunk, TranscriptLine } from './types';

/**
 * Lines of each entry of each transcript array, kept in step with it (same length, same order),
 * so an entry's lines are counted once when written and never again when it is dropped.
 * recordTranscript is the only writer; if anything else changed the array (its length no longer
 * matches), the counts are taken afresh.
 */
const entryLines = new WeakMap<TranscriptChunk[], { counts: number[]; held: number }>();
/** The transcript written last and its state: a device writes several entries in a row. */
let lastTranscript: TranscriptChunk[] | null = null;
let lastState: { counts: number[]; held: number } | undefined;

/**
 * The last long entry counted, its cap and its count. Every device's check gets the same UIDL
 * listing until mail comes or goes, so the next entry is often the same text: comparing it
 * (a memory compare) is far cheaper than counting its lines again.
 */
let countedText = '';
let countedCap = 0;
let countedLines = 0;

/** Lines in one entry: its text is lines joined by CRLF. Counting stops at `cap` (the result is then `cap`). */
export function chunkLineCount(text: string, cap = Infinity): number {
  let n = 1;
  // Searching for LF and looking back for CR is faster than searching for CRLF (measured).
  for (let i = text.indexOf('\n', 1); i >= 0 && n < cap; i = text.indexOf('\n', i + 1))
    if (text.charCodeAt(i - 1) === 13) n++;
  return n;
}

/** chunkLineCount, remembering the last long text (see `countedText`). */
function countLines(text: string, cap: number): number {
  if (text.length < 1024) return chunkLineCount(text, cap);
  if (cap === countedCap && text === countedText) return countedLines;
  countedLines = chunkLineCount(text, cap);
  countedText = text;
  countedCap = cap;
  return countedLines;
}

/** Appends one entry to a transcript and applies the bound (see above). */
export function recordTranscript(
  t: TranscriptChunk[],
  dir: TranscriptChunk['dir'],
  text: string,
  at: number,
  limit: number,
  seq?: number,
): void {
  let state = t === lastTranscript ? lastState : entryLines.get(t);
  if (state === undefined || state.counts.length !== t.length) {
    const counts = t.map((c) => chunkLineCount(c.text));
    state = { counts, held: counts.reduce((a, b) => a + b, 0) };
    entryLines.set(t, state);
  }
  lastTranscript = t;
  lastState = state;
  const counts = state.counts;
  // Only whether an entry has more than 2 x limit lines matters past that many, so counting stops there.
  let lines = countLines(text, 2 * limit + 1);
  if (lines > 2 * limit) {
    // Only the last `limit` lines of an entry this long could ever be kept, and nothing older.
    t.length = 0;
    counts.length = 0;
    state.held = 0;
    if (limit === 0) return;
    let start = text.length;
    for (let k = 0; k < limit; k++) start = text.lastIndexOf('\r\n', start - 1);
    // A copy of the tail, not a view: the whole reply (a 25 kB message) would otherwise stay
    // alive as long as its last lines are shown.
    text = detach(text.slice(start + 2));
    lines = limit;
  }
  t.push(seq === undefined ? { dir, text, at } : { dir, text, at, seq });
  counts.push(lines);
  let held = state.held + lines;
  if (held > 2 * limit) {
    let drop = 0;
    while (held > limit && drop < t.length - 1) held -= counts[drop++];
    t.splice(0, drop);
    counts.splice(0, drop);
  }
  state.held = held;
}

/** The transcript as display lines, oldest first: each entry split at CRLF. */
export function transcriptLines(t: readonly TranscriptChunk[]): TranscriptLine[] {
  const out: TranscriptLine[] = [];
  for (const c of t)
    for (const text of c.text.split('\r\n'))
      out.push(
        c.seq === undefined ? { dir: c.dir, text, at: c.at } : { dir: c.dir, text, at: c.at, seq: c.seq },
      );
  return out;
}
