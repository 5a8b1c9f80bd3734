import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clearMimeCache,
  decodeBase64,
  decodeEncodedWords,
  decodeQuotedPrintable,
  decodeText,
  decodeTransfer,
  findPart,
  formatAddressList,
  getMime,
  headerValue,
  headerValues,
  paramValue,
  parseAddressList,
  parseDateHeader,
  parseMime,
  summarize,
  toEnvelopeAddresses,
  walkParts,
  type MimePart,
} from '../../src/mail/mime';
import { utf8ToByteString } from '../../src/mail/store';
import { bodystructure, envelope } from './bodystructure-format';

const FIXTURES = 'tests/fixtures/mime/';
const load = (name: string) => readFileSync(FIXTURES + name, 'latin1');
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const body = (raw: string, p: MimePart | null) => (p ? raw.slice(p.bodyStart, p.bodyEnd) : null);
const mime = (raw: string, p: MimePart | null) => (p ? raw.slice(p.headerStart, p.headerEnd) : null);

describe('parseMime matches Dovecot byte for byte', () => {
  // Each line: a message file and the BODYSTRUCTURE Dovecot 2.3.19 returned for it. Sizes and
  // line counts come straight from the model's offsets, so this pins every range.
  const cases = readFileSync(FIXTURES + 'dovecot-bodystructure.tsv', 'latin1')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, string]);

  it.each(cases)('%s', (file, expected) => {
    expect(bodystructure(parseMime(load(file)))).toBe(expected);
  });

  it('parses addresses the way Dovecot fills ENVELOPE (groups, routes, comments, broken ones)', () => {
    const env = envelope(parseMime(load('m09.eml')));
    // Dovecot's reply for the same message, apart from the subject, which its writer re-spaces.
    expect(env.slice(env.indexOf(' ((') + 1)).toBe(
      '(("Joe Q. Public" NIL "john.q.public" "example.com")("Mary Smith" NIL "mary" "x.test")("John Doe" NIL "jdoe" "example.org")("Who?" NIL "one" "y.test")) ((NIL NIL "just" "domain")) (("broken" NIL "no-host" "SYNTAX_ERROR")) ((NIL NIL "A Group" NIL)("Ed Jones" NIL "c" "a.test")(NIL NIL "joe" "where.test")("John" NIL "jdoe" "one.test")(NIL NIL NIL NIL)(NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) (("=?UTF-8?Q?Andr=C3=A9?=" NIL "andre" "x.test")(NIL "@route1,@route2" "user" "host.test")(NIL NIL "bare" "MISSING_DOMAIN")({8}\r\nquoted"x NIL "q" "h")) NIL "<abc@x>" "<m09@x>")',
    );
  });
});

