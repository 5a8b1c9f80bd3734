import { createMailServer as createMailServerCore, type MailServer, type MailServerOptions } from './core';
import { createImapSession } from './imap/session';
import { createPop3SessionFactory, type Pop3SessionOptions } from './pop3/session';

export * from './core';

/**
 * A mail server speaking both POP3 and IMAP over one store. (The page builds its server from
 * ./core with POP3 only and adds IMAP when a device first needs it, to keep the first load small.)
 * `badCommandLimits` sets when POP3 hangs up on bad commands (default: Dovecot's 3 before login,
 * 21 after; see Pop3BadCommandLimits).
 */
export function createMailServer(options: MailServerOptions & Pop3SessionOptions): MailServer {
  const { badCommandLimits, ...core } = options;
  return createMailServerCore({
    ...core,
    sessionFactories: {
      pop3: createPop3SessionFactory({ badCommandLimits }),
      imap: createImapSession,
      ...options.sessionFactories,
    },
  });
}
