import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUS_ITEMS, readStatusItems } from '../../src/protocol/imap/commands/status';
import { ImapParseError, type Token } from '../../src/protocol/imap/parser';
import { loggedIn, setup } from './harness';

/** Splits output into lines, keeping literal octets inside the line that announced them. */
function lines(out: string): string[] {
  const res: string[] = [];
  let i = 0;
  while (i < out.length) {
    let line = '';
    for (;;) {
      const end = out.indexOf('\r\n', i);
      if (end < 0) throw new Error(`output does not end in CRLF: ${JSON.stringify(out.slice(i, i + 80))}`);
      const chunk = out.slice(i, end);
      line += chunk;
      i = end + 2;
      const lit = /\{(\d+)\}$/.exec(chunk);
      if (!lit) break;
      line += out.slice(i, i + Number(lit[1]));
      i += Number(lit[1]);
    }
    res.push(line);
  }
  return res;
}

const MAILBOXES = ['INBOX', 'Trash', 'Work', '"Sent"', 'Nope', '""'];
const FLAGS = ['\\Seen', '\\Deleted', '\\Flagged', '\\Answered', '\\Draft', 'Work', '$Later'];

const seqSet = fc.oneof(
  fc.constantFrom('1', '*', '1:*', '2:4', '3,1', '4:2', '99', '1:99'),
  fc.integer({ min: 1, max: 8 }).map(String),
);
const flagList = fc.subarray(FLAGS).map((f) => `(${f.join(' ')})`);
/** STATUS items as a client may write them: any subset, any order, any case, now and then a wrong one. */
const statusItems = fc
  .tuple(
    fc.shuffledSubarray([...STATUS_ITEMS, 'BOGUS']),
    fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
  )
  .map(([items, lower]) => items.map((x, i) => (lower[i] ? x.toLowerCase() : x)));
/** LIST return options (RFC 5258, RFC 5819), now and then wrong. */
const returnOptions = fc
  .tuple(fc.shuffledSubarray(['SUBSCRIBED', 'CHILDREN', 'SPECIAL-USE', 'STATUS', 'BOGUS']), statusItems)
  .map(([opts, items]) => opts.map((o) => (o === 'STATUS' ? `STATUS (${items.join(' ')})` : o)).join(' '));
const command = fc.oneof(
  fc.constant('NOOP'),
  fc.constant('CAPABILITY'),
  fc.constantFrom('CHECK', 'EXPUNGE', 'UNSELECT', 'CLOSE', 'NAMESPACE', 'ID NIL', 'ENABLE IMAP4rev2'),
  fc.constantFrom(...MAILBOXES).map((m) => `SELECT ${m}`),
  fc.constantFrom(...MAILBOXES).map((m) => `EXAMINE ${m}`),
  fc.constantFrom(...MAILBOXES).map((m) => `CREATE ${m}`),
  fc.constantFrom(...MAILBOXES).map((m) => `DELETE ${m}`),
  fc.constantFrom(...MAILBOXES).map((m) => `STATUS ${m} (MESSAGES UNSEEN UIDNEXT)`),
  fc.tuple(fc.constantFrom(...MAILBOXES), fc.constantFrom(...MAILBOXES)).map(([a, b]) => `RENAME ${a} ${b}`),
  fc.constantFrom('LIST "" *', 'LIST "" %', 'LSUB "" *', 'LIST (SUBSCRIBED) "" * RETURN (CHILDREN)'),
  fc
    .tuple(
      fc.constantFrom('', '(SUBSCRIBED) ', '(SPECIAL-USE) '),
      fc.constantFrom('*', '%', '""', 'INBOX'),
      returnOptions,
    )
    .map(([sel, pat, ret]) => `LIST ${sel}"" ${pat} RETURN (${ret})`),
  fc.constantFrom('""', 'Work', 'Work/x', '"/"', '"a b/c"').map((ref) => `LIST ${ref} ""`),
  fc
    .tuple(fc.constantFrom(...MAILBOXES), statusItems)
    .map(([m, items]) => `STATUS ${m} (${items.join(' ')})`),
  fc
    .tuple(
      fc.constantFrom('', 'UID '),
      seqSet,
      fc.constantFrom(
        'FLAGS',
        '(UID FLAGS)',
        'BODY[]',
        'BODY.PEEK[HEADER]',
        'ENVELOPE',
        'BODYSTRUCTURE',
        'FULL',
        'BINARY[1]',
        'BODY[1.2.MIME]<3.7>',
      ),
    )
    .map(([u, s, i]) => `${u}FETCH ${s} ${i}`),
  fc
    .tuple(fc.constantFrom('', 'UID '), seqSet, fc.constantFrom('FLAGS', '+FLAGS', '-FLAGS.SILENT'), flagList)
    .map(([u, s, m, f]) => `${u}STORE ${s} ${m} ${f}`),
  fc
    .tuple(
      fc.constantFrom('', 'UID '),
      fc.constantFrom(
        'ALL',
        'UNSEEN',
        'OR SEEN DELETED',
        'NOT 1:2',
        'FROM bob',
        'RETURN (COUNT) ALL',
        'LARGER 300',
      ),
    )
    .map(([u, k]) => `${u}SEARCH ${k}`),
  fc
    .tuple(fc.constantFrom('COPY', 'MOVE', 'UID COPY', 'UID MOVE'), seqSet, fc.constantFrom(...MAILBOXES))
    .map(([c, s, m]) => `${c} ${s} ${m}`),
  fc.constantFrom(...MAILBOXES).map((m) => `APPEND ${m} (\\Seen) {12+}\r\nSubject: x\r\n`),
  fc.constant('UID EXPUNGE 1:3'),
  fc.constant('FROB 1'),
  fc.constant('FETCH'),
);