describe('part ranges and IMAP section numbers', () => {
  it('gives BODY[n] and BODY[n.MIME] of a multipart exactly (CRLF before a delimiter belongs to it)', () => {
    const raw = load('m02.eml');
    const root = parseMime(raw);
    expect(body(raw, findPart(root, '1'))).toBe('part one no content-type');
    expect(mime(raw, findPart(root, '1'))).toBe('\r\n');
    expect(body(raw, findPart(root, '2'))).toBe('caf=C3=A9\r\nline2\r\n');
    expect(mime(raw, findPart(root, '2'))).toMatch(
      /^Content-Type: TEXT\/Plain;.*\r\nContent-MD5: .*\r\n\r\n$/s,
    );
    expect(findPart(root, '3')).toBeNull();
    expect(findPart(root, '0')).toBeNull();
    expect(findPart(root, '1.1')).toBeNull();
    expect(raw.slice(...root.preamble!)).toBe('preamble line');
    expect(raw.slice(...root.epilogue!)).toBe('epilogue\r\nmore\r\n');
    expect(raw.slice(root.headerStart, root.headerEnd)).toMatch(/^From: a@b\.c\r\n.*\r\n\r\n$/s);
  });

  it('numbers the parts of an encapsulated message after its message/rfc822 part', () => {
    const raw = load('m04.eml');
    const root = parseMime(raw);
    const forwarded = findPart(root, '2')!;
    expect(forwarded.contentType.mediaType).toBe('message/rfc822');
    expect(mime(raw, forwarded)).toBe('Content-Type: message/rfc822\r\n\r\n');
    const inner = forwarded.message!;
    expect(inner.headerStart).toBe(forwarded.bodyStart);
    expect(inner.bodyEnd).toBe(forwarded.bodyEnd);
    expect(headerValue(inner, 'subject')).toBe('inner');
    expect(body(raw, findPart(root, '2.1'))).toBe('inner plain');
    expect(body(raw, findPart(root, [2, 2]))).toBe('<b>inner</b>');
    expect(findPart(root, '2.2')!.section).toBe('2.2');
    expect(findPart(root, '2.3')).toBeNull();
  });

  it('treats a non-multipart message as having only part 1 (itself)', () => {
    const raw = load('m01.eml');
    const root = parseMime(raw);
    expect(findPart(root, '1')).toBe(root);
    expect(findPart(root, '')).toBe(root);
    expect(findPart(root, '2')).toBeNull();
    expect(body(raw, root)).toBe('Hello\r\nWorld');
    // A top-level message/rfc822: 1 is the message, 1.1 the encapsulated message's body.
    const raw21 = load('m21.eml');
    const r21 = parseMime(raw21);
    expect(findPart(r21, '1')).toBe(r21);
    expect(body(raw21, findPart(r21, '1.1'))).toBe('x\r\n');
  });

  it('handles a header without body, bare LF line ends, and boundaries inside part headers', () => {
    const raw10 = load('m10.eml');
    const r10 = parseMime(raw10);
    expect(r10.headerEnd).toBe(raw10.length);
    expect(r10.bodyStart).toBe(raw10.length);
    expect(headerValue(r10, 'Subject')).toBe('ten header only');
    const raw22 = load('m22.eml');
    const r22 = parseMime(raw22);
    expect(body(raw22, findPart(r22, 1))).toBe('LF only');
    expect(body(raw22, findPart(r22, 2))).toBe('last');
    const raw14 = load('m14.eml');
    expect(parseMime(raw14).children.map((c) => body(raw14, c))).toEqual(['a', '', 'c  ']);
  });

  it('gives an empty body part a MIME header without the empty line (it belongs to the delimiter)', () => {
    const raw = load('m23.eml');
    const root = parseMime(raw);
    expect(mime(raw, findPart(root, 1))).toBe('Content-Type: text/plain\r\n');
    expect(body(raw, findPart(root, 1))).toBe('');
    expect(mime(raw, findPart(root, 2))).toBe('Content-Type: text/html\r\n');
  });

  it('gives a multipart without a usable boundary one empty synthetic part', () => {
    for (const f of ['m06.eml', 'm07.eml', 'm15.eml']) {
      const root = parseMime(load(f));
      expect(root.children).toHaveLength(1);
      expect(root.children[0].synthetic).toBe(true);
      expect(root.children[0].bodyEnd - root.children[0].bodyStart).toBe(0);
    }
  });

  it('does not open message/rfc822 in base64 (like Dovecot)', () => {
    const root = parseMime(load('m11.eml'));
    expect(root.contentType.mediaType).toBe('message/rfc822');
    expect(root.message).toBeNull();
  });

  it('uses message/rfc822 as the default type inside multipart/digest', () => {
    const root = parseMime(load('m05.eml'));
    expect(root.children[0].contentType).toMatchObject({
      type: 'message',
      subtype: 'rfc822',
      explicit: false,
    });
    expect(headerValue(root.children[0].message!, 'Subject')).toBe('d1');
    expect(root.children[1].contentType.mediaType).toBe('text/plain');
  });
});

