import type { ByteString } from '../mail/types';

/** What a device's message list shows, read from the header a device downloaded. */
export interface MessageSummary {
  /** Message-ID without angle brackets; the identity used to compare copies across devices. */
  messageId: string;
  subject: string;
  from: string;
}

/**
 * Reads Message-ID, Subject and From from an RFC 5322 header (§2.2: fields end
 * at the first empty line; folded lines continue with whitespace). Kept tiny on
 * purpose: devices only need these three fields to be recognisable.
 */
const FIELD = {
  'Message-ID': /^Message-ID:[ \t]*(.*)$/im,
  Subject: /^Subject:[ \t]*(.*)$/im,
  From: /^From:[ \t]*(.*)$/im,
};

export function summarizeHeader(raw: ByteString): MessageSummary {
  const end = raw.indexOf('\r\n\r\n');
  const header = (end < 0 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  // A message without Message-ID still needs an identity: a hash of its bytes.
  const id = field(header, 'Message-ID').replace(/^<|>$/g, '') || `no-id-${fnv1a(raw)}`;
  return { messageId: id, subject: field(header, 'Subject'), from: field(header, 'From') };
}

/** One field's unfolded value, trimmed and detached, or '' when the header has none. */
function field(header: string, name: keyof typeof FIELD): string {
  const m = FIELD[name].exec(header);
  return m ? detach(m[1].trim()) : '';
}

/**
 * A copy of a short string cut out of a long one. JavaScript engines cut substrings as views of
 * the string they come from (V8 from 13 characters on), so a subject read out of a message
 * would keep the whole message alive: a simulated year kept every downloaded body of every
 * device in memory that way (docs/world.md, round 4). Concatenating first makes the engine copy.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** 32-bit FNV-1a over the octets, as 8 hex digits. */
export function fnv1a(s: ByteString): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
