/**
 * Differential check against a real Dovecot (dev tool, not part of the suite).
 *
 *   npx tsx tests/imap/tools/dovecot-diff.ts script.txt [port]
 *
 * The script has lines "A> tag COMMAND ..." (A, B, ... name connections), "sleep MS", and
 * "# comments". Each line goes to Dovecot on 127.0.0.1:port (default 10143, whose maildir
 * must hold tests/imap/fixtures/*.eml as UIDs 1..N) and to our engine in-process; replies are
 * normalized (free text, UIDVALIDITY values, capability lists, dates dropped) and compared.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toCrlf } from '../../../src/mail/store';
import { DOVECOT_IDLE_NOTIFY_DELAY_MS } from '../../../src/server/imap/session';
import { setup } from '../harness';

type Step = { conn: string; line: string } | { sleep: number };

function parseScript(text: string): Step[] {
  const out: Step[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    const s = /^sleep (\d+)/.exec(raw);
    if (s) {
      out.push({ sleep: Number(s[1]) });
      continue;
    }
    const m = /^(\w+)> ?(.*)$/.exec(raw);
    if (m) out.push({ conn: m[1], line: m[2] });
  }
  return out;
}

export function normalize(line: string): string {
  let l = line.replace(/ \(\d+\.\d+ \+ \d+\.\d+( \+ \d+\.\d+)? secs\)\.?$/, '');
  l = l.replace(
    /^(\S+ (?:OK|NO|BAD|BYE|PREAUTH))( \[[^\]]*(?:\[[^\]]*\][^\]]*)*\])?.*$/,
    (_, a, b) => a + (b ?? ''),
  );
  l = l.replace(/\[CAPABILITY [^\]]*\]/, '[CAPABILITY …]').replace(/^\* CAPABILITY .*/, '* CAPABILITY …');
  l = l.replace(/UIDVALIDITY \d+/g, 'UIDVALIDITY V').replace(/(COPYUID|APPENDUID) \d+/g, '$1 V');
  l = l.replace(/INTERNALDATE "[^"]*"/g, 'INTERNALDATE "…"');
  l = l.replace(/^\* ID .*/, '* ID …');
  return l;
}

async function runDovecot(steps: Step[], port: number): Promise<Map<string, string[]>> {
  const conns = new Map<string, { s: net.Socket; buf: string; lines: string[] }>();
  const waitFor = async (c: { buf: string }, pred: (b: string) => boolean, ms = 1500) => {
    const t0 = Date.now();
    while (!pred(c.buf) && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 5));
  };
  const drain = (c: { buf: string; lines: string[] }) => {
    const parts = c.buf.split('\r\n');
    c.buf = parts.pop()!;
    c.lines.push(...parts);
  };
  for (const st of steps) {
    if ('sleep' in st) {
      await new Promise((r) => setTimeout(r, st.sleep));
      for (const c of conns.values()) drain(c);
      continue;
    }
    let c = conns.get(st.conn);
    if (!c) {
      const s = net.connect(port, '127.0.0.1');
      s.setEncoding('latin1');
      const cc = { s, buf: '', lines: [] as string[] };
      s.on('data', (d: string) => (cc.buf += d));
      conns.set(st.conn, cc);
      c = cc;
      await waitFor(c, (b) => b.includes('\r\n'));
      drain(c);
    }
    if (st.line === '<open>') continue;
    c.lines.push('C: ' + st.line);
    c.s.write(st.line + '\r\n');
    const tag = st.line.split(' ')[0];
    const esc = tag.replace(/[^\w]/g, '\\$&');
    const lit = /\{\d+\}$/.test(st.line);
    const re = new RegExp(`(^|\\r\\n)(${esc} [^\\r\\n]*|\\+ [^\\r\\n]*)\\r\\n`);
    if (tag.toUpperCase() === 'DONE' || st.line === '' || !/^[A-Za-z]\w*$/.test(tag))
      await new Promise((r) => setTimeout(r, 150));
    else await waitFor(c, (b) => re.test(b) || (lit && /\+ /.test(b)));
    drain(c);
  }
  await new Promise((r) => setTimeout(r, 150));
  for (const c of conns.values()) {
    drain(c);
    c.s.destroy();
  }
  return new Map([...conns].map(([k, v]) => [k, v.lines]));
}

async function runOurs(steps: Step[]): Promise<Map<string, string[]>> {
  // MESSAGES_DIR: compare on another set of .eml files (Dovecot's maildir must hold the same).
  const dir = process.env.MESSAGES_DIR;
  const messages = dir
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .map((f) => toCrlf(readFileSync(join(dir, f), 'latin1')))
    : undefined;
  // Dovecot's IDLE reports changes 0.5 s after they happen; "sleep" lines wait for real here too.
  const { open } = setup({ messages, imap: { idleNotifyDelayMs: DOVECOT_IDLE_NOTIFY_DELAY_MS } });
  const conns = new Map<string, { c: ReturnType<typeof open>; buf: string; lines: string[] }>();
  const drain = (x: { c: ReturnType<typeof open>; buf: string; lines: string[] }) => {
    x.buf += x.c.take();
    const parts = x.buf.split('\r\n');
    x.buf = parts.pop()!;
    x.lines.push(...parts);
  };
  for (const st of steps) {
    if ('sleep' in st) {
      await new Promise((r) => setTimeout(r, st.sleep));
      for (const y of conns.values()) drain(y);
      continue;
    }
    let x = conns.get(st.conn);
    if (!x) {
      x = { c: open(), buf: '', lines: [] };
      conns.set(st.conn, x);
      drain(x);
    }
    for (const y of conns.values()) drain(y);
    if (st.line === '<open>') continue;
    x.lines.push('C: ' + st.line);
    x.c.conn.send(st.line + '\r\n');
    for (const y of conns.values()) drain(y);
  }
  return new Map([...conns].map(([k, v]) => [k, v.lines]));
}

async function main() {
  const [file, portArg] = process.argv.slice(2);
  const steps = parseScript(readFileSync(file, 'latin1'));
  const theirs = await runDovecot(steps, Number(portArg ?? 10143));
  const ours = await runOurs(steps);
  let diffs = 0;
  for (const [name, t] of theirs) {
    const o = ours.get(name) ?? [];
    const tn = t.map(normalize);
    const on = o.map(normalize);
    // Longest common subsequence, so one extra line does not shift everything after it.
    const L: number[][] = Array.from({ length: tn.length + 1 }, () => new Array(on.length + 1).fill(0));
    for (let i = tn.length - 1; i >= 0; i--)
      for (let j = on.length - 1; j >= 0; j--)
        L[i][j] = tn[i] === on[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < tn.length || j < on.length) {
      if (i < tn.length && j < on.length && tn[i] === on[j]) {
        if (process.env.VERBOSE) console.log(`${name}   ${tn[i]}`);
        i++;
        j++;
      } else if (j < on.length && (i >= tn.length || L[i][j + 1] >= L[i + 1][j])) {
        console.log(`${name} + ${on[j++]}`);
        diffs++;
      } else {
        console.log(`${name} - ${tn[i++]}`);
        diffs++;
      }
    }
  }
  console.log(diffs ? `${diffs} differing lines` : 'identical after normalization');
}

void main();