describe('header fields and MIME fields', () => {
  it('keeps raw values and unfolds them (RFC 5322 §2.2.3)', () => {
    const raw = crlf('Subject: a\n  folded\n\tvalue \nX-Empty:\nsubject: second\n\nbody');
    const root = parseMime(raw);
    expect(root.headers.map((h) => h.name)).toEqual(['Subject', 'X-Empty', 'subject']);
    expect(root.headers[0].raw).toBe(' a\r\n  folded\r\n\tvalue ');
    expect(root.headers[0].value).toBe('a  folded\tvalue');
    expect(raw.slice(root.headers[0].start, root.headers[0].end)).toBe(
      'Subject: a\r\n  folded\r\n\tvalue \r\n',
    );
    expect(headerValues(root, 'SUBJECT')).toEqual(['a  folded\tvalue', 'second']);
    expect(headerValue(root, 'x-empty')).toBe('');
    expect(headerValue(root, 'missing')).toBeNull();
  });

  it('parses every MIME field, case kept as written', () => {
    const p = findPart(parseMime(load('m02.eml')), '2')!;
    expect(p.contentType).toMatchObject({
      type: 'TEXT',
      subtype: 'Plain',
      mediaType: 'text/plain',
      explicit: true,
    });
    expect(paramValue(p.contentType.params, 'charset')).toBe('UTF-8');
    expect(p.contentTransferEncoding).toBe('QUOTED-PRINTABLE');
    expect(p.contentId).toBe('<id1@x>');
    expect(p.contentDescription).toBe('a desc');
    expect(p.contentDisposition).toMatchObject({
      type: 'INLINE',
      params: [{ name: 'filename', value: 'a.txt' }],
    });
    expect(p.contentLanguage).toEqual(['en', 'fr']);
    expect(p.contentLocation).toBe('http://x/y');
    expect(p.contentMd5).toBe('Q2hlY2sgSW50ZWdyaXR5IQ==');
    expect(decodeText(p, load('m02.eml'))).toBe('café\r\nline2\r\n');
  });

  it('merges RFC 2231 continuations and decodes them for display', () => {
    const root = parseMime(load('m08.eml'));
    expect(root.contentType.params).toEqual([
      { name: 'name*', value: "utf-8''%E2%82%ACrate.txt", decoded: '€rate.txt' },
    ]);
    expect(root.contentDisposition!.params.map((p) => p.decoded)).toEqual(['3', '€.txt']);
    const plain = parseMime(crlf('Content-Type: text/plain; title*1="b c"; title*0=a\n\nx'));
    expect(plain.contentType.params[0]).toEqual({ name: 'title', value: 'ab c', decoded: 'ab c' });
  });

  it('skips comments in structured fields and defaults the transfer encoding', () => {
    const root = parseMime(crlf('Content-Type: text/html (a comment); charset = "iso-8859-1" (x)\n\n\xe9'));
    expect(root.contentType.mediaType).toBe('text/html');
    expect(root.contentType.params).toEqual([
      { name: 'charset', value: 'iso-8859-1', decoded: 'iso-8859-1' },
    ]);
    expect(root.contentTransferEncoding).toBe('7bit');
    expect(
      decodeText(root, crlf('Content-Type: text/html (a comment); charset = "iso-8859-1" (x)\n\n\xe9')),
    ).toBe('é');
  });
});

describe('decoding', () => {
  it('follows the RFC 2047 §8 examples for whitespace between encoded-words', () => {
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a?=')).toBe('a');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a?= b')).toBe('a b');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=')).toBe('ab');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=')).toBe('ab');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=')).toBe('ab');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a_b?=')).toBe('a b');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=')).toBe('a b');
    expect(decodeEncodedWords('x =?utf-8?q?caf=C3=A9?= y')).toBe('x café y');
  });

  it('decodes B words, joins a character split across words, handles languages and bad charsets', () => {
    expect(decodeEncodedWords('=?UTF-8?B?w6l0w6k=?=')).toBe('été');
    // "é" is C3 A9: split between two words it must still decode as one character.
    expect(decodeEncodedWords('=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=')).toBe('é');
    expect(decodeEncodedWords('=?US-ASCII*EN?Q?Keith_Moore?=')).toBe('Keith Moore');
    expect(decodeEncodedWords('=?x-no-such-charset?Q?ok?=')).toBe('ok');
    expect(decodeEncodedWords('=?x-no-such-charset?Q?=C3=A9?=')).toBe('é');
    expect(decodeEncodedWords('=?utf-8?Q?broken')).toBe('=?utf-8?Q?broken');
    expect(decodeEncodedWords('Gr\xc3\xbc\xc3\x9fe')).toBe('Grüße');
    expect(decodeEncodedWords('caf\xe9')).toBe('café');
  });

  it('decodes base64 and quoted-printable bodies', () => {
    expect(decodeBase64('aGVs\r\nbG8=')).toBe('hello');
    expect(decodeBase64('a*G!V\x00sbG8')).toBe('hello');
    expect(decodeQuotedPrintable('a=3D1 =\r\nb  \r\nc=ZZ')).toBe('a=1 b\r\nc=ZZ');
    const raw = crlf('Content-Transfer-Encoding: base64\n\naGVsbG8=\n');
    expect(decodeTransfer(parseMime(raw), raw)).toBe('hello');
  });

  it('parses RFC 5322 dates, including obsolete forms', () => {
    expect(parseDateHeader('Mon, 1 Jan 2024 10:00:00 +0100')).toBe(Date.UTC(2024, 0, 1, 9));
    expect(parseDateHeader('1 Feb 99 23:59 EST')).toBe(Date.UTC(1999, 1, 2, 4, 59));
    expect(parseDateHeader('Tue, 30 Sep 2025 08:05:09 -0700 (PDT)')).toBe(Date.UTC(2025, 8, 30, 15, 5, 9));
    expect(parseDateHeader('yesterday')).toBeNull();
    expect(parseDateHeader('1 Foo 2024 10:00')).toBeNull();
  });
});

