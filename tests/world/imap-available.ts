import { World } from '../../src/world/world';

/**
 * Whether the real IMAP engine answers yet (before it lands, the server greets
 * with "* BYE IMAP is not available yet"). Tests that need IMAP skip only then.
 */
export const imapAvailable: boolean = (() => {
  const world = World.empty();
  const c = world.mailServer.connect('imap', { client: 'probe' });
  let greeting = '';
  c.onOutput((b) => (greeting += b));
  c.close();
  world.dispose();
  return greeting.startsWith('* OK');
})();
