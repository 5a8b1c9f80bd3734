import { byteStringToUtf8, utf8ToByteString } from '../../../mail/store';
import { md5Hex } from '../../md5';
import { err, type Pop3Command } from '../types';
import { logIn } from './login';

export const apop: Pop3Command = {
  name: 'APOP',
  syntax: 'APOP name digest',
  states: ['AUTHORIZATION'],
  summary:
    'Logs in without sending the password: the greeting carries a unique timestamp such as ' +
    '<1896.697170952@host>, and the client sends the MD5 digest of that timestamp followed by the ' +
    'password, as 32 hex digits. Only someone who knows the password can compute it, and the ' +
    'digest is useless for the next session. MD5 is weak today; APOP is here to show the idea.',
  rfc: 'RFC 1939 §7',
  examples: ['APOP alice c4c9334bac560ecc979e58001b3e22fb'],
  // Dovecot answers any other number of words with "-ERR Invalid parameters." (measured).
  args: { kind: 'words', min: 2, max: 2 },
  handler(ctx, args) {
    // Dovecot checks the digest's form before asking its auth service (measured): not 32
    // characters is "Invalid parameters.", not hex is "Invalid characters in MD5 response.",
    // neither with a response code, and neither ends the exchange started by USER.
    if (args.words[1].length !== 32) return err('Invalid parameters.');
    if (!/^[0-9a-fA-F]+$/.test(args.words[1])) return err('Invalid characters in MD5 response.');
    const user = byteStringToUtf8(args.words[0]);
    const secret = ctx.secretOf(user);
    // The digest is hex; Dovecot accepts upper-case digits too (measured).
    const good =
      secret !== undefined && md5Hex(ctx.banner + utf8ToByteString(secret)) === args.words[1].toLowerCase();
    return logIn(ctx, user, good);
  },
};