describe('addresses', () => {
  it('parses names, groups and bare addresses', () => {
    expect(parseAddressList('"Smith, Ann" <ann@x.test>, bob@y.test')).toEqual([
      { name: 'Smith, Ann', adl: null, mailbox: 'ann', host: 'x.test' },
      { name: null, adl: null, mailbox: 'bob', host: 'y.test' },
    ]);
    expect(parseAddressList('Team: a@x.test, B <b@x.test>;')).toEqual([
      {
        group: 'Team',
        members: [
          { name: null, adl: null, mailbox: 'a', host: 'x.test' },
          { name: 'B', adl: null, mailbox: 'b', host: 'x.test' },
        ],
      },
    ]);
    expect(toEnvelopeAddresses(parseAddressList('Empty:;'))).toEqual([
      { name: null, adl: null, mailbox: 'Empty', host: null },
      { name: null, adl: null, mailbox: null, host: null },
    ]);
    expect(parseAddressList('')).toEqual([]);
    expect(parseAddressList('<>')).toEqual([
      { name: null, adl: null, mailbox: 'MISSING_MAILBOX', host: 'MISSING_DOMAIN' },
    ]);
  });

  it('formats address lists for display with names decoded', () => {
    expect(formatAddressList('=?UTF-8?Q?Zo=C3=AB?= <zoe@x.test>, plain@y.test')).toBe(
      'Zoë <zoe@x.test>, plain@y.test',
    );
    expect(formatAddressList('undisclosed-recipients:;')).toBe('undisclosed-recipients');
  });
});

describe('summaries and the cache', () => {
  it('summarizes subject, people, date and a preview from the text part', () => {
    const raw = crlf(
      [
        'From: =?UTF-8?B?SsO8cmdlbg==?= <j@x.test>',
        'To: Ann <ann@y.test>',
        'Subject: =?UTF-8?Q?R=C3=A9union?=',
        'Date: Tue, 2 Jan 2024 08:00:00 +0000',
        'Message-ID: <s1@x.test>',
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Bonjour =C3=A0 tous,',
        '  see   the file.',
        '--b',
        'Content-Type: application/pdf; name=a.pdf',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0=',
        '--b--',
      ].join('\n'),
    );
    expect(summarize(raw)).toEqual({
      subject: 'Réunion',
      from: 'Jürgen <j@x.test>',
      fromAddress: 'j@x.test',
      to: 'Ann <ann@y.test>',
      date: 'Tue, 2 Jan 2024 08:00:00 +0000',
      dateMs: Date.UTC(2024, 0, 2, 8),
      messageId: '<s1@x.test>',
      preview: 'Bonjour à tous, see the file.',
      hasAttachments: true,
      size: raw.length,
    });
  });

  it('falls back to HTML text for the preview and survives a message with no headers', () => {
    const raw = crlf('Content-Type: text/html\n\n<style>p{}</style><p>Hi &amp; bye</p>');
    expect(summarize(raw).preview).toBe('Hi & bye');
    expect(summarize('')).toMatchObject({ subject: '', from: '', preview: '', dateMs: null, size: 0 });
  });

  it('returns the cached tree for the same bytes, and parsing 10,000 messages twice is cheap the second time', () => {
    clearMimeCache();
    const raws = Array.from({ length: 10000 }, (_, i) => crlf(`Subject: m${i}\n\nbody ${i}\n`));
    const first = raws.map(getMime);
    const second = raws.map(getMime);
    expect(second.every((p, i) => p === first[i])).toBe(true);
    expect(getMime(utf8ToByteString('Subject: x\r\n\r\n'))).not.toBe(first[0]);
  });
});

