/**
 * FETCH data items (RFC 9051 §6.4.5, §9 fetch-att):
 *
 *   fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
 *               "BODY" ["STRUCTURE"] / "UID" / "BODY" section [partial] /
 *               "BODY.PEEK" section [partial] / "BINARY" [".PEEK"] section-binary [partial] /
 *               "BINARY.SIZE" section-binary
 *   partial   = "<" number64 "." nz-number64 ">"
 *
 * and the macros ALL, FAST and FULL.
 */
import type { Section } from './message-data';
import { ImapParseError, type Token } from './parser';

export type FetchItem =
  | { kind: 'FLAGS' | 'UID' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY' }
  | { kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT' }
  | { kind: 'section'; section: Section; peek: boolean; partial: [number, number] | null; label: string }
  | { kind: 'binary'; part: number[]; peek: boolean; partial: [number, number] | null; label: string }
  | { kind: 'binary.size'; part: number[]; label: string };

const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const SIMPLE = new Set([
  'FLAGS',
  'UID',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODYSTRUCTURE',
  'BODY',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.TEXT',
]);

/** fetch argument: a macro, one fetch-att, or a parenthesized list of fetch-att. */
export function parseFetchItems(t: Token): FetchItem[] {
  if (t.t === 'atom' && MACROS[t.v.toUpperCase()])
    return MACROS[t.v.toUpperCase()].map((k) => parseItem(k, t.pos));
  if (t.t === 'atom') return [parseItem(t.v, t.pos)];
  if (t.t === 'list') {
    if (!t.v.length) throw new ImapParseError('Empty fetch item list', t.pos);
    return t.v.map((x) => {
      if (x.t !== 'atom') throw new ImapParseError('Invalid fetch item', x.pos);
      return parseItem(x.v, x.pos);
    });
  }
  throw new ImapParseError('Invalid fetch item', t.pos);
}

function parseItem(text: string, pos: number): FetchItem {
  const up = text.toUpperCase();
  if (SIMPLE.has(up)) return { kind: up } as FetchItem;
  const m = /^(BODY|BODY\.PEEK|BINARY|BINARY\.PEEK|BINARY\.SIZE)\[([^\]]*)\](?:<(\d+)\.(\d+)>)?$/i.exec(text);
  if (!m) throw new ImapParseError(`Unknown parameter: ${text}`, pos);
  const name = m[1].toUpperCase();
  const spec = m[2];
  let partial: [number, number] | null = null;
  if (m[3] !== undefined) {
    const len = Number(m[4]);
    if (len === 0 || !Number.isSafeInteger(Number(m[3])) || !Number.isSafeInteger(len))
      throw new ImapParseError('Invalid partial', pos);
    partial = [Number(m[3]), len];
  }
  const partialLabel = partial ? `<${partial[0]}>` : '';
  if (name.startsWith('BINARY')) {
    if (spec !== '' && !/^[1-9]\d*(\.[1-9]\d*)*$/.test(spec))
      throw new ImapParseError('Invalid BINARY section', pos);
    const part = spec === '' ? [] : spec.split('.').map(Number);
    if (name === 'BINARY.SIZE') {
      if (partial) throw new ImapParseError('BINARY.SIZE takes no partial', pos);
      return { kind: 'binary.size', part, label: `BINARY.SIZE[${spec}]` };
    }
    return {
      kind: 'binary',
      part,
      peek: name === 'BINARY.PEEK',
      partial,
      label: `BINARY[${spec}]${partialLabel}`,
    };
  }
  const section = parseSection(spec, pos);
  return {
    kind: 'section',
    section,
    peek: name === 'BODY.PEEK',
    partial,
    label: `BODY[${sectionLabel(section)}]${partialLabel}`,
  };
}

/** section-spec = section-msgtext / (section-part ["." section-text]) */
function parseSection(spec: string, pos: number): Section {
  const m =
    /^((?:\d{1,9})(?:\.\d{1,9})*)?(?:(?:^|\.)(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)(?: (.*))?)?$/is.exec(
      spec,
    );
  if (!m) throw new ImapParseError(`Invalid section ${spec}`, pos);
  const part = m[1] ? m[1].split('.').map(Number) : [];
  const text = (m[2] ?? '').toUpperCase() as Section['text'];
  if (text === 'MIME' && !part.length) throw new ImapParseError('MIME needs a part number', pos);
  let fields: string[] = [];
  if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
    const list = /^\((.*)\)$/s.exec(m[3] ?? '');
    if (!list) throw new ImapParseError('Missing header field list', pos);
    fields = readHeaderList(list[1], pos);
    if (!fields.length) throw new ImapParseError('Empty header field list', pos);
  } else if (m[3] !== undefined) throw new ImapParseError(`Invalid section ${spec}`, pos);
  return { part, text, fields };
}

/** header-list = "(" header-fld-name *(SP header-fld-name) ")", header-fld-name = astring */
function readHeaderList(s: string, pos: number): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s()"]+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
    if (re.lastIndex >= s.length) break;
  }
  if (re.lastIndex < s.trimEnd().length) throw new ImapParseError('Invalid header field list', pos);
  for (const f of out)
    if (!/^[!-9;-~]+$/.test(f)) throw new ImapParseError(`Invalid header field name ${f}`, pos);
  return out;
}

/** The section as echoed in the response: upper case, header names upper-cased (as Dovecot does). */
function sectionLabel(s: Section): string {
  const part = s.part.join('.');
  let text: string = s.text;
  if (s.fields.length) text += ` (${s.fields.map((f) => f.toUpperCase()).join(' ')})`;
  return part && text ? `${part}.${text}` : part || text;
}

/** Items that read the body and so set \Seen unless PEEK or read-only (RFC 9051 §6.4.5). */
export function setsSeen(item: FetchItem): boolean {
  if (item.kind === 'RFC822' || item.kind === 'RFC822.TEXT') return true;
  if (item.kind === 'section' || item.kind === 'binary') return !item.peek;
  return false;
}
