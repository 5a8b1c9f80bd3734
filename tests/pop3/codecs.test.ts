import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../src/protocol/base64';
import { md5Hex } from '../../src/protocol/md5';

const byteString = fc.uint8Array({ maxLength: 300 }).map((b) => String.fromCharCode(...b));

describe('md5', () => {
  it('matches RFC 1321 test vectors and the RFC 1939 APOP example', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(md5Hex('<1896.697170952@dbc.mtview.ca.us>tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb');
  });

  it('agrees with Node crypto on any bytes (block boundaries included)', () => {
    fc.assert(
      fc.property(byteString, (s) => {
        expect(md5Hex(s)).toBe(createHash('md5').update(Buffer.from(s, 'latin1')).digest('hex'));
      }),
    );
  });
});

describe('base64', () => {
  it('agrees with Node Buffer and round-trips', () => {
    fc.assert(
      fc.property(byteString, (s) => {
        const enc = encodeBase64(s);
        expect(enc).toBe(Buffer.from(s, 'latin1').toString('base64'));
        expect(decodeBase64(enc)).toBe(s);
      }),
    );
  });

  it('rejects what is not canonical base64', () => {
    for (const bad of ['YQ', 'YQ=', 'Y===', 'YR==', '!!!!', 'YW Jj', 'YWJj=', 'Y=Jj', '\xffWJj'])
      expect(decodeBase64(bad)).toBeNull();
    expect(decodeBase64('')).toBe('');
    expect(decodeBase64('AGFsaWNlAHdvbmRlcmxhbmQ=')).toBe('\0alice\0wonderland');
  });
});
