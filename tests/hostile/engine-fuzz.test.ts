/**
 * Engine-level fuzz: random mixes of POP3 and IMAP sessions on one store, with commands that
 * change things and connections that vanish mid-way, checking the invariants that make the lab
 * honest (RFC 1939 §6/§8, RFC 9051 §2.3.1.1, §7.5.1):
 * - per mailbox, UIDs strictly ascend and UIDNEXT is above every UID;
 * - the store holds exactly what was delivered minus what was announced as expunged, and every
 *   expunge comes from the connection that sent QUIT (POP3, only its DELE-marked messages) or
 *   EXPUNGE / MOVE / CLOSE (IMAP);
 * - a POP3 maildrop lock is held only by an open session in TRANSACTION;
 * - after NOOP, every IMAP session's view of INBOX is the store's INBOX.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLabStore } from '../../src/mail/fixtures';
import type { StoreEvent } from '../../src/mail/types';
import { createMailServer } from '../../src/server/server';
import type { Connection } from '../../src/server/types';

type Step =
  | { kind: 'deliver' }
  | { kind: 'pop3'; slot: number; op: 'login' | 'DELE' | 'RETR' | 'RSET' | 'QUIT' | 'drop'; n: number }
  | {
      kind: 'imap';
      slot: number;
      op: 'login' | 'delete' | 'EXPUNGE' | 'MOVE' | 'APPEND' | 'NOOP' | 'CLOSE' | 'LOGOUT' | 'drop';
      n: number;
    };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'deliver' }),
  fc.record({
    kind: fc.constant('pop3' as const),
    slot: fc.integer({ min: 0, max: 2 }),
    op: fc.constantFrom('login', 'DELE', 'DELE', 'RETR', 'RSET', 'QUIT', 'drop'),
    n: fc.integer({ min: 1, max: 16 }),
  }),
  fc.record({
    kind: fc.constant('imap' as const),
    slot: fc.integer({ min: 0, max: 2 }),
    op: fc.constantFrom(
      'login',
      'delete',
      'delete',
      'EXPUNGE',
      'MOVE',
      'APPEND',
      'NOOP',
      'CLOSE',
      'LOGOUT',
      'drop',
    ),
    n: fc.integer({ min: 1, max: 16 }),
  }),
);

const key = (mailbox: string, uid: number) => `${mailbox}\0${uid}`;

function run(steps: Step[]): void {
  const store = createLabStore();
  const server = createMailServer({ store });
  const model = new Set<string>();
  for (const mb of store.listMailboxes('alice')) for (const m of mb.messages) model.add(key(mb.name, m.uid));
  const marked = new Map<string, Set<number>>(); // pop3 connection -> DELE-marked UIDs
  server.subscribe((e) => {
    if (e.type !== 'pop3.marked') return;
    const set = marked.get(e.connection) ?? new Set<number>();
    if (e.deleted) set.add(e.uid);
    else set.delete(e.uid);
    marked.set(e.connection, set);
  });
  let current: { id: string; removing: boolean } | null = null;
  const problems: string[] = [];
  store.subscribe((e: StoreEvent) => {
    if (e.type === 'message.delivered') model.add(key(e.mailbox, e.uid));
    if (e.type === 'message.expunged') {
      for (const uid of e.uids) model.delete(key(e.mailbox, uid));
      if (!current || e.origin !== current.id || !current.removing)
        problems.push(`expunge ${e.uids} by ${String(e.origin)} during ${JSON.stringify(current)}`);
      if (e.origin?.toString().startsWith('pop3-')) {
        const m = marked.get(String(e.origin)) ?? new Set();
        for (const uid of e.uids) if (!m.has(uid)) problems.push(`POP3 expunged unmarked UID ${uid}`);
      }
    }
  });

  const pop3: (Connection | null)[] = [null, null, null];
  const imap: (Connection | null)[] = [null, null, null];
  let tag = 0;
  const open = (protocol: 'pop3' | 'imap'): Connection => {
    const c = server.connect(protocol);
    c.onOutput(() => {});
    return c;
  };

  for (const s of steps) {
    if (s.kind === 'deliver') {
      current = null;
      store.deliver('alice', 'INBOX', `From: f@x\r\nSubject: fuzz ${tag++}\r\n\r\nbody\r\n`);
    } else if (s.kind === 'pop3') {
      let c = pop3[s.slot];
      if (!c || c.closed) c = pop3[s.slot] = open('pop3');
      current = { id: c.id, removing: s.op === 'QUIT' };
      if (s.op === 'login') c.send('USER alice\r\nPASS wonderland\r\n');
      else if (s.op === 'drop') c.close();
      else if (s.op === 'QUIT' || s.op === 'RSET') c.send(`${s.op}\r\n`);
      else c.send(`${s.op} ${s.n}\r\n`);
    } else {
      let c = imap[s.slot];
      if (!c || c.closed) c = imap[s.slot] = open('imap');
      const t = `t${tag++}`;
      current = { id: c.id, removing: ['EXPUNGE', 'MOVE', 'CLOSE'].includes(s.op) };
      switch (s.op) {
        case 'login':
          c.send(`${t}a LOGIN alice wonderland\r\n${t}b SELECT INBOX\r\n`);
          break;
        case 'delete':
          c.send(`${t} STORE ${s.n} +FLAGS (\\Deleted)\r\n`);
          break;
        case 'MOVE':
          c.send(`${t} MOVE ${s.n} Trash\r\n`);
          break;
        case 'APPEND':
          c.send(`${t} APPEND INBOX {20+}\r\nSubject: appended\r\n\r\n\r\n`);
          break;
        case 'drop':
          c.close();
          break;
        default:
          c.send(`${t} ${s.op}\r\n`);
      }
    }
    current = null;

    // Invariants after every step.
    for (const mb of store.listMailboxes('alice')) {
      const uids = mb.messages.map((m) => m.uid);
      for (let i = 1; i < uids.length; i++)
        if (uids[i] <= uids[i - 1]) problems.push(`${mb.name}: UIDs not ascending ${uids}`);
      if (uids.length && mb.uidNext <= uids[uids.length - 1])
        problems.push(`${mb.name}: UIDNEXT ${mb.uidNext} <= ${uids[uids.length - 1]}`);
    }
    const actual = new Set<string>();
    for (const mb of store.listMailboxes('alice'))
      for (const m of mb.messages) actual.add(key(mb.name, m.uid));
    if (actual.size !== model.size || [...model].some((k) => !actual.has(k)))
      problems.push(`store holds ${actual.size} messages, events say ${model.size}`);
    const live = new Map(server.connections().map((c) => [c.id, c]));
    for (const { user, holder } of server.locks.held()) {
      const c = live.get(holder);
      if (!c || c.state !== 'TRANSACTION')
        problems.push(`lock on ${user} held by ${holder} (${c?.state ?? 'gone'})`);
    }
    if (problems.length) throw new Error(problems.join('\n'));
  }

  // Convergence: after NOOP every selected IMAP session sees exactly the store's INBOX.
  const inboxUids = store.getMailbox('alice', 'INBOX')!.messages.map((m) => m.uid);
  for (const c of imap) {
    if (!c || c.closed || c.state !== 'Selected') continue;
    let out = '';
    const off = c.onOutput((b) => (out += b));
    c.send('n1 NOOP\r\nn2 UID SEARCH ALL\r\n');
    off();
    const line = /^\* SEARCH([ \d]*)\r$/m.exec(out)?.[1] ?? '';
    const seen = line.trim() ? line.trim().split(' ').map(Number) : [];
    expect(seen, `view of ${c.id}`).toEqual(inboxUids);
  }
}

describe('POP3 and IMAP sessions on one store, with drops', () => {
  it('keeps UIDs, messages, locks and views consistent', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        run(steps);
      }),
      { numRuns: 600, seed: 20261126 },
    );
  });

  it('a known story: POP3 DELE + QUIT while IMAP is selected reaches the IMAP view at NOOP', () => {
    run([
      { kind: 'imap', slot: 0, op: 'login', n: 1 },
      { kind: 'pop3', slot: 0, op: 'login', n: 1 },
      { kind: 'pop3', slot: 0, op: 'DELE', n: 2 },
      { kind: 'pop3', slot: 0, op: 'QUIT', n: 1 },
      { kind: 'imap', slot: 0, op: 'NOOP', n: 1 },
    ]);
  });
});
