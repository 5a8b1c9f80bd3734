/**
 * Node-only importers: a folder of .eml files and an mbox file, turned into messages for the
 * store. Bytes are kept exactly (read as latin1, one char per octet) except that a bare LF
 * becomes CRLF, since RFC 5322 §2.1 messages and both protocols use CRLF on the wire.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabMessage } from '../mail/fixtures';
import type { ByteString } from '../mail/types';

/** Bare LF → CRLF; CRLF and a lone CR are left alone. */
export function bareLfToCrlf(raw: ByteString): ByteString {
  return raw.replace(/\r?\n/g, '\r\n');
}

/**
 * Every regular `.eml` file of `dir` (not recursive) in file-name order (plain code-unit order,
 * so `01.eml` < `02.eml` < `10.eml`, `B.eml` < `a.eml`), with the file's modification time as the
 * internal date. These become UIDs 1..N in that order.
 */
export async function importEmlDir(dir: string): Promise<LabMessage[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => /\.eml$/i.test(e.name) && (e.isFile() || e.isSymbolicLink()))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: LabMessage[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path);
    if (!info.isFile()) continue;
    const raw = (await readFile(path)).toString('latin1');
    out.push({ raw: bareLfToCrlf(raw), internalDate: Math.floor(info.mtimeMs / 1000) * 1000 });
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The date of an mbox `From ` line: `From sender Mon Mar  3 08:01:57 2025` (asctime, UTC by
 * convention), sometimes with a zone or the year before the time. Null when there is none.
 */
export function parseFromLineDate(line: string): number | null {
  const m =
    /([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4}|[A-Z]{3,4})\s+)?(\d{4})/.exec(
      line,
    );
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]);
  if (month < 0) return null;
  let offset = 0;
  if (m[6] && /^[+-]\d{4}$/.test(m[6]))
    offset = (m[6][0] === '-' ? -1 : 1) * (Number(m[6].slice(1, 3)) * 60 + Number(m[6].slice(3)));
  return (
    Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0)) -
    offset * 60000
  );
}

export interface MboxOptions {
  /**
   * mboxrd (default): any `>From `, `>>From `... line loses one `>`. mboxo: only `>From `
   * is unquoted (mboxo cannot tell a quoted line from an original one; this is its best guess).
   */
  format?: 'mboxrd' | 'mboxo';
}

/**
 * Splits an mbox byte string into messages. A message starts at a `From ` line at the start of
 * the file or after an empty line (so an unquoted `From ` inside a body, common in mboxo, does
 * not split it); the empty line that separates messages is not part of the message.
 */
export function parseMbox(data: ByteString, options: MboxOptions = {}, fallbackDate = 0): LabMessage[] {
  const quoted = options.format === 'mboxo' ? /^>From /gm : /^>(>*From )/gm;
  const out: LabMessage[] = [];
  const lines = data.split('\n');
  let current: string[] | null = null;
  let date = fallbackDate;
  const isEmpty = (l: string | undefined) => l === '' || l === '\r';
  const flush = (last: boolean) => {
    if (!current) return;
    let terminated = true;
    if (last) {
      // split() leaves one '' after the file's final LF; without that LF the last line is content.
      if (data.endsWith('\n')) current.pop();
      else terminated = false;
    }
    // The one empty line that separates messages is not part of the message (RFC 4155).
    if (terminated && current.length && isEmpty(current[current.length - 1])) current.pop();
    const raw = current.join('\n') + (terminated && current.length ? '\n' : '');
    const unquoted = options.format === 'mboxo' ? raw.replace(quoted, 'From ') : raw.replace(quoted, '$1');
    out.push({ raw: bareLfToCrlf(unquoted), internalDate: date });
  };
  let previousEmpty = true;
  for (const line of lines) {
    if (line.startsWith('From ') && previousEmpty) {
      flush(false);
      current = [];
      date = parseFromLineDate(line) ?? fallbackDate;
      previousEmpty = false;
      continue;
    }
    if (current) current.push(line);
    previousEmpty = isEmpty(line);
  }
  flush(true);
  return out;
}

/** Reads an mbox file (mboxrd by default). Messages without a From-line date get the file's mtime. */
export async function importMbox(file: string, options: MboxOptions = {}): Promise<LabMessage[]> {
  const [data, info] = await Promise.all([readFile(file), stat(file)]);
  return parseMbox(data.toString('latin1'), options, Math.floor(info.mtimeMs / 1000) * 1000);
}
