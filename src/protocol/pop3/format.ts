import type { ByteString } from '../../mail/types';
import type { Pop3Reply } from './types';

/**
 * The one place POP3 replies become bytes (RFC 1939 §3, RFC 2449 §8):
 *
 *   "+OK" / "-ERR", then " [CODE]" when there is a response code, then " text", then CRLF;
 *   for a multi-line reply every line follows, a line starting with "." gets one more "."
 *   (byte-stuffing), and a line holding a single "." ends the reply.
 *
 * A SASL continuation (RFC 5034 §4) is "+ " followed by the base64 challenge (empty for PLAIN).
 */
export function formatPop3Reply(reply: Pop3Reply): ByteString {
  if (reply.wire !== undefined) return reply.wire;
  if (reply.continuation) return '+ ' + reply.text + '\r\n';
  let out = reply.ok ? '+OK' : '-ERR';
  if (reply.code) out += ' [' + reply.code + ']';
  if (reply.text) out += ' ' + reply.text;
  out += '\r\n';
  if (reply.lines) {
    const lines = reply.lines;
    const parts = new Array<string>(lines.length + 1);
    for (let i = 0; i < lines.length; i++)
      parts[i] = lines[i].charCodeAt(0) === 46 ? '.' + lines[i] : lines[i];
    parts[lines.length] = '.\r\n';
    out += lines.length ? parts.join('\r\n') : parts[0];
  } else if (reply.body !== undefined) {
    out += (reply.bodyNeedsNoStuffing ? reply.body : dotStuff(reply.body)) + '.\r\n';
  }
  return out;
}

/**
 * Byte-stuffs message octets for a multi-line reply and makes sure they end with CRLF (a message
 * whose last line has no CRLF still needs one before the terminating ".": Dovecot adds it too,
 * measured). Lines are stuffed after a bare LF as well, so a stray LF can never let a "." line
 * end the reply early.
 */
export function dotStuff(octets: ByteString): ByteString {
  if (octets.length === 0) return octets;
  let s = octets.indexOf('\n.') >= 0 ? octets.replace(/\n\./g, '\n..') : octets;
  if (s.charCodeAt(0) === 46) s = '.' + s;
  if (!s.endsWith('\r\n')) s += s.endsWith('\r') ? '\n' : '\r\n';
  return s;
}

/** Undoes byte-stuffing of a received multi-line body (lines without CRLF, terminator removed). */
export function unstuffLine(line: ByteString): ByteString {
  return line.charCodeAt(0) === 46 ? line.slice(1) : line;
}