describe('property: hostile bytes never break the session', () => {
  it('random bytes: no exception, only whole CRLF lines, and the session still answers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, login) => {
        const { open } = setup();
        const c = login ? loggedIn(open, 'INBOX') : open();
        c.take();
        const junk = String.fromCharCode(...bytes).replace(/\{\d+\+?\}/g, '');
        const out = c.raw(junk);
        if (c.conn.closed) return;
        lines(out + c.raw('\r\n'));
        // That CRLF may itself be the bad line that reaches Dovecot's limit (e.g. junk "\n\n"
        // before login): the server then says BYE and hangs up, which is the right answer too.
        if (c.conn.closed) return;
        expect(c.cmd('zz9 NOOP')).toMatch(/zz9 OK NOOP completed\.\r\n$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: random well-formed commands', () => {
  it('each command gets exactly one tagged reply; the connection never throws', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 25 }), (cmds) => {
        const { open } = setup();
        const c = loggedIn(open, 'INBOX');
        cmds.forEach((cmd, n) => {
          const tag = `t${n}`;
          const out = c.cmd(`${tag} ${cmd}`);
          if (c.conn.closed) return;
          const tagged = lines(out).filter((l) => l.startsWith(tag + ' '));
          expect(tagged, `${cmd} -> ${out}`).toHaveLength(1);
          expect(tagged[0]).toMatch(new RegExp(`^${tag} (OK|NO|BAD)( |$)`));
        });
      }),
      { numRuns: 150 },
    );
  });
});

type Op =
  | { kind: 'store'; who: number; seq: number; mode: '+' | '-'; flag: string }
  | { kind: 'expunge'; who: number }
  | { kind: 'deliver' }
  | { kind: 'move'; who: number; seq: number }
  | { kind: 'fetch'; who: number }
  | { kind: 'noop'; who: number }
  | { kind: 'idle'; who: number }
  | { kind: 'status'; who: number }
  | { kind: 'pop3' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('store' as const),
    who: fc.nat(2),
    seq: fc.integer({ min: 1, max: 9 }),
    mode: fc.constantFrom('+' as const, '-' as const),
    flag: fc.constantFrom('\\Seen', '\\Deleted', 'Work'),
  }),
  fc.record({ kind: fc.constant('expunge' as const), who: fc.nat(2) }),
  fc.constant({ kind: 'deliver' as const }),
  fc.record({ kind: fc.constant('move' as const), who: fc.nat(2), seq: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant('fetch' as const), who: fc.nat(2) }),
  fc.record({ kind: fc.constant('noop' as const), who: fc.nat(2) }),
  fc.record({ kind: fc.constant('idle' as const), who: fc.nat(2) }),
  fc.record({ kind: fc.constant('status' as const), who: fc.nat(2) }),
  fc.constant({ kind: 'pop3' as const }),
);

