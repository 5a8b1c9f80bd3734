import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/protocol/base64';
import { connect, isWellFormedReply, makeLab, PATIENT, type Client } from './helpers';

/**
 * Properties over random input: random bytes and random command sequences, across several
 * sessions, never throw, always get exactly one well-formed reply per line, and keep the POP3
 * invariants.
 */

/** Lines whose +OK reply is multi-line (LIST n / UIDL n answer on one line). */
const MULTILINE = /^(CAPA|AUTH|LIST|UIDL|RETR \S+|TOP \S+ \S+)$/i;

const commandLine = fc.oneof(
  fc.constantFrom(
    'USER alice',
    'PASS wonderland',
    'PASS wrong',
    'USER bob',
    'PASS builder',
    'CAPA',
    'STAT',
    'LIST',
    'UIDL',
    'NOOP',
    'RSET',
    'QUIT',
    'AUTH',
    'AUTH PLAIN',
    `AUTH PLAIN ${encodeBase64('\0alice\0wonderland')}`,
    '*',
    '',
    'APOP alice 00',
    'FOO',
    'stat',
    'list 0',
  ),
  fc
    .tuple(fc.constantFrom('LIST', 'RETR', 'DELE', 'UIDL', 'list', 'Dele'), fc.integer({ min: -1, max: 8 }))
    .map(([c, n]) => `${c} ${n}`),
  fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 4 })).map(([n, k]) => `TOP ${n} ${k}`),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')),
);

describe('POP3 under random input', () => {
  it('random bytes never throw and the session keeps answering', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const { server } = makeLab();
        const c = connect(server);
        let last = '';
        for (const ch of chunks) last = c.raw(String.fromCharCode(...ch)) || last;
        // Finish whatever partial line is pending, then the session must still answer, unless
        // it hung up after too many bad commands, as Dovecot does, saying so in its last line.
        if (!c.conn.closed) last = c.raw('\r\n') || last;
        if (!c.conn.closed) expect(c.cmd('NOOP')).toMatch(/^(\+OK|-ERR|\+ )/);
        else expect(last).toMatch(/-ERR (Too many invalid bad commands\.|Input buffer full, aborting)\r\n$/);
        expect(server.locks.held().every((l) => l.holder === c.conn.id && !c.conn.closed)).toBe(true);
      }),
    );
  });

  it('each command line gets exactly one well-formed reply, and the invariants hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), commandLine, fc.boolean()), { maxLength: 60 }),
        (script) => {
          // Random lines are mostly bad ones: without a limit, the sessions live long enough to
          // reach every state (the limit has its own tests).
          const lab = makeLab(undefined, PATIENT);
          const clients: Client[] = [connect(lab.server), connect(lab.server), connect(lab.server)];
          /** What each session marked and what got expunged, to check that only QUIT removes. */
          const marked = clients.map(() => new Set<number>());
          const expectedGone = new Set<number>();
          for (const [who, line, drop] of script) {
            let c = clients[who];
            if (c.conn.closed) c = clients[who] = connect(lab.server);
            const md = () =>
              (c.conn.session as unknown as { maildrop: import('../../src/protocol/pop3').Maildrop | null })
                .maildrop;
            const before = md();
            const reply = c.cmd(line);
            // Exactly one reply: a multi-line one only for +OK of a multi-line command.
            expect(isWellFormedReply(reply, MULTILINE.test(line))).toBe(true);
            const m = md() ?? before;
            if (m) {
              // STAT, LIST and UIDL always agree with each other and with the marks.
              if (c.conn.state === 'TRANSACTION') {
                const stat = c.cmd('STAT');
                const list = c.cmd('LIST').split('\r\n').slice(1, -2);
                const uidl = c.cmd('UIDL').split('\r\n').slice(1, -2);
                const sizes = list.map((l) => Number(l.split(' ')[1]));
                expect(stat).toBe(`+OK ${list.length} ${sizes.reduce((a, b) => a + b, 0)}\r\n`);
                expect(uidl.map((l) => l.split(' ')[0])).toEqual(list.map((l) => l.split(' ')[0]));
                expect(list.length).toBe(m.count - m.markedCount);
                marked[clients.indexOf(c)] = new Set(m.deletedUids());
              }
            }
            if (c.conn.closed && /^quit/i.test(line) && m)
              for (const uid of marked[clients.indexOf(c)]) expectedGone.add(uid);
            if (c.conn.closed) marked[clients.indexOf(c)] = new Set();
            if (drop && !c.conn.closed) {
              c.conn.close();
              marked[clients.indexOf(c)] = new Set();
            }
            // Nothing leaves the server without DELE + QUIT.
            const left = lab.store.getMailbox('alice', 'INBOX')!.messages.map((x) => x.uid);
            expect(left).toEqual([1, 2, 3, 4, 5].filter((u) => !expectedGone.has(u)));
            // A lock belongs to a session in TRANSACTION, never to an ended one.
            for (const { holder } of lab.server.locks.held()) {
              const owner = clients.find((x) => x.conn.id === holder);
              expect(owner?.conn.state).toBe('TRANSACTION');
            }
          }
          for (const c of clients) c.conn.close();
          expect(lab.server.locks.held()).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('RSET restores exactly what DELE marked', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 8 }), (toDelete) => {
        const { server } = makeLab();
        const c = connect(server);
        c.cmd('USER alice');
        c.cmd('PASS wonderland');
        const list = c.cmd('LIST');
        const uidl = c.cmd('UIDL');
        for (const n of toDelete) c.cmd(`DELE ${n}`);
        expect(c.cmd('STAT')).toBe(
          `+OK ${5 - new Set(toDelete).size} ${[162, 123, 82, 217, 56].filter((_, i) => !toDelete.includes(i + 1)).reduce((a, b) => a + b, 0)}\r\n`,
        );
        expect(c.cmd('RSET')).toBe('+OK\r\n');
        expect(c.cmd('LIST')).toBe(list);
        expect(c.cmd('UIDL')).toBe(uidl);
      }),
    );
  });
});
