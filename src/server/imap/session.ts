import type { SessionFactory } from '../types';

/** Placeholder until the IMAP server lands: greets with BYE and closes, as allowed by issue 2. */
export const createImapSession: SessionFactory = (host) => ({
  state: 'Logout',
  start() {
    host.write('* BYE IMAP is not available yet\r\n');
    host.end('logout');
  },
  receive() {},
  dropped() {},
});
