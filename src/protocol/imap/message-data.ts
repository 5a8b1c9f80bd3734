/**
 * FETCH data computed from a message's bytes (RFC 9051 §7.5.2): ENVELOPE, BODY and
 * BODYSTRUCTURE, and the octets of BODY[section]. The MIME model (src/mail/mime.ts) gives every
 * part's exact byte range; this module only shapes them as IMAP wants, the way Dovecot does.
 */
import {
  findPart,
  getMime,
  headerValues,
  parseAddressList,
  toEnvelopeAddresses,
  type MimeParam,
  type MimePart,
} from '../../mail/mime';
import type { ByteString } from '../../mail/types';
import { cat, humans, nstr, str, type ImapValue } from './formatter';

// ---------------------------------------------------------------------------------------------
// ENVELOPE

function lastHeader(part: MimePart, name: string): ByteString | null {
  const all = headerValues(part, name);
  return all.length ? all[all.length - 1] : null;
}

function addressList(part: MimePart, name: string): ImapValue {
  const v = lastHeader(part, name);
  if (v === null) return null;
  const list = toEnvelopeAddresses(parseAddressList(v));
  if (!list.length) return null;
  return [
    cat(
      list.map((a) => [a.name === null ? null : humans(a.name), nstr(a.adl), nstr(a.mailbox), nstr(a.host)]),
    ),
  ];
}

/**
 * envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to
 *            SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
 * Sender and Reply-To default to From (RFC 9051 §7.5.2).
 */
export function envelope(part: MimePart | null): ImapValue {
  if (!part) return [null, null, null, null, null, null, null, null, null, null];
  const subject = lastHeader(part, 'Subject');
  const from = addressList(part, 'From');
  const sender = addressList(part, 'Sender');
  const replyTo = addressList(part, 'Reply-To');
  return [
    nstr(lastHeader(part, 'Date')),
    subject === null ? null : humans(subject),
    from,
    sender ?? from,
    replyTo ?? from,
    addressList(part, 'To'),
    addressList(part, 'Cc'),
    addressList(part, 'Bcc'),
    nstr(lastHeader(part, 'In-Reply-To')),
    nstr(lastHeader(part, 'Message-ID')),
  ];
}

// ---------------------------------------------------------------------------------------------
// BODY / BODYSTRUCTURE

function params(list: readonly MimeParam[]): ImapValue {
  if (!list.length) return null;
  const out: ImapValue[] = [];
  for (const p of list) out.push(str(p.name), str(p.value));
  return out;
}

function disposition(part: MimePart): ImapValue {
  const d = part.contentDisposition;
  if (!d) return null;
  return [str(d.type), params(d.params)];
}

function language(part: MimePart): ImapValue {
  const l = part.contentLanguage;
  if (!l || !l.length) return null;
  return l.map((x) => str(x));
}

const EMPTY_TEXT_BODY = (extended: boolean): ImapValue => {
  const base: ImapValue[] = [
    str('text'),
    str('plain'),
    [str('charset'), str('us-ascii')],
    null,
    null,
    str('7bit'),
    0,
    0,
  ];
  return extended ? [...base, null, null, null, null] : base;
};

/** body = body-type-1part / body-type-mpart; `extended` adds the BODYSTRUCTURE extension data. */
export function bodyStructure(part: MimePart, extended: boolean): ImapValue {
  const ct = part.contentType;
  if (part.children.length) {
    const out: ImapValue[] = [cat(part.children.map((c) => bodyStructure(c, extended))), str(ct.subtype)];
    if (extended) out.push(params(ct.params), disposition(part), language(part), nstr(part.contentLocation));
    return out;
  }
  const size = part.bodyEnd - part.bodyStart;
  const out: ImapValue[] = [
    str(ct.type),
    str(ct.subtype),
    params(ct.params),
    nstr(part.contentId),
    nstr(part.contentDescription),
    str(part.contentTransferEncoding),
    size,
  ];
  const media = ct.mediaType;
  if (media === 'message/rfc822' || media === 'message/global') {
    if (part.message) out.push(envelope(part.message), bodyStructure(part.message, extended), part.bodyLines);
    else out.push(envelope(null), EMPTY_TEXT_BODY(extended), part.bodyLines);
  } else if (ct.type.toLowerCase() === 'text') {
    out.push(part.bodyLines);
  }
  if (extended)
    out.push(nstr(part.contentMd5), disposition(part), language(part), nstr(part.contentLocation));
  return out;
}

// ---------------------------------------------------------------------------------------------
// BODY[section]

/** section-spec (RFC 9051 §6.4.5) after parsing. */
export interface Section {
  /** Part numbers, [] for the whole message. */
  part: number[];
  /** What of that part: the whole part, or a message's header/text, or a part's MIME header. */
  text: '' | 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  fields: string[];
}

/**
 * The part a part specifier names. Like Dovecot, a leaf that is neither multipart nor
 * message/rfc822 answers to ".1" as itself (BODY[1.1] of a text/plain part 1 is that part),
 * the way a single-part message answers to BODY[1].
 */
export function resolvePart(root: MimePart, part: readonly number[]): MimePart | null {
  if (part.includes(0)) return null;
  const direct = findPart(root, part);
  if (direct) return direct;
  let end = part.length;
  while (end > 1 && part[end - 1] === 1) {
    end--;
    const p = findPart(root, part.slice(0, end));
    // Only a part inside a multipart; the top-level message has no "1.1" of itself.
    if (p) return p !== root && !p.children.length && !p.message ? p : null;
  }
  return null;
}

/** The message (root or encapsulated) whose HEADER/TEXT a section names, or null. */
function messageFor(root: MimePart, part: number[]): MimePart | null {
  if (!part.length) return root;
  const p = resolvePart(root, part);
  return p?.message ?? null;
}

function headerFields(raw: ByteString, msg: MimePart, names: string[], not: boolean): ByteString {
  const wanted = new Set(names.map((n) => n.toUpperCase()));
  let out = '';
  for (const f of msg.headers) {
    if (wanted.has(f.name.toUpperCase()) !== not) out += raw.slice(f.start, f.end);
  }
  return out + '\r\n';
}

/**
 * The octets a section names, or '' when the part does not exist (Dovecot answers such a
 * request with an empty literal, not NIL).
 */
export function sectionBytes(raw: ByteString, section: Section): ByteString {
  const { part, text } = section;
  // BODY[] is the whole message: no need to parse it (mail apps fetch new mail this way).
  if (text === '' && !part.length) return raw;
  const root = getMime(raw);
  if (text === 'HEADER' || text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT' || text === 'TEXT') {
    const msg = messageFor(root, part);
    if (!msg) return '';
    if (text === 'TEXT') return raw.slice(msg.bodyStart, msg.bodyEnd);
    if (text === 'HEADER') return raw.slice(msg.headerStart, msg.headerEnd);
    return headerFields(raw, msg, section.fields, text === 'HEADER.FIELDS.NOT');
  }
  if (part.includes(0)) return '';
  const p = resolvePart(root, part);
  if (!p) return '';
  if (text === 'MIME') {
    // The MIME header of the top-level "part 1" of a single-part message is the message header.
    return raw.slice(p.headerStart, p.headerEnd);
  }
  return raw.slice(p.bodyStart, p.bodyEnd);
}

/** The part BINARY[section] decodes (RFC 3516), or null. */
export function binaryPart(raw: ByteString, part: number[]): MimePart | null {
  const root = getMime(raw);
  if (!part.length) return root;
  return resolvePart(root, part);
}
