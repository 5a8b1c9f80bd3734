import { data, str, type ImapValue } from '../formatter';
import { parseSearch, runSearch, type SearchProgram } from '../search-keys';
import { compactSet } from '../sequence';
import { isRev2, no, ok, type ImapCommand } from '../types';

/** RFC 9051 §6.4.4, with ESEARCH RETURN options (RFC 4731) and §6.4.9 (UID SEARCH). */
export const search: ImapCommand<SearchProgram> = {
  doc: {
    name: 'SEARCH',
    syntax: 'tag SEARCH [RETURN (MIN MAX COUNT ALL)] [CHARSET name] key...',
    states: ['Selected'],
    summary:
      'Finds messages on the server, without downloading them: by flag (UNSEEN, FLAGGED, DELETED), by header (FROM, TO, SUBJECT, HEADER name text), by text (BODY, TEXT), by date (SINCE, BEFORE, ON, SENTSINCE...), by size (LARGER, SMALLER) or by number. Keys side by side must all match; OR, NOT and parentheses combine them.',
    rfc: 'RFC 9051 §6.4.4, RFC 4731',
    examples: [
      'a1 SEARCH UNSEEN',
      'a1 SEARCH FROM bob SINCE 1-Mar-2025',
      'a1 SEARCH OR FLAGGED NOT SEEN',
      'a1 SEARCH RETURN (COUNT) ALL',
    ],
  },
  uidDoc: {
    name: 'UID SEARCH',
    syntax: 'tag UID SEARCH key...',
    states: ['Selected'],
    summary: 'SEARCH that answers with UIDs instead of sequence numbers.',
    rfc: 'RFC 9051 §6.4.9',
    examples: ['a1 UID SEARCH UNSEEN', 'a1 UID SEARCH UID 100:*'],
  },
  states: ['Selected'],
  parse(args) {
    return parseSearch(args);
  },
  handle(ctx, p, uid) {
    const view = ctx.selected!;
    if (p.charset !== null && !['UTF-8', 'US-ASCII'].includes(p.charset))
      return no(`Unknown charset ${p.charset}`, 'BADCHARSET (UTF-8 US-ASCII)');
    const seqs = runSearch(view, p.key, p.charset === 'UTF-8' || isRev2(ctx));
    const result = uid ? seqs.map((s) => view.uids[s - 1]) : seqs;
    const returnOptions = p.returnOptions ?? (isRev2(ctx) ? ['ALL'] : null);
    if (!returnOptions) return ok('Search completed', [data('SEARCH', ...result)]);
    // ESEARCH (RFC 4731 §3.1): results in the order MIN MAX ALL COUNT, as Dovecot writes them.
    const items: ImapValue[] = ['ESEARCH', [`TAG`, str(ctx.tag)]];
    if (uid) items.push('UID');
    if (result.length) {
      if (returnOptions.includes('MIN')) items.push('MIN', result[0]);
      if (returnOptions.includes('MAX')) items.push('MAX', result[result.length - 1]);
      if (returnOptions.includes('ALL')) items.push('ALL', compactSet(result));
    }
    if (returnOptions.includes('COUNT')) items.push('COUNT', result.length);
    return ok('Search completed', [data(...items)]);
  },
  allowExpunge: (uid) => uid,
};