describe('property: random multi-session interleavings', () => {
  it('after NOOP every session sees exactly the store: dense numbers, ascending UIDs, same flags', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const { open, store } = setup();
        const sessions = [0, 1, 2].map(() => loggedIn(open, 'INBOX'));
        const idle = [false, false, false];
        // How many messages each session was told of (EXISTS, EXPUNGE): what STATUS MESSAGES
        // of the selected mailbox answers, whatever other sessions did meanwhile.
        const known = [6, 6, 6];
        let maxUid = 6;
        const heard = (who: number, out: string) => {
          for (const l of lines(out)) {
            const exists = /^\* (\d+) EXISTS$/.exec(l);
            if (exists) known[who] = Number(exists[1]);
            else if (/^\* \d+ EXPUNGE$/.test(l)) known[who]--;
          }
          return out;
        };
        const exec = (who: number, line: string) => {
          if (idle[who]) {
            heard(who, sessions[who].cmd('DONE'));
            idle[who] = false;
          }
          return heard(who, sessions[who].cmd(line));
        };
        for (const o of ops) {
          switch (o.kind) {
            case 'store':
              exec(o.who, `s STORE ${o.seq} ${o.mode}FLAGS (${o.flag})`);
              break;
            case 'expunge':
              exec(o.who, 'e EXPUNGE');
              break;
            case 'deliver': {
              const m = store.deliver('alice', 'INBOX', 'Subject: n\r\n\r\nx\r\n', { origin: 'delivery' });
              expect(m.uid).toBeGreaterThan(maxUid);
              maxUid = m.uid;
              break;
            }
            case 'move':
              exec(o.who, `m MOVE ${o.seq} Trash`);
              break;
            case 'fetch':
              exec(o.who, 'f FETCH 1:* (UID FLAGS)');
              break;
            case 'noop':
              exec(o.who, 'n NOOP');
              break;
            case 'idle':
              if (!idle[o.who]) exec(o.who, 'i IDLE');
              idle[o.who] = true;
              break;
            case 'status': {
              // STATUS and LIST-STATUS report nothing themselves (as in Dovecot), and count
              // the selected mailbox as the session knows it.
              const status = exec(o.who, 's STATUS INBOX (MESSAGES)');
              expect(status).toMatch(/^\* STATUS INBOX \(MESSAGES \d+\)\r\ns OK \[CLIENTBUG\] [^\r]*\r\n$/);
              expect(Number(/MESSAGES (\d+)/.exec(status)![1])).toBe(known[o.who]);
              const list = exec(o.who, 'l LIST "" INBOX RETURN (STATUS (MESSAGES))');
              expect(list).toBe(
                `* LIST () "/" INBOX\r\n* STATUS INBOX (MESSAGES ${known[o.who]})\r\nl OK List completed\r\n`,
              );
              break;
            }
            case 'pop3': {
              const p = open('pop3');
              p.take();
              p.cmd('USER alice');
              p.cmd('PASS wonderland');
              p.cmd('RETR 1');
              p.cmd('DELE 1');
              p.cmd('QUIT');
              break;
            }
          }
        }
        const truth = store.getMailbox('alice', 'INBOX')!.messages;
        for (let w = 0; w < 3; w++) {
          exec(w, 'n NOOP');
          const fetched = lines(exec(w, 'v FETCH 1:* (UID FLAGS)'))
            .map((l) => /^\* (\d+) FETCH \(UID (\d+) FLAGS \(([^)]*)\)\)$/.exec(l))
            .filter((m): m is RegExpExecArray => m !== null);
          expect(fetched.map((m) => Number(m[1]))).toEqual(truth.map((_, i) => i + 1));
          expect(fetched.map((m) => Number(m[2]))).toEqual(truth.map((m) => m.uid));
          fetched.forEach((m, i) => {
            const got = m[3]
              .split(' ')
              .filter((f) => f && f !== '\\Recent')
              .sort();
            expect(got).toEqual([...truth[i].flags].sort());
          });
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: status item lists (STATUS and LIST-STATUS)', () => {
  const atom = (v: string): Token => ({ t: 'atom', v, pos: 0 });
  it('readStatusItems names exactly the items asked for, or refuses the list', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...STATUS_ITEMS, 'messages', 'Unseen', 'BOGUS', 'X-GM-LABELS').map(atom),
            fc.constant<Token>({ t: 'list', v: [], pos: 0 }),
            fc.constant<Token>({ t: 'quoted', v: 'MESSAGES', pos: 0 }),
          ),
          { maxLength: 10 },
        ),
        (tokens) => {
          let bits: number;
          try {
            bits = readStatusItems(tokens, 0);
          } catch (e) {
            expect(e).toBeInstanceOf(ImapParseError);
            const ok =
              tokens.length > 0 &&
              tokens.every((t) => t.t === 'atom' && STATUS_ITEMS.includes(t.v.toUpperCase() as never));
            expect(ok).toBe(false);
            return;
          }
          const asked = new Set(tokens.map((t) => (t.v as string).toUpperCase()));
          expect(STATUS_ITEMS.filter((_, i) => bits & (1 << i))).toEqual(
            STATUS_ITEMS.filter((n) => asked.has(n)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('LIST-STATUS: a STATUS line right after each mailbox that exists, with what STATUS says of it', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(STATUS_ITEMS.filter((i) => i !== 'HIGHESTMODSEQ') as string[], { minLength: 1 }),
        fc.subarray(['Work', 'Work/Sub', 'x y', 'Deep/er/est']),
        fc.boolean(),
        (items, made, selected) => {
          const { open } = setup({ folders: 'inbox' });
          const c = loggedIn(open, selected ? 'INBOX' : undefined);
          for (const m of made) c.cmd(`a CREATE "${m}"`);
          const out = lines(c.cmd(`b LIST "" "*" RETURN (STATUS (${items.join(' ')}))`));
          expect(out.at(-1)).toBe('b OK List completed');
          const body = out.slice(0, -1);
          const asked = STATUS_ITEMS.filter((n) => items.includes(n));
          for (let k = 0; k < body.length; k++) {
            const list = /^\* LIST \(([^)]*)\) "\/" (.*)$/.exec(body[k]);
            expect(list, body[k]).not.toBeNull();
            const name = list![2];
            if (list![1].includes('\\NonExistent')) {
              expect(body[k + 1] ?? '').not.toMatch(/^\* STATUS /);
              continue;
            }
            const status = body[++k];
            const plain = lines(c.cmd(`s STATUS ${name} (${items.join(' ')})`))[0];
            expect(status).toBe(plain);
            const got = /^\* STATUS .* \((.*)\)$/
              .exec(status)![1]
              .split(' ')
              .filter((_, i) => i % 2 === 0);
            expect(got).toEqual(asked);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('LIST reference "": one root line, the reference up to its first "/"', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z/ ]{0,12}$/), (ref) => {
        const { open } = setup({ folders: 'inbox' });
        const c = loggedIn(open);
        c.cmd('a CREATE a/b');
        const out = lines(c.cmd(`b LIST "${ref}" ""`));
        const at = ref.indexOf('/');
        const root = at < 0 ? '' : ref.slice(0, at + 1);
        const shown = root === '' || /[ ]/.test(root) ? `"${root}"` : root;
        expect(out).toEqual([`* LIST (\\Noselect) "/" ${shown}`, 'b OK List completed']);
      }),
      { numRuns: 200 },
    );
  });

  it('a set that is no set: "Invalid uidset" in UID commands, "Invalid messageset" in the others', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('0', '1:0', 'abc', '1,,2', '1:2:3', '-1', '4294967296', '*:0'),
        fc.constantFrom('FETCH %s FLAGS', 'STORE %s +FLAGS (\\Seen)', 'COPY %s Trash', 'MOVE %s Trash'),
        fc.boolean(),
        (set, form, uid) => {
          const c = loggedIn(setup().open, 'INBOX');
          const line = (uid ? 'UID ' : '') + form.replace('%s', set);
          expect(c.cmd(`t ${line}`)).toContain(uid ? ': Invalid uidset' : ': Invalid messageset');
        },
      ),
      { numRuns: 100 },
    );
  });
});