describe('hostile input', () => {
  function checkRanges(raw: string, p: MimePart, lo: number, hi: number): void {
    expect(lo <= p.headerStart && p.headerStart <= p.headerEnd).toBe(true);
    expect(p.headerEnd === p.bodyStart && p.bodyStart <= p.bodyEnd && p.bodyEnd <= hi).toBe(true);
    expect(p.bodyLines).toBe(raw.slice(p.bodyStart, p.bodyEnd).split('\n').length - 1);
    let prev = p.bodyStart;
    for (const c of p.children) {
      expect(c.headerStart >= prev).toBe(true);
      checkRanges(raw, c, p.bodyStart, p.bodyEnd);
      prev = c.bodyEnd;
    }
    if (p.message) {
      expect(p.message.headerStart).toBe(p.bodyStart);
      checkRanges(raw, p.message, p.bodyStart, p.bodyEnd);
    }
  }

  const fragment = fc.constantFrom(
    'Content-Type: multipart/mixed; boundary=a\r\n',
    'Content-Type: multipart/digest; boundary="b"\r\n',
    'Content-Type: message/rfc822\r\n',
    "Content-Type: text/plain; charset*0*=utf-8''%C3; charset*1=x\r\n",
    'Content-Transfer-Encoding: base64\r\n',
    '\r\n',
    '\n',
    '\r',
    '--a\r\n',
    '--a--\r\n',
    '--b\r\n',
    '--b--',
    ' folded\r\n',
    'Subject: =?utf-8?B?w6k=?= =?x?Q?=ZZ?=\r\n',
    'From: "a" <b@c>, g:;, (c) d@e\r\n',
    'text line\r\n',
    '=?utf-8?q?',
    '(((',
    '"',
    '\x00\xff',
  );

  it('never throws, and every range is in bounds and nested in its parent', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 60 }), (parts) => {
        const raw = parts.join('').replace(/[^\x00-\xff]/g, '?');
        const root = parseMime(raw);
        expect(root.headerStart).toBe(0);
        expect(root.bodyEnd).toBe(raw.length);
        checkRanges(raw, root, 0, raw.length);
        for (const p of walkParts(root)) expect(() => findPart(root, p.section)).not.toThrow();
        expect(() => summarize(raw)).not.toThrow();
        const header = headerValue(root, 'From') ?? '';
        expect(() => formatAddressList(header)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary header values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(() => parseAddressList(s)).not.toThrow();
        expect(() => decodeEncodedWords(s)).not.toThrow();
        expect(() => parseDateHeader(s)).not.toThrow();
        expect(() => parseMime(`Content-Type: ${s}\r\nContent-Disposition: ${s}\r\n\r\nx`)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('stops nesting at Dovecot’s limit instead of recursing without end', () => {
    let raw = '';
    for (let i = 0; i < 3000; i++) raw += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
    raw += '\r\nleaf\r\n';
    const root = parseMime(raw);
    let depth = 0;
    for (let p: MimePart | undefined = root; p; p = p.children[0]) depth++;
    expect(depth).toBeLessThanOrEqual(102);
    checkRanges(raw, root, 0, raw.length);
  });

  it('caps the number of parts of one message', () => {
    const raw =
      'Content-Type: multipart/mixed; boundary=x\r\n\r\n' + '--x\r\n\r\np\r\n'.repeat(11000) + '--x--\r\n';
    const root = parseMime(raw);
    expect(root.children.length).toBeLessThanOrEqual(10000);
    checkRanges(raw, root, 0, raw.length);
  });
});
