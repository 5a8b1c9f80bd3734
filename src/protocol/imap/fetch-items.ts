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
  /** RFC 7162 §3.1.4 */
  | { kind: 'MODSEQ' }
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
  'MODSEQ',
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
  const { section, label } = parseSection(spec, pos);
  return {
    kind: 'section',
    section,
    peek: name === 'BODY.PEEK',
    partial,
    label: `BODY[${label}]${partialLabel}`,
  };
}

/** section-spec = section-msgtext / (section-part ["." section-text]) */
function parseSection(spec: string, pos: number): { section: Section; label: string } {
  const m =
    /^((?:\d{1,9})(?:\.\d{1,9})*)?(?:(?:^|\.)(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)(?: (.*))?)?$/is.exec(
      spec,
    );
  if (!m) throw new ImapParseError(`Invalid section ${spec}`, pos);
  const part = m[1] ? m[1].split('.').map(Number) : [];
  const text = (m[2] ?? '').toUpperCase() as Section['text'];
  if (text === 'MIME' && !part.length) throw new ImapParseError('MIME needs a part number', pos);
  let list: { name: string; quoted: boolean }[] = [];
  if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
    const inner = /^\((.*)\)$/s.exec(m[3] ?? '');
    if (!inner) throw new ImapParseError('Missing header field list', pos);
    list = readHeaderList(inner[1], pos);
    if (!list.length) throw new ImapParseError('Empty header field list', pos);
  } else if (m[3] !== undefined) throw new ImapParseError(`Invalid section ${spec}`, pos);
  const section: Section = { part, text, fields: list.map((f) => f.name) };
  return {
    section,
    label: sectionLabel(
      section,
      list.map((f) => f.quoted),
    ),
  };
}

/** header-list = "(" header-fld-name *(SP header-fld-name) ")", header-fld-name = astring */
function readHeaderList(s: string, pos: number): { name: string; quoted: boolean }[] {
  const out: { name: string; quoted: boolean }[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^\s()"]+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    out.push(
      m[1] !== undefined
        ? { name: m[1].replace(/\\(.)/g, '$1'), quoted: true }
        : { name: m[2], quoted: false },
    );
    if (re.lastIndex >= s.length) break;
  }
  if (re.lastIndex < s.trimEnd().length) throw new ImapParseError('Invalid header field list', pos);
  for (const f of out)
    if (!/^[!-9;-~]+$/.test(f.name)) throw new ImapParseError(`Invalid header field name ${f.name}`, pos);
  return out;
}

/**
 * The section as echoed in the response: upper case, header names upper-cased, and a name the
 * client quoted stays quoted (as Dovecot does).
 */
function sectionLabel(s: Section, quotedFields: readonly boolean[]): string {
  const part = s.part.join('.');
  let text: string = s.text;
  if (s.fields.length)
    text += ` (${s.fields.map((f, i) => (quotedFields[i] ? `"${f.toUpperCase()}"` : f.toUpperCase())).join(' ')})`;
  return part && text ? `${part}.${text}` : part || text;
}

/** Items that read the body and so set \Seen unless PEEK or read-only (RFC 9051 §6.4.5). */
export function setsSeen(item: FetchItem): boolean {
  if (item.kind === 'RFC822' || item.kind === 'RFC822.TEXT') return true;
  if (item.kind === 'section' || item.kind === 'binary') return !item.peek;
  return false;
}
