import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPop3Reply } from '../../src/protocol/pop3/format';
import {
  expandSequenceSet,
  fetchItems,
  imapQuote,
  parseImapValues,
  pop3Body,
  responseCode,
  responseStatus,
  sequenceSet,
  takeImapResponse,
  takePop3Reply,
  valueText,
} from '../../src/client/wire';
import { summarizeHeader } from '../../src/client/summary';

describe('POP3 replies (RFC 1939 §3)', () => {
  it('reads a single-line reply and leaves the rest', () => {
    const r = takePop3Reply('+OK 2 320\r\n-ERR x\r\n', false)!;
    expect(r.reply).toMatchObject({ ok: true, text: '2 320', code: null, lines: [] });
    expect(r.rest).toBe('-ERR x\r\n');
  });

  it('reads the RFC 2449 response code of an error', () => {
    const r = takePop3Reply('-ERR [IN-USE] Mailbox is locked\r\n', false)!;
    expect(r.reply.ok).toBe(false);
    expect(r.reply.code).toBe('IN-USE');
  });

  it('unstuffs a multi-line body and stops at the terminating dot', () => {
    const wire = '+OK 3 octets\r\nSubject: x\r\n\r\n..leading dot\r\nend\r\n.\r\n+OK next\r\n';
    const r = takePop3Reply(wire, true)!;
    expect(r.reply.lines).toEqual(['Subject: x', '', '.leading dot', 'end']);
    expect(r.reply.raw).toBe(wire.slice(0, wire.indexOf('+OK next')));
    expect(r.rest).toBe('+OK next\r\n');
  });

  it('handles an empty multi-line body and incomplete input', () => {
    expect(takePop3Reply('+OK\r\n.\r\n', true)!.reply.lines).toEqual([]);
    expect(takePop3Reply('+OK\r\nline\r\n', true)).toBeNull();
    expect(takePop3Reply('+OK partial', false)).toBeNull();
  });

  it('never treats -ERR as multi-line', () => {
    const r = takePop3Reply('-ERR no such message\r\n', true)!;
    expect(r.reply.ok).toBe(false);
    expect(r.rest).toBe('');
  });

  it('gives back exactly the message octets the server stuffed, as lines or as one body', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '.', '..', '.x', '', 'b c', '\r', 'x.'), { maxLength: 12 }),
        (lines) => {
          const octets = lines.length ? lines.join('\r\n') + '\r\n' : '';
          const wire = formatPop3Reply({ ok: true, text: 'message follows', body: octets }) + '+OK next\r\n';
          const taken = takePop3Reply(wire, true)!;
          expect(taken.rest).toBe('+OK next\r\n');
          expect(taken.reply.lines).toEqual(lines);
          expect(pop3Body(taken.reply)).toBe(lines.join('\r\n') + '\r\n');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('IMAP responses (RFC 9051 §7)', () => {
  it('takes a response with a literal as one unit', () => {
    const body = 'Subject: hi\r\n\r\nhello\r\n';
    const wire = `* 1 FETCH (UID 7 BODY[] {${body.length}}\r\n${body} FLAGS (\\Seen))\r\nA1 OK done\r\n`;
    const t = takeImapResponse(wire)!;
    expect(t.response.tag).toBe('*');
    expect(t.response.literals).toEqual([body]);
    const items = fetchItems(parseImapValues(t.response, 3)[0] as never);
    expect(valueText(items.get('UID'))).toBe('7');
    expect(valueText(items.get('BODY[]'))).toBe(body);
    expect(items.get('FLAGS')).toEqual(['\\Seen']);
    expect(takeImapResponse(t.rest)!.response.tag).toBe('A1');
  });

  it('waits for the whole literal', () => {
    expect(takeImapResponse('* 1 FETCH (BODY[] {10}\r\nabc')).toBeNull();
  });

  it('reads status and response codes', () => {
    const r = takeImapResponse('A3 OK [COPYUID 38 5 12] Moved\r\n')!.response;
    expect(responseStatus(r)).toBe('OK');
    expect(responseCode(r)).toEqual(['COPYUID', '38', '5', '12']);
    expect(responseStatus(takeImapResponse('* BYE going\r\n')!.response)).toBe('BYE');
  });

  it('parses quoted strings, NIL and sections with spaces', () => {
    const r = takeImapResponse('* LIST (\\HasNoChildren \\Trash) "/" "Old \\"mail\\""\r\n')!.response;
    expect(parseImapValues(r, 2)).toEqual([['\\HasNoChildren', '\\Trash'], '/', 'Old "mail"']);
    const f = takeImapResponse('* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] NIL UID 3)\r\n')!.response;
    const items = fetchItems(parseImapValues(f, 3)[0] as never);
    expect(items.get('BODY[HEADER.FIELDS (SUBJECT)]')).toBeNull();
    expect(valueText(items.get('UID'))).toBe('3');
  });

  it('reads an escaped backslash, and an unterminated quoted string to the end of the line', () => {
    const r = takeImapResponse('* LIST () "a\\\\b" "c" "open ended\r\n')!.response;
    expect(parseImapValues(r, 2)).toEqual([[], 'a\\b', 'c', 'open ended']);
  });

  it('quotes arguments and writes sequence sets', () => {
    expect(imapQuote('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(sequenceSet([1, 2, 3, 7, 9, 10])).toBe('1:3,7,9:10');
    expect(expandSequenceSet('1:3,7')).toEqual([1, 2, 3, 7]);
    expect(expandSequenceSet('5:3')).toEqual([3, 4, 5]);
  });
});

describe('message summary', () => {
  it('reads Message-ID, Subject and From, unfolding lines', () => {
    const s = summarizeHeader(
      'From: Bob <b@x>\r\nSubject: long\r\n subject\r\nMessage-ID: <a1@lab>\r\n\r\nSubject: not me\r\n',
    );
    expect(s).toEqual({ messageId: 'a1@lab', subject: 'long subject', from: 'Bob <b@x>' });
  });

  it('gives a message without Message-ID a stable identity from its bytes', () => {
    const a = summarizeHeader('Subject: x\r\n\r\nbody\r\n');
    expect(a.messageId).toMatch(/^no-id-[0-9a-f]{8}$/);
    expect(summarizeHeader('Subject: x\r\n\r\nbody\r\n').messageId).toBe(a.messageId);
    expect(summarizeHeader('Subject: x\r\n\r\nother\r\n').messageId).not.toBe(a.messageId);
  });
});
