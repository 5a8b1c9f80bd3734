import type { ByteString } from '../mail/types';

/**
 * Base64 (RFC 4648 §4) over byte strings, for SASL (RFC 4422) in POP3 AUTH (RFC 5034) and IMAP
 * AUTHENTICATE. The core cannot use Buffer (Node) or btoa/atob (DOM), so this is a small codec
 * of its own.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: ByteString): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes.charCodeAt(i) & 0xff) << 16) |
      ((bytes.charCodeAt(i + 1) & 0xff) << 8) |
      (bytes.charCodeAt(i + 2) & 0xff);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes.charCodeAt(i) & 0xff) << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = ((bytes.charCodeAt(i) & 0xff) << 16) | ((bytes.charCodeAt(i + 1) & 0xff) << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + '=';
  }
  return out;
}

/**
 * Decodes canonical base64: the RFC 4648 alphabet, length a multiple of 4, at most two "=" and
 * only at the end. Returns null for anything else: RFC 4648 §3.3 tells decoders to reject
 * characters outside the alphabet, and Dovecot answers such SASL data with "Invalid base64".
 */
export function decodeBase64(text: string): ByteString | null {
  if (text.length % 4 !== 0) return null;
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const body = text.length - pad;
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < body; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero padding, or the encoding was not canonical.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}
