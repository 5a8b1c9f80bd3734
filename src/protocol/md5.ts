import type { ByteString } from '../mail/types';

/**
 * MD5 (RFC 1321), needed for POP3 APOP (RFC 1939 §7): the client proves it knows the password by
 * sending MD5(timestamp-banner + password). The core has no crypto API it may rely on in both
 * the browser and Node synchronously, so this is a small implementation of the RFC's algorithm.
 * MD5 is broken as a hash; APOP is shown here because the lab teaches the protocol as it is.
 */

// Per-round shift amounts (RFC 1321 §3.4).
const S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
  21, 6, 10, 15, 21,
];
// T[i] = floor(abs(sin(i + 1)) * 2^32) (RFC 1321 §3.4).
const T = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0);

export function md5(bytes: ByteString): Uint8Array {
  const len = bytes.length;
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit little endian (§3.1, §3.2).
  const total = (((len + 8) >> 6) + 1) << 6;
  const buf = new Uint8Array(total);
  for (let i = 0; i < len; i++) buf[i] = bytes.charCodeAt(i) & 0xff;
  buf[len] = 0x80;
  const bitLen = len * 8;
  for (let i = 0; i < 8; i++) buf[total - 8 + i] = Math.floor(bitLen / 2 ** (8 * i)) & 0xff;

  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const M = new Int32Array(16);
  for (let off = 0; off < total; off += 64) {
    for (let j = 0; j < 16; j++) {
      const p = off + j * 4;
      M[j] = buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const tmp = d;
      d = c;
      c = b;
      const x = (a + f + T[i] + M[g]) | 0;
      b = (b + ((x << S[i]) | (x >>> (32 - S[i])))) | 0;
      a = tmp;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const out = new Uint8Array(16);
  [a0, b0, c0, d0].forEach((w, k) => {
    for (let i = 0; i < 4; i++) out[k * 4 + i] = (w >>> (8 * i)) & 0xff;
  });
  return out;
}

/** Lower-case hex MD5 digest, as APOP sends it. */
export function md5Hex(bytes: ByteString): string {
  let s = '';
  for (const b of md5(bytes)) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}
