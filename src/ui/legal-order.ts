/**
 * The order of the "Legal now" list: the commands that belong to this state come first, the
 * ones legal everywhere (CAPABILITY, NOOP, LOGOUT, QUIT) last. In IMAP's Selected state that
 * puts FETCH, STORE, SEARCH, EXPUNGE... (RFC 9051 §6.4) before the Authenticated-state commands
 * that stay legal there (§6.3), and the plain commands before their UID variants (§6.4.9).
 */
import type { CommandDoc } from '../protocol/types';

/** What a learner reaches for first in IMAP's Selected state; other commands keep the registry's order. */
const FIRST = ['FETCH', 'STORE', 'SEARCH', 'EXPUNGE', 'COPY', 'MOVE', 'CLOSE', 'UNSELECT'];

export function orderLegal(legal: readonly CommandDoc[], state: string | null): CommandDoc[] {
  const rank = (c: CommandDoc) => {
    const first = FIRST.indexOf(c.name);
    return [
      state !== null && c.states.includes(state) ? 0 : 1,
      c.states.length,
      c.name.startsWith('UID ') ? 1 : 0,
      first < 0 ? FIRST.length : first,
    ];
  };
  return legal
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => {
      for (let k = 0; k < a.r.length; k++) if (a.r[k] !== b.r[k]) return a.r[k] - b.r[k];
      return a.i - b.i;
    })
    .map(({ c }) => c);
}
