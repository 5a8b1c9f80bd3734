import { err, ok, type Pop3Context, type Pop3Reply } from '../types';

/**
 * The end of every successful or failed authentication (PASS, APOP, AUTH), so all three answer
 * alike. Replies are Dovecot's (measured): "+OK Logged in.", "-ERR [AUTH] Authentication
 * failed." (RFC 3206 §4: the credentials were wrong) and "-ERR [IN-USE] ..." (RFC 2449 §8.1.1:
 * another session holds the maildrop lock, RFC 1939 §8).
 */
export function logIn(ctx: Pop3Context, user: string, credentialsOk: boolean): Pop3Reply {
  if (!credentialsOk) return err('Authentication failed.', 'AUTH', { event: { type: 'auth.failed' } });
  const maildrop = ctx.openMaildrop(user);
  if (!maildrop) {
    // RFC 1939 §8 lets the server keep the connection after a refusal; Dovecot hangs up, we
    // stay in AUTHORIZATION so the learner can try again once the other session has quit.
    return err('Mailbox is locked by another POP3 session.', 'IN-USE', { event: { type: 'auth.failed' } });
  }
  return ok('Logged in.', { event: { type: 'auth.ok', user, maildrop } });
}
