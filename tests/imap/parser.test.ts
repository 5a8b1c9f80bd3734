import { describe, expect, it } from 'vitest';
import { cat, formatValue, humans, literal, nstr, str } from '../../src/protocol/imap/formatter';
import { ImapFramer, type FrameEvent } from '../../src/protocol/imap/framing';
import { parseFetchItems } from '../../src/protocol/imap/fetch-items';
import { Args, ImapParseError, parseCommand } from '../../src/protocol/imap/parser';
import {
  compactSet,
  parseSequenceSet,
  resolveSequence,
  resolveUidSet,
} from '../../src/protocol/imap/sequence';

function frames(input: string[], accept = (_: string, n: number) => n <= 100): FrameEvent[] {
  const f = new ImapFramer({ maxLineLength: 200, acceptLiteral: accept });
  const out: FrameEvent[] = [];
  for (const chunk of input) {
    f.push(chunk);
    for (let e = f.next(); e; e = f.next()) out.push(e);
  }
  return out;
}

describe('framing (RFC 9051 §4.3 literals, RFC 7888 LITERAL+)', () => {
  it('joins a command split anywhere, and splits pipelined commands', () => {
    expect(frames(['a1 NO', 'OP\r', '\na2 NOOP\r\na3 LOGOUT\n'])).toEqual([
      { type: 'command', text: 'a1 NOOP' },
      { type: 'command', text: 'a2 NOOP' },
      { type: 'command', text: 'a3 LOGOUT' },
    ]);
  });

  it('asks for a synchronizing literal and takes exactly its octets', () => {
    expect(frames(['a LOGIN {5}\r\n', 'alice {3}\r\n', 'x\r\ny\r\n'])).toEqual([
      { type: 'continue', size: 5 },
      { type: 'continue', size: 3 },
      { type: 'command', text: 'a LOGIN {5}\r\nalice {3}\r\nx\r\ny' },
    ]);
  });

  it('takes a non-synchronizing literal without a continuation', () => {
    expect(frames(['a LOGIN {5+}\r\nalice pw\r\n'])).toEqual([
      { type: 'command', text: 'a LOGIN {5+}\r\nalice pw' },
    ]);
  });

  it('refuses an oversized synchronizing literal before any octet, and goes on', () => {
    expect(frames(['a APPEND INBOX {1000}\r\nb NOOP\r\n'])).toEqual([
      { type: 'literal-refused', text: 'a APPEND INBOX {1000}', size: 1000, nonSync: false, fatal: false },
      { type: 'command', text: 'b NOOP' },
    ]);
  });

  it('discards the octets of a refused non-synchronizing literal, then goes on', () => {
    const body = 'x'.repeat(150);
    expect(
      frames([`a APPEND INBOX {150+}\r\n${body.slice(0, 70)}`, `${body.slice(70)} rest\r\nb NOOP\r\n`]),
    ).toEqual([
      { type: 'literal-refused', text: 'a APPEND INBOX {150+}', size: 150, nonSync: true, fatal: false },
      { type: 'command', text: 'b NOOP' },
    ]);
  });

  it('marks a refused non-synchronizing literal too large to skip as fatal (RFC 7888 §4)', () => {
    expect(frames(['a LOGIN {99999999999999999999+}\r\n'])).toEqual([
      {
        type: 'literal-refused',
        text: 'a LOGIN {99999999999999999999+}',
        size: 1e20,
        nonSync: true,
        fatal: true,
      },
    ]);
    expect(frames(['a APPEND INBOX {4294967296+}\r\n'])[0]).toMatchObject({ fatal: true });
    // A synchronizing literal is never sent before "+", so refusing it is never fatal.
    expect(frames(['a APPEND INBOX {99999999999999999999}\r\n'])[0]).toMatchObject({ fatal: false });
  });

  it('drops an over-long line and reports its head', () => {
    const ev = frames(['t1 ' + 'x'.repeat(300), '\r\nb NOOP\r\n']);
    expect(ev[0]).toMatchObject({ type: 'too-long' });
    expect((ev[0] as { head: string }).head.startsWith('t1 ')).toBe(true);
    expect(ev[1]).toEqual({ type: 'command', text: 'b NOOP' });
  });

  it('hands out plain lines in line mode (IDLE, AUTHENTICATE)', () => {
    const f = new ImapFramer({ maxLineLength: 100, acceptLiteral: () => true });
    f.mode = 'line';
    f.push('DONE {5}\r\n');
    expect(f.next()).toEqual({ type: 'line', text: 'DONE {5}' });
  });
});

