import { byteStringToUtf8 } from '../../../mail/store';
import type { ByteString } from '../../../mail/types';
import { decodeBase64 } from '../../base64';
import { POP3_SASL_MECHANISMS, err, ok, type Pop3Command, type Pop3Context, type Pop3Reply } from '../types';
import { logIn } from './login';

export const auth: Pop3Command = {
  name: 'AUTH',
  syntax: 'AUTH [mechanism [initial-response]]',
  states: ['AUTHORIZATION'],
  summary:
    'Logs in with a SASL mechanism. PLAIN: the base64 of "authorization-id NUL user NUL ' +
    'password", on the same line (the initial response, "=" for an empty one) or alone after the ' +
    'server\'s "+ " prompt. LOGIN: the user name, then the password, each in base64 after its own ' +
    'prompt ("+ VXNlcm5hbWU6" is "Username:"). "*" cancels. AUTH with no mechanism lists the ' +
    'mechanisms, as Dovecot does.',
  rfc: 'RFC 5034 §4; RFC 4616 (PLAIN)',
  examples: ['AUTH', 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=', 'AUTH PLAIN', 'AUTH LOGIN'],
  args: { kind: 'words', min: 0, max: Number.POSITIVE_INFINITY },
  handler(ctx, args) {
    const [mechanism, initial, ...extra] = args.words;
    // Bare AUTH: Dovecot lists its mechanisms as a multi-line reply (measured; this is the
    // pre-RFC 5034 form that some clients still probe with).
    if (mechanism === undefined) return ok('', { lines: POP3_SASL_MECHANISMS });
    const upper = mechanism.toUpperCase();
    if (upper !== 'PLAIN' && upper !== 'LOGIN') return err('Unsupported authentication mechanism.', 'AUTH');
    if (upper === 'LOGIN') {
      if (extra.length) return invalidBase64('initial response');
      // No initial response, or an empty one: ask for the user name (Dovecot's mech-login).
      if (initial === undefined || initial === '=') return prompt(USERNAME_PROMPT);
      return loginUser(initial, 'initial response');
    }
    if (initial === undefined) {
      // RFC 5034 §4: no initial response, so send an empty challenge and wait for one line.
      return {
        ok: true,
        continuation: true,
        text: '',
        event: { type: 'auth.challenge', mechanism: 'PLAIN' },
      };
    }
    // "=" is the empty initial response (RFC 5034 §4).
    const decoded = extra.length ? null : initial === '=' ? '' : decodeBase64(initial);
    if (decoded === null)
      return err('Invalid base64 data in initial response', 'AUTH', { event: { type: 'auth.failed' } });
    return plainLogin(ctx, decoded);
  },
};

/** Base64 of the prompts of the LOGIN mechanism: "Username:" and "Password:". */
const USERNAME_PROMPT = 'VXNlcm5hbWU6';
const PASSWORD_PROMPT = 'UGFzc3dvcmQ6';

function prompt(challenge: string, user?: string): Pop3Reply {
  return {
    ok: true,
    continuation: true,
    text: challenge,
    event: { type: 'auth.challenge', mechanism: 'LOGIN', ...(user === undefined ? {} : { user }) },
  };
}

function invalidBase64(what: 'initial response' | 'response'): Pop3Reply {
  return err(
    what === 'response' ? 'Invalid base64 in response' : 'Invalid base64 data in initial response',
    'AUTH',
    {
      event: { type: 'auth.failed' },
    },
  );
}

/** LOGIN's first answer: the user name; the password is asked for next. */
function loginUser(response: ByteString, what: 'initial response' | 'response'): Pop3Reply {
  const user = decodeBase64(response);
  if (user === null) return invalidBase64(what);
  return prompt(PASSWORD_PROMPT, byteStringToUtf8(user));
}

/** The line after "+ ": the client's SASL response, or "*" to cancel (RFC 5034 §4). */
export function continueAuth(ctx: Pop3Context, line: ByteString): Pop3Reply {
  if (line === '*')
    return err('Authentication aborted by client.', undefined, { event: { type: 'auth.failed' } });
  if (ctx.sasl === 'LOGIN' && ctx.saslUser === null) return loginUser(line, 'response');
  const decoded = decodeBase64(line);
  if (decoded === null) return invalidBase64('response');
  if (ctx.sasl === 'LOGIN') {
    const user = ctx.saslUser ?? '';
    return logIn(ctx, user, ctx.checkPassword(user, byteStringToUtf8(decoded)));
  }
  return plainLogin(ctx, decoded);
}

/**
 * PLAIN (RFC 4616 §2): [authzid] NUL authcid NUL passwd, UTF-8. We have no admin accounts
 * that may act for others, so an authzid must be empty or the same user (Dovecot agrees,
 * measured).
 */
function plainLogin(ctx: Pop3Context, message: ByteString): Pop3Reply {
  const parts = message.split('\0');
  if (parts.length !== 3) return logIn(ctx, '', false);
  const [authzid, authcid, password] = parts.map(byteStringToUtf8);
  if (authzid !== '' && authzid !== authcid) return logIn(ctx, authcid, false);
  return logIn(ctx, authcid, ctx.checkPassword(authcid, password));
}
