/**
 * Scripted IMAP and POP3 sessions over real TCP, with replies normalized so that two servers
 * (Dovecot and `npm run serve`) can be compared line by line. Used by the dev tool
 * tests/imap/tools/tcp-diff.ts (both servers live) and by tests/cli/dovecot-recorded.test.ts
 * (our server against Dovecot's replies recorded in tests/transcripts/dovecot).
 *
 * Script lines, as in the transcripts: "C: a1 NOOP" sends a line on the default IMAP
 * connection, "C2: ..." on connection "2"; a connection whose name starts with P ("CP:",
 * "CP2:") is POP3. "sleep MS" waits; "# ..." is a comment. A connection opens at its first line
 * ("C: <open>" opens one without sending). Output lines are "S<name>: <normalized reply line>".
 */
import { connect, type Socket } from 'node:net';
import { pop3MultiLine } from '../cli/helpers';

export type Step = { conn: string; line: string } | { sleep: number } | { comment: string };

export function parseScript(text: string): Step[] {
  const out: Step[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    if (raw.startsWith('#')) {
      out.push({ comment: raw });
      continue;
    }
    const s = /^sleep (\d+)$/.exec(raw);
    if (s) {
      out.push({ sleep: Number(s[1]) });
      continue;
    }
    const m = /^C(\w*): ?(.*)$/.exec(raw);
    if (m) out.push({ conn: m[1], line: m[2] });
  }
  return out;
}

export const isPop3 = (conn: string) => conn.startsWith('P');

/** One IMAP reply line without what may differ: free text, UIDVALIDITY values, capabilities, dates. */
export function normalizeImap(line: string): string {
  let l = line.replace(/ \(\d+\.\d+ \+ \d+\.\d+( \+ \d+\.\d+)? secs\)\.?$/, '');
  l = l.replace(
    /^(\S+ (?:OK|NO|BAD|BYE|PREAUTH))( \[[^\]]*(?:\[[^\]]*\][^\]]*)*\])?.*$/,
    (_, a: string, b?: string) => a + (b ?? ''),
  );
  l = l.replace(/\[CAPABILITY [^\]]*\]/, '[CAPABILITY *]').replace(/^\* CAPABILITY .*/, '* CAPABILITY *');
  l = l.replace(/UIDVALIDITY \d+/g, 'UIDVALIDITY V').replace(/(COPYUID|APPENDUID) \d+/g, '$1 V');
  l = l.replace(/INTERNALDATE "[^"]*"/g, 'INTERNALDATE "*"');
  l = l.replace(/^\* ID .*/, '* ID *');
  return l;
}

/**
 * One POP3 reply (status line and, for a positive multi-line reply, its body) as lines: the
 * status and response code of the first line; the whole first line of STAT, LIST n and UIDL n
 * (counts and sizes, RFC 1939 §5) with UIDL's unique-id replaced (each server picks its own);
 * bodies as they are, but UIDL's unique-ids replaced and CAPA's list dropped (it differs by design).
 */
export function normalizePop3(command: string, reply: string): string[] {
  const lines = reply.split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  const first = lines[0] ?? '';
  const status = /^(\+OK|-ERR)/.exec(first)?.[1];
  if (!status) return lines.map((l) => `? ${l}`);
  const code = /^(?:\+OK|-ERR) (\[[^\]]*\])/.exec(first)?.[1];
  let head = status + (code ? ' ' + code : '');
  const [name, ...args] = command.trim().split(/\s+/);
  const n = (name ?? '').toUpperCase();
  if (status === '+OK') {
    if (n === 'STAT' || (n === 'LIST' && args.length)) head = first;
    if (n === 'UIDL' && args.length) head = first.split(' ').slice(0, 2).join(' ') + ' <uid>';
  }
  if (status !== '+OK' || !pop3MultiLine(command)) return [head];
  if (n === 'CAPA') return [head, '*', '.'];
  let body = lines.slice(1);
  if (n === 'UIDL') body = body.map((l) => l.replace(/^(\d+) \S+$/, '$1 <uid>'));
  return [head, ...body];
}

export interface Ports {
  imap: number;
  pop3: number;
}

interface Conn {
  socket: Socket;
  buf: string;
  closed: boolean;
  pop3: boolean;
  /** IMAP: octets of a literal still to come (the script's next lines are its data). */
  literalLeft: number;
  /** IMAP: the tag of a command whose line goes on after a literal, and the tags answered. */
  pendingTag: string | null;
  answered: Set<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(c: Conn, done: (buf: string) => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!done(c.buf) && !c.closed && Date.now() - t0 < ms) await sleep(3);
}

/** Where a POP3 reply in `buf` ends (after its CRLF or its terminating dot line), or -1. */
function pop3End(buf: string, multi: boolean): number {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return -1;
  if (!multi || !buf.startsWith('+OK')) return eol + 2;
  if (buf.startsWith('.\r\n', eol + 2)) return eol + 5;
  const end = buf.indexOf('\r\n.\r\n', eol);
  return end < 0 ? -1 : end + 5;
}

/**
 * Plays `steps` against the servers on 127.0.0.1:`ports`; returns the transcript: the script's
 * lines (comments kept) with each server line after the command it answered, normalized.
 */
