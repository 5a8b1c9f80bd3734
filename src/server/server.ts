import { createMailServer as createMailServerCore, type MailServer, type MailServerOptions } from './core';
import { createImapSession } from './imap/session';
import { createPop3Session } from './pop3/session';

export * from './core';

/**
 * A mail server speaking both POP3 and IMAP over one store. (The page builds its server from
 * ./core with POP3 only and adds IMAP when a device first needs it, to keep the first load small.)
 */
export function createMailServer(options: MailServerOptions): MailServer {
  return createMailServerCore({
    ...options,
    sessionFactories: { pop3: createPop3Session, imap: createImapSession, ...options.sessionFactories },
  });
}
