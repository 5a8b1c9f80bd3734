import { ENABLEABLE } from '../capabilities';
import { data, type Untagged } from '../formatter';
import { enableCondstore, ok, type ImapCommand } from '../types';

/**
 * RFC 5161 / RFC 9051 §6.3.1. IMAP4rev2 switches this session to rev2 behaviour (ESEARCH
 * replies to SEARCH, no \Recent); CONDSTORE turns on MODSEQ reporting (RFC 7162). Unknown
 * names are ignored; one already on is listed again (as often as named), as Dovecot does. Before login Dovecot
 * answers an empty ENABLED and enables nothing.
 */
export const enable: ImapCommand<string[]> = {
  doc: {
    name: 'ENABLE',
    syntax: 'tag ENABLE capability...',
    states: ['Authenticated'],
    summary:
      'Turns on extensions that change how the server answers. "ENABLE IMAP4rev2" switches this session from the 2003 IMAP4rev1 behaviour to the 2021 IMAP4rev2 one.',
    rfc: 'RFC 9051 §6.3.1, RFC 5161',
    examples: ['a1 ENABLE IMAP4rev2', 'a1 ENABLE CONDSTORE'],
  },
  states: ['Not Authenticated', 'Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const names: string[] = [];
    names.push(args.atom('capability name'));
    while (!args.done) names.push(args.atom('capability name'));
    return names;
  },
  handle(ctx, names) {
    if (ctx.state === 'Not Authenticated')
      return ok('ENABLE ignored in non-authenticated state.', [data('ENABLED')]);
    // Dovecot lists an extension that was on already again (each time it is named), and says the
    // selected mailbox's HIGHESTMODSEQ when this turns CONDSTORE on (RFC 7162 §3.1).
    const now: string[] = [];
    const untagged: Untagged[] = [];
    for (const n of names) {
      const up = n.toUpperCase();
      const name = up === 'IMAP4REV2' ? 'IMAP4rev2' : up;
      if (!ENABLEABLE.includes(up)) continue;
      if (up === 'CONDSTORE') untagged.push(...enableCondstore(ctx));
      else ctx.enabled.add(up);
      now.push(name);
    }
    if (now.length) untagged.push(data('ENABLED', ...now));
    return ok('Enabled', untagged);
  },
};
