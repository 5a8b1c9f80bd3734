import { createMailServer } from '../server/server';
import type { ServerFactory } from './world';

/** The real engine: POP3 and IMAP sessions over the world's store, on the world's clock. */
export const defaultServerFactory: ServerFactory = ({ store, now }) => createMailServer({ store, now });
