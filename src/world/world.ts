/**
 * The world with the whole engine built in: POP3 and IMAP servers and both halves of the
 * devices' mail apps. Node, the CLI and the tests use this; the page builds a `WorldCore` with
 * POP3 alone and adds IMAP when a device first needs it (src/ui).
 */
import { ImapClient } from '../client/imap';
import { WorldCore, type WorldData, type WorldOptions } from './core';
import { defaultServerFactory } from './server-factory';

export * from './core';

export class World extends WorldCore {
  constructor(data: WorldData, options: WorldOptions = {}) {
    super(data, {
      createServer: defaultServerFactory,
      imapClient: (env, device) => new ImapClient(env, device),
      ...options,
    });
  }
}
