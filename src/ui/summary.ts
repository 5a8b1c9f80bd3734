/**
 * What a message card shows: the decoded Subject and the sender's name. Read from the header
 * block only (RFC 5322 §2.2: fields up to the first empty line, folded lines joined) with the
 * browser's own TextDecoder for charsets. The full MIME parser (`summarize` in mail/mime: part
 * tree, text preview, address groups) stays out of the first load; the IMAP chunk brings it.
 * `tests/ui/summary.test.ts` checks both agree on every lab message.
 */
import type { ByteString } from '../mail/types';

/** The first `name:` field of the header block, unfolded (RFC 5322 §2.2.3), or null. */
export function headerField(raw: ByteString, name: string): ByteString | null {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const field = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return field ? field[1].replace(/\r?\n(?=[ \t])/g, '').trim() : null;
}

/** Octets as text in a charset; unknown charsets and invalid bytes fall back to Latin-1. */
function decode(bytes: ByteString, charset: string): string {
  const octets = Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 0xff);
  try {
    return new TextDecoder(charset, { fatal: true }).decode(octets);
  } catch {
    return bytes;
  }
}

/** Raw 8-bit header octets: UTF-8 when they are valid UTF-8 (RFC 6532), else Latin-1. */
const rawText = (bytes: ByteString) => (/[\x80-\xff]/.test(bytes) ? decode(bytes, 'utf-8') : bytes);

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * RFC 2047 encoded-words (`=?UTF-8?B?...?=`, `=?ISO-8859-1?Q?...?=`); white space between two
 * adjacent encoded-words is dropped (§6.2), so a long subject split over several words reads whole.
 */
export function decodeHeader(value: ByteString): string {
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: string } | null = null;
  const flush = () => {
    if (pending) out += decode(pending.bytes, pending.charset);
    pending = null;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const gap = value.slice(last, m.index);
    const charset = m[1].split('*')[0]; // RFC 2231 §5: "charset*language"
    let bytes: string;
    try {
      bytes = /b/i.test(m[2])
        ? atob(m[3])
        : m[3]
            .replace(/_/g, ' ')
            .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    } catch {
      bytes = m[0];
    }
    if (!(pending && /^[ \t\r\n]*$/.test(gap))) {
      flush();
      out += rawText(gap);
    }
    if (pending && pending.charset.toLowerCase() === charset.toLowerCase()) pending.bytes += bytes;
    else {
      flush();
      pending = { charset, bytes };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + rawText(value.slice(last));
}

/**
 * The sender of a From field (RFC 5322 §3.4): the display name of its first mailbox, or its
 * address when it has no name. A group ("Friends: a@b, c@d;") names its first member.
 */
function sender(from: ByteString): string {
  let value = from.replace(/^[^:"<]*:\s*/, ''); // a group's display name
  value = value.replace(/\s*\((?:[^()\\]|\\.)*\)/g, ' ').trim(); // comments
  const first = /^((?:"(?:[^"\\]|\\.)*"|[^,<"])*)(?:<([^>]*)>)?/.exec(value);
  const phrase = (first?.[1] ?? '').trim();
  const angle = first?.[2];
  if (angle === undefined) return phrase.replace(/[;,].*$/, '').trim();
  const name = decodeHeader(phrase.replace(/^"((?:[^"\\]|\\.)*)"$/, '$1').replace(/\\(.)/g, '$1')).trim();
  return name || angle.trim();
}

export function cardSummary(raw: ByteString): { subject: string; from: string } {
  const subject = decodeHeader(headerField(raw, 'Subject') ?? '').trim();
  const from = sender(headerField(raw, 'From') ?? '');
  return { subject: subject || '(no subject)', from: from || '(unknown sender)' };
}
