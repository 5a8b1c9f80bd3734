import { ImapParseError } from '../parser';
import { bad, no, type CommandResult, type ImapCommand, type ImapContext } from '../types';
import { authenticate as finish } from './login';

/** Decodes base64; null when it is not valid base64 (RFC 4648 §4). */
function base64Decode(s: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const ch of s.replace(/=+$/, '')) {
    acc = (acc << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

/** SASL PLAIN message: [authzid] NUL authcid NUL passwd (RFC 4616 §2). */
function plain(ctx: ImapContext, response: string): CommandResult {
  if (response === '*') return bad('Authentication aborted by client.');
  const decoded = base64Decode(response.trim());
  if (decoded === null) return bad('Invalid base64 data in continued response');
  const parts = decoded.split('\0');
  if (parts.length !== 3) return no('Authentication failed.', 'AUTHENTICATIONFAILED');
  const [authzid, user, password] = parts;
  if (authzid !== '' && authzid !== user) return no('Authentication failed.', 'AUTHENTICATIONFAILED');
  return finish(ctx, user, password);
}

/** RFC 9051 §6.2.2 with SASL-IR (RFC 4959): the initial response may follow the mechanism. */
export const authenticate: ImapCommand<{ mechanism: string; initial: string | null }> = {
  doc: {
    name: 'AUTHENTICATE',
    syntax: 'tag AUTHENTICATE mechanism [initial-response]',
    states: ['Not Authenticated'],
    summary:
      'Logs in with a SASL mechanism. With PLAIN the client sends base64 of "\\0user\\0password", either right after the mechanism name (SASL-IR) or after the server\'s "+" prompt.',
    rfc: 'RFC 9051 §6.2.2, RFC 4959, RFC 4616',
    examples: ['a1 AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=', 'a1 AUTHENTICATE PLAIN'],
  },
  states: ['Not Authenticated'],
  parse(args) {
    const pos = args.pos;
    const mechanism = args.atom('SASL mechanism').toUpperCase();
    const initial = args.done ? null : args.atom('initial response');
    args.end();
    if (!/^[A-Z0-9_-]+$/.test(mechanism)) throw new ImapParseError('Invalid SASL mechanism', pos);
    return { mechanism, initial };
  },
  handle(ctx, p) {
    if (p.mechanism !== 'PLAIN') return no('Unsupported authentication mechanism.');
    // "=" is an empty initial response (RFC 4959 §3).
    if (p.initial !== null) return plain(ctx, p.initial === '=' ? '' : p.initial);
    return { status: 'OK', text: '', continuation: { prompt: '', resume: (line) => plain(ctx, line) } };
  },
};