describe('command parser (RFC 9051 §9)', () => {
  it('reads tag, name, atoms, quoted strings with escapes, literals, NIL and lists', () => {
    const p = parseCommand('A001 login "al\\"ice" {3}\r\np w (a (b NIL) "c")');
    expect(p.tag).toBe('A001');
    expect(p.name).toBe('LOGIN');
    expect(p.args.map((t) => t.t)).toEqual(['quoted', 'literal', 'list']);
    expect(p.args[0]).toMatchObject({ v: 'al"ice' });
    expect(p.args[1]).toMatchObject({ v: 'p w' });
  });

  it('joins UID with its command', () => {
    expect(parseCommand('a uid fetch 1:* FLAGS').name).toBe('UID FETCH');
  });

  it('keeps a section with spaces in one atom', () => {
    const p = parseCommand('a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From To)]<0.10> UID)');
    const list = p.args[1];
    expect(list.t === 'list' && list.v.map((t) => t.v)).toEqual([
      'BODY.PEEK[HEADER.FIELDS (From To)]<0.10>',
      'UID',
    ]);
  });

  it.each([
    ['a LOGIN "alice', 'Missing closing quote'],
    ['a FETCH 1 (FLAGS', "Missing ')'"],
    ['a FETCH 1  FLAGS', 'Expected an argument'],
    ['a FETCH 1 (FLAGS )', "Unexpected space before ')'"],
    ['a NOOP)', 'Invalid command name'],
    ['a LOGIN "a\\b" c', 'Invalid escape'],
    ['a LOGIN {9}\r\nabc', 'Literal shorter than announced'],
    ['+ NOOP', 'Invalid tag'],
  ])('rejects %j with the position', (line, message) => {
    try {
      parseCommand(line);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ImapParseError);
      expect((e as ImapParseError).message).toContain(message);
      expect((e as ImapParseError).pos).toBeGreaterThanOrEqual(0);
    }
  });

  it('Args names what was missing', () => {
    const a = new Args(parseCommand('a LOGIN alice').args, 13);
    a.astring('user name');
    expect(() => a.astring('password')).toThrow('Missing password');
  });
});

describe('sequence sets (RFC 9051 §9 sequence-set)', () => {
  it('resolves ranges, reversed ranges and *', () => {
    expect(resolveSequence(parseSequenceSet('4:2,6,*'), 8, true)).toEqual([2, 3, 4, 6, 8]);
    expect(resolveSequence(parseSequenceSet('*:7'), 8, true)).toEqual([7, 8]);
  });
  it('refuses numbers past the end for FETCH, but not for SEARCH', () => {
    expect(resolveSequence(parseSequenceSet('5:99'), 6, true)).toBeNull();
    expect(resolveSequence(parseSequenceSet('5:99'), 6, false)).toEqual([5, 6]);
  });
  it('n:* on UIDs always includes the last message (RFC 9051 §6.4.8)', () => {
    expect(resolveUidSet(parseSequenceSet('90:*'), [3, 7, 12])).toEqual([2]);
    expect(resolveUidSet(parseSequenceSet('4:8'), [3, 7, 12])).toEqual([1]);
  });
  it.each(['0', '1:0', 'a', '1,,2', '1:2:3', ''])('refuses %j', (s) => {
    expect(() => parseSequenceSet(s)).toThrow(ImapParseError);
  });
  it('compacts UID lists', () => {
    expect(compactSet([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
  });
});

describe('fetch items', () => {
  it('expands macros and labels sections as Dovecot does', () => {
    expect(parseFetchItems(parseCommand('a F FAST').args[0]).map((i) => i.kind)).toEqual([
      'FLAGS',
      'INTERNALDATE',
      'RFC822.SIZE',
    ]);
    const [item] = parseFetchItems(parseCommand('a F body.peek[1.header.fields (from to)]<5.10>').args[0]);
    expect(item).toMatchObject({
      kind: 'section',
      peek: true,
      partial: [5, 10],
      label: 'BODY[1.HEADER.FIELDS (FROM TO)]<5>',
    });
  });
  it.each(['BODY[MIME]', 'BODY[1.FOO]', 'FOO', 'BODY[HEADER.FIELDS]', 'BODY[]<1.0>'])('refuses %s', (s) => {
    expect(() => parseFetchItems(parseCommand(`a F ${s}`).args[0])).toThrow(ImapParseError);
  });
});

describe('formatter (Dovecot quoting rules)', () => {
  it('quotes plain strings, escapes a few specials, uses literals for CR/LF/8-bit', () => {
    expect(formatValue(str('hello'))).toBe('"hello"');
    expect(formatValue(str('a"b'))).toBe('"a\\"b"');
    expect(formatValue(str('"""""'))).toBe('{5}\r\n"""""');
    expect(formatValue(str('caf\xe9'))).toBe('{4}\r\ncaf\xe9');
    expect(formatValue(str('a\r\nb'))).toBe('{4}\r\na\r\nb');
  });
  it('normalizes human text (ENVELOPE subject/name) into a literal when it changed it', () => {
    expect(formatValue(humans('Re: lunch'))).toBe('"Re: lunch"');
    expect(formatValue(humans('Re:\r\n  lunch'))).toBe('{9}\r\nRe: lunch');
    expect(formatValue(humans('say "hi"'))).toBe('{8}\r\nsay "hi"');
    expect(formatValue(humans('   '))).toBe('""');
  });
  it('writes lists, NIL, literals and back-to-back groups', () => {
    expect(formatValue(['FLAGS', ['\\Seen'], nstr(null), 3])).toBe('(FLAGS (\\Seen) NIL 3)');
    expect(
      formatValue([
        cat([
          [null, null, str('a'), str('b')],
          [null, null, str('c'), str('d')],
        ]),
      ]),
    ).toBe('((NIL NIL "a" "b")(NIL NIL "c" "d"))');
    expect(formatValue(literal(''))).toBe('{0}\r\n');
  });
});
