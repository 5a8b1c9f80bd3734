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

/**
 * Decodes a client's SASL response. Dovecot answers bad base64 in the initial response (SASL-IR)
 * with BAD, and in a continuation line with NO [ALERT] (measured).
 */
function decodeResponse(response: string, initial: boolean): string | CommandResult {
  const decoded = base64Decode(response.trim());
  if (decoded !== null) return decoded;
  return initial ? bad('Invalid base64 data in initial response') : no('Invalid base64 in response', 'ALERT');
}

/** SASL PLAIN message: [authzid] NUL authcid NUL passwd (RFC 4616 §2). */
function plain(ctx: ImapContext, response: string, initial: boolean): CommandResult {
  if (response === '*') return bad('Authentication aborted by client.');
  const decoded = decodeResponse(response, initial);
  if (typeof decoded !== 'string') return decoded;
  const parts = decoded.split('\0');
  if (parts.length !== 3) return no('Authentication failed.', 'AUTHENTICATIONFAILED');
  const [authzid, user, password] = parts;
  if (authzid !== '' && authzid !== user) return no('Authentication failed.', 'AUTHENTICATIONFAILED');
  return finish(ctx, user, password);
}

/** Base64 of the prompts every LOGIN-mechanism server sends: "Username:" and "Password:". */
const USERNAME_PROMPT = 'VXNlcm5hbWU6';
const PASSWORD_PROMPT = 'UGFzc3dvcmQ6';

/**
 * The LOGIN mechanism (draft-murchison-sasl-login, obsolete but offered by Dovecot and used
 * by old clients): the user name and the password, each base64, each after its own "+" prompt.
 * An initial response is the user name.
 */
function loginMechanism(ctx: ImapContext, initial: string | null): CommandResult {
  const askPassword = (userResponse: string, isInitial: boolean): CommandResult => {
    if (userResponse === '*') return bad('Authentication aborted by client.');
    const user = decodeResponse(userResponse, isInitial);
    if (typeof user !== 'string') return user;
    return {
      status: 'OK',
      text: '',
      continuation: {
        prompt: PASSWORD_PROMPT,
        resume: (line) => {
          if (line === '*') return bad('Authentication aborted by client.');
          const password = decodeResponse(line, false);
          if (typeof password !== 'string') return password;
          return finish(ctx, user, password);
        },
      },
    };
  };
  if (initial !== null) return askPassword(initial, true);
  return {
    status: 'OK',
    text: '',
    continuation: { prompt: USERNAME_PROMPT, resume: (line) => askPassword(line, false) },
  };
}

/** RFC 9051 §6.2.2 with SASL-IR (RFC 4959): the initial response may follow the mechanism. */
export const authenticate: ImapCommand<{ mechanism: string; initial: string | null }> = {
  doc: {
    name: 'AUTHENTICATE',
    syntax: 'tag AUTHENTICATE mechanism [initial-response]',
    states: ['Not Authenticated'],
    summary:
      'Logs in with a SASL mechanism. With PLAIN the client sends base64 of "\\0user\\0password", either right after the mechanism name (SASL-IR) or after the server\'s "+" prompt. With LOGIN it sends the user name and then the password, each in base64 after its own prompt.',
    rfc: 'RFC 9051 §6.2.2, RFC 4959, RFC 4616',
    examples: [
      'a1 AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=',
      'a1 AUTHENTICATE PLAIN',
      'a1 AUTHENTICATE LOGIN',
    ],
  },
  states: ['Not Authenticated'],
  parse(args) {
    const pos = args.pos;
    const t = args.next('SASL mechanism');
    // Dovecot takes a quoted or literal mechanism name as it is, so it matches no mechanism.
    const mechanism = t.t === 'atom' ? t.v.toUpperCase() : t.t === 'list' ? '' : `"${t.v}"`;
    if (t.t === 'list' || (t.t === 'atom' && !/^[A-Z0-9_-]+$/.test(mechanism)))
      throw new ImapParseError('Invalid SASL mechanism', pos);
    // Like Dovecot, anything after the initial response is ignored.
    const initial = args.done ? null : args.atom('initial response');
    return { mechanism, initial };
  },
  handle(ctx, p) {
    // "=" is an empty initial response (RFC 4959 §3).
    const initial = p.initial === '=' ? '' : p.initial;
    if (p.mechanism === 'LOGIN') return loginMechanism(ctx, initial);
    if (p.mechanism !== 'PLAIN') return no('Unsupported authentication mechanism.', 'ALERT');
    if (initial !== null) return plain(ctx, initial, true);
    return {
      status: 'OK',
      text: '',
      continuation: { prompt: '', resume: (line) => plain(ctx, line, false) },
    };
  },
};