export async function runScript(steps: readonly Step[], ports: Ports, timeoutMs = 3000): Promise<string[]> {
  const conns = new Map<string, Conn>();
  const out: string[] = [];
  // Everything complete that the IMAP connections have received so far, as output lines.
  const drainImap = (name: string, c: Conn) => {
    const parts = c.buf.split('\r\n');
    c.buf = parts.pop()!;
    for (const p of parts) {
      const t = /^(\S+) (?:OK|NO|BAD)\b/.exec(p);
      if (t && t[1] !== '*') c.answered.add(t[1]);
      out.push(`S${name}: ${normalizeImap(p)}`);
    }
  };
  const drainAll = () => {
    for (const [name, c] of conns) if (!c.pop3) drainImap(name, c);
  };
  for (const st of steps) {
    if ('comment' in st) {
      out.push(st.comment);
      continue;
    }
    if ('sleep' in st) {
      out.push(`sleep ${st.sleep}`);
      await sleep(st.sleep);
      drainAll();
      continue;
    }
    let c = conns.get(st.conn);
    if (!c) {
      const pop3 = isPop3(st.conn);
      const socket = connect(pop3 ? ports.pop3 : ports.imap, '127.0.0.1');
      socket.setEncoding('latin1');
      const cc: Conn = {
        socket,
        buf: '',
        closed: false,
        pop3,
        literalLeft: 0,
        pendingTag: null,
        answered: new Set(),
      };
      socket.on('data', (d: string) => (cc.buf += d));
      socket.on('close', () => (cc.closed = true));
      socket.on('error', () => {});
      conns.set(st.conn, cc);
      c = cc;
      await waitFor(c, (b) => b.includes('\r\n'), timeoutMs);
      if (pop3) {
        const end = pop3End(c.buf, false);
        out.push(`S${st.conn}: ${normalizePop3('', c.buf.slice(0, end))[0]}`);
        c.buf = c.buf.slice(end);
      } else drainImap(st.conn, c);
    }
    if (st.line === '<open>') continue;
    out.push(`C${st.conn}: ${st.line}`);
    if (c.closed) continue;
    c.socket.write(st.line + '\r\n', 'latin1');
    if (c.pop3) {
      const multi = pop3MultiLine(st.line);
      await waitFor(c, (b) => pop3End(b, multi) >= 0, timeoutMs);
      const end = pop3End(c.buf, multi);
      const reply = end < 0 ? c.buf : c.buf.slice(0, end);
      c.buf = end < 0 ? '' : c.buf.slice(end);
      if (reply) for (const l of normalizePop3(st.line, reply)) out.push(`S${st.conn}: ${l}`);
      continue;
    }
    let tag: string;
    if (c.literalLeft > 0) {
      // A line of literal data. When its CRLF is the literal's end, the command goes on on the
      // next line; when the literal ends before, the rest of this line ends the command.
      c.literalLeft -= st.line.length + 2;
      if (c.literalLeft >= 0) {
        drainAll();
        continue;
      }
      c.literalLeft = 0;
      tag = c.pendingTag!;
    } else tag = c.pendingTag ?? st.line.split(' ')[0];
    // A new command: an earlier command's reply with the same tag does not count.
    if (c.pendingTag === null) c.answered.delete(tag);
    c.pendingTag = null;
    const esc = tag.replace(/[^\w]/g, '\\$&');
    const done = new RegExp(`(^|\\r\\n)${esc} (OK|NO|BAD) [^\\r\\n]*\\r\\n`);
    const goOn = /(^|\r\n)\+ [^\r\n]*\r\n/;
    const literal = /\{(\d+)(\+?)\}$/.exec(st.line);
    if (literal && /^[A-Za-z]\w*$/.test(tag)) {
      // LITERAL+ data comes anyway; a synchronizing literal only after "+" (not after a refusal).
      if (literal[2]) await sleep(150);
      else await waitFor(c, (b) => done.test(b) || goOn.test(b), timeoutMs);
      if (literal[2] || goOn.test(c.buf)) {
        c.literalLeft = Number(literal[1]);
        c.pendingTag = tag;
      }
    } else if (tag.toUpperCase() === 'DONE' || !/^[A-Za-z]\w*$/.test(tag) || c.answered.has(tag))
      // The end of IDLE, a line that is no command, or the end of a command already answered.
      await sleep(150);
    else await waitFor(c, (b) => done.test(b), timeoutMs);
    drainAll();
  }
  await sleep(100);
  drainAll();
  for (const c of conns.values()) c.socket.destroy();
  return out;
}

/** Line-by-line differences (longest common subsequence), as "- theirs" / "+ ours" lines. */
export function diffLines(theirs: readonly string[], ours: readonly string[], context = false): string[] {
  const L: number[][] = Array.from({ length: theirs.length + 1 }, () => new Array(ours.length + 1).fill(0));
  for (let i = theirs.length - 1; i >= 0; i--)
    for (let j = ours.length - 1; j >= 0; j--)
      L[i][j] = theirs[i] === ours[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < theirs.length || j < ours.length) {
    if (i < theirs.length && j < ours.length && theirs[i] === ours[j]) {
      if (context || theirs[i].startsWith('C')) out.push(`  ${theirs[i]}`);
      i++;
      j++;
    } else if (j < ours.length && (i >= theirs.length || L[i][j + 1] >= L[i + 1][j]))
      out.push(`+ ${ours[j++]}`);
    else out.push(`- ${theirs[i++]}`);
  }
  return out;
}
