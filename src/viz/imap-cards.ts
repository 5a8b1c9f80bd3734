/**
 * IMAP message cards: the UID (stable across sessions, RFC 9051 §2.3.1.1), the sequence number
 * in this session, and one tag per flag or keyword as the learner types them in STORE
 * (RFC 9051 §2.3.2). Loaded with the IMAP chunk; `cards.ts` draws the rest of the card.
 */
import { select } from 'd3-selection';
import type { ImapCardStyle } from './cards';
import type { MessageCard } from './types';

/** IMAP cards show the flags themselves, as the learner types them in STORE (RFC 9051 §2.3.2). */
export function flagTags(d: MessageCard): { text: string; kind: string }[] {
  const tags = (d.flags ?? []).map((f) => ({
    text: f,
    kind: f.startsWith('\\') ? f.slice(1).toLowerCase() : 'keyword',
  }));
  if (d.retrieved) tags.push({ text: 'copy on laptop', kind: 'copied' });
  return tags;
}

export const imapCardStyle: ImapCardStyle = {
  label(d) {
    const flags = d.flags?.length ? `flags ${d.flags.join(' ')}` : 'no flags';
    const number = d.number === null ? 'no sequence number yet' : `sequence number ${d.number}`;
    const copy = d.retrieved ? ', copy on laptop' : '';
    return `Message UID ${d.uid}, ${number}: ${d.subject}, from ${d.from}, ${d.size.toLocaleString('en-US')} octets, ${flags}${copy}`;
  },
  decorate(el, d) {
    const card = select(el);
    card
      .select('.card-number')
      .attr('title', d.number === null ? 'No sequence number in this session yet' : 'Sequence number');
    const meta = card.select('.card-meta');
    let uid = meta.select<HTMLSpanElement>('.card-uid');
    if (uid.empty()) uid = meta.insert<HTMLSpanElement>('span', '.card-from').attr('class', 'card-uid');
    uid.text(`UID ${d.uid}`);
    // Text only, never HTML: a keyword is whatever the learner typed.
    const tag = card.select<HTMLSpanElement>('.card-tag');
    if (!tag.classed('flag-tags')) tag.text('');
    tag
      .classed('flag-tags', true)
      .selectAll('span.flag')
      .data(flagTags(d), (t) => (t as { text: string }).text)
      .join('span')
      .attr('class', (t) => `flag flag-${t.kind.replace(/[^a-z0-9-]/gi, '')}`)
      .attr('data-flag', (t) => t.text)
      .text((t) => t.text);
  },
};
