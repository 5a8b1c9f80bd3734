/**
 * Transcript replayer for IMAP: plain text files with one line per wire line.
 *
 *   # comment
 *   C: a1 LOGIN alice wonderland        client line (CRLF added) on the default connection
 *   S: a1 OK [CAPABILITY ...] Logged in  expected server line
 *   C2: b1 NOOP                          a line on connection "2" (any name after C/S)
 *   S2: * 3 EXISTS
 *
 * A connection opens at its first C or S line (its greeting is the first S line). Expected
 * lines are compared exactly; a line ending in "..." matches any line with that prefix. After
 * every client line, and at the end, every connection must have no unexpected output left.
 * Connections whose name starts with P (CP:, SP2:) are POP3 connections to the same store.
 * Messages: the fixture messages (tests/imap/fixtures) are INBOX UIDs 1..N.
 */
import { setup, type Client } from './harness';

export interface ReplayFailure {
  line: number;
  message: string;
}

export function replay(text: string): ReplayFailure | null {
  const { open } = setup();
  const conns = new Map<string, { client: Client; lines: string[]; partial: string }>();
  const conn = (name: string) => {
    let c = conns.get(name);
    if (!c) {
      c = { client: open(protocolOf(name)), lines: [], partial: '' };
      conns.set(name, c);
    }
    return c;
  };
  const collect = () => {
    for (const c of conns.values()) {
      const parts = (c.partial + c.client.take()).split('\r\n');
      c.partial = parts.pop()!;
      c.lines.push(...parts);
    }
  };
  const leftovers = (lineNo: number): ReplayFailure | null => {
    for (const [name, c] of conns)
      if (c.lines.length || c.partial)
        return {
          line: lineNo,
          message: `unexpected output on connection "${name}": ${JSON.stringify([...c.lines, c.partial].join('\n'))}`,
        };
    return null;
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (!raw.trim() || raw.startsWith('#')) continue;
    const m = /^([CS])(\w*): ?(.*)$/.exec(raw);
    if (!m) return { line: i + 1, message: `cannot read line: ${raw}` };
    const [, who, name, body] = m;
    const c = conn(name);
    collect();
    if (who === 'C') {
      const f = leftovers(i + 1);
      if (f) return f;
      c.client.conn.send(body + '\r\n');
      collect();
      continue;
    }
    const got = c.lines.shift();
    if (got === undefined) return { line: i + 1, message: `expected ${JSON.stringify(body)}, got nothing` };
    const ok = body.endsWith('...') ? got.startsWith(body.slice(0, -3)) : got === body;
    if (!ok)
      return { line: i + 1, message: `expected ${JSON.stringify(body)}\n     got ${JSON.stringify(got)}` };
  }
  collect();
  return leftovers(lines.length);
}

/** Runs client lines through the engine and writes the transcript (to record new transcript files). */
export function record(script: string): string {
  const { open } = setup();
  const conns = new Map<string, { client: Client; partial: string }>();
  const out: string[] = [];
  const collect = () => {
    for (const [name, c] of conns) {
      const parts = (c.partial + c.client.take()).split('\r\n');
      c.partial = parts.pop()!;
      for (const p of parts) out.push(`S${name}: ${p}`);
    }
  };
  for (const raw of script.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    if (raw.startsWith('#')) {
      out.push(raw);
      continue;
    }
    const m = /^C(\w*): ?(.*)$/.exec(raw);
    if (!m) continue;
    const [, name, body] = m;
    if (!conns.has(name)) {
      conns.set(name, { client: open(protocolOf(name)), partial: '' });
      collect();
    }
    out.push(`C${name}: ${body}`);
    conns.get(name)!.client.conn.send(body + '\r\n');
    collect();
  }
  return out.join('\n') + '\n';
}

function protocolOf(name: string): 'imap' | 'pop3' {
  return name.startsWith('P') ? 'pop3' : 'imap';
}
