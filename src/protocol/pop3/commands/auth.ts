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
    'Logs in with a SASL mechanism. This server offers PLAIN: the base64 of ' +
    '"authorization-id NUL user NUL password". Send it on the same line (the initial response, ' +
    '"=" for an empty one) or alone after the server\'s "+ " prompt; "*" cancels. AUTH with no ' +
    'mechanism lists the mechanisms, as Dovecot does.',
  rfc: 'RFC 5034 §4; RFC 4616 (PLAIN)',
  examples: ['AUTH', 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=', 'AUTH PLAIN'],
  args: { kind: 'words', min: 0, max: Number.POSITIVE_INFINITY },
  handler(ctx, args) {
    const [mechanism, initial, ...extra] = args.words;
    // Bare AUTH: Dovecot lists its mechanisms as a multi-line reply (measured; this is the
    // pre-RFC 5034 form that some clients still probe with).
    if (mechanism === undefined) return ok('', { lines: POP3_SASL_MECHANISMS });
    if (mechanism.toUpperCase() !== 'PLAIN') return err('Unsupported authentication mechanism.', 'AUTH');
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

/** The line after "+ ": the client's SASL response, or "*" to cancel (RFC 5034 §4). */
export function continueAuth(ctx: Pop3Context, line: ByteString): Pop3Reply {
  if (line === '*')
    return err('Authentication aborted by client.', undefined, { event: { type: 'auth.failed' } });
  const decoded = decodeBase64(line);
  if (decoded === null) return err('Invalid base64 in response', 'AUTH', { event: { type: 'auth.failed' } });
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
