import { data, str, type ImapValue } from '../formatter';
import { registerKeywords } from '../mailbox-view';
import { parseSearch, runSearch, type SearchKey, type SearchProgram } from '../search-keys';
import { compactSet } from '../sequence';
import { enableCondstore, isRev2, no, ok, type ImapCommand } from '../types';

/**
 * Charsets a search string may be in (RFC 9051 §6.4.4). Dovecot accepts whatever iconv knows;
 * we accept UTF-8, US-ASCII and the common single-octet charsets, whose octets we read as
 * ISO-8859-1 (exact for that one and for ASCII text in the others).
 */
function knownCharset(name: string): boolean {
  return /^(UTF-?8|US-ASCII|ASCII|(ISO-?8859-(1[0-6]|[1-9]))|LATIN-?1|(WINDOWS|CP)-?125[0-8]|KOI8-[RU])$/.test(
    name,
  );
}

/** The keywords a search names (KEYWORD / UNKEYWORD). */
function keywordsIn(key: SearchKey, out: string[] = []): string[] {
  if (key.k === 'flag' && !key.flag.startsWith('\\')) out.push(key.flag);
  else if (key.k === 'not') keywordsIn(key.key, out);
  else if (key.k === 'or') keywordsIn(key.b, keywordsIn(key.a, out));
  else if (key.k === 'and') for (const k of key.keys) keywordsIn(k, out);
  return out;
}

/** Does the search use MODSEQ (a CONDSTORE-enabling search, RFC 7162 §3.1.5)? */
function usesModseq(key: SearchKey): boolean {
  if (key.k === 'modseq') return true;
  if (key.k === 'not') return usesModseq(key.key);
  if (key.k === 'or') return usesModseq(key.a) || usesModseq(key.b);
  if (key.k === 'and') return key.keys.some(usesModseq);
  return false;
}

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
    // Dovecot answers an unknown charset with a bare [BADCHARSET] (no list of charsets).
    if (p.charset !== null && !knownCharset(p.charset)) return no('Unknown charset', 'BADCHARSET');
    // Dovecot adds a keyword it is asked to search for to the mailbox's keyword list, so the
    // reply is preceded by FLAGS / PERMANENTFLAGS naming it (measured).
    registerKeywords(ctx.store, ctx.user!, view.name, keywordsIn(p.key));
    const seqs = runSearch(view, p.key, p.charset === null ? isRev2(ctx) : p.charset === 'UTF-8');
    const result = uid ? seqs.map((s) => view.uids[s - 1]) : seqs;
    const returnOptions = p.returnOptions ?? (isRev2(ctx) ? ['ALL'] : null);
    // With MODSEQ in the search, the reply ends with the highest MODSEQ of the matches.
    const withModseq = usesModseq(p.key);
    const before = withModseq ? enableCondstore(ctx) : [];
    const highest = withModseq && seqs.length ? Math.max(...seqs.map((s) => view.messages[s - 1].modseq)) : 0;
    if (!returnOptions) {
      const items: ImapValue[] = ['SEARCH', ...result];
      if (highest) items.push(['MODSEQ', highest]);
      return ok('Search completed', [...before, data(...items)]);
    }
    // ESEARCH (RFC 4731 §3.1): results in the order MIN MAX ALL COUNT, as Dovecot writes them.
    const items: ImapValue[] = ['ESEARCH', [`TAG`, str(ctx.tag)]];
    if (uid) items.push('UID');
    if (result.length) {
      if (returnOptions.includes('MIN')) items.push('MIN', result[0]);
      if (returnOptions.includes('MAX')) items.push('MAX', result[result.length - 1]);
      if (returnOptions.includes('ALL')) items.push('ALL', compactSet(result));
    }
    if (returnOptions.includes('COUNT')) items.push('COUNT', result.length);
    if (highest) items.push('MODSEQ', highest);
    return ok('Search completed', [...before, data(...items)]);
  },
  allowExpunge: (uid) => uid,
};
