/**
 * Message cards drawn with D3 joins keyed by a stable id (mailbox + UID), so
 * enter / update / exit map to delivered / changed / removed. Every function
 * returns a promise that settles when its animations end, so the scene can
 * sequence steps (copy to device, then mark, then vanish at QUIT) without timers.
 */
import { select, type Selection } from 'd3-selection';
import { animate, animateAll } from './motion';
import type { DeviceCard, DeviceViewModel, MailboxViewModel, MessageCard, RenderOptions } from './types';

type CardSelection<D> = Selection<HTMLLIElement, D, HTMLElement, unknown>;

function octets(size: number): string {
  return `${size.toLocaleString('en-US')} octets`;
}

/** The one word on a card's tag: what matters most about the message right now. */
function tagOf(d: MessageCard): 'marked' | 'retrieved' | 'seen' | 'new' {
  return d.marked ? 'marked' : d.retrieved ? 'retrieved' : d.seen ? 'seen' : 'new';
}

const TAG_TEXT = { marked: 'marked for deletion', retrieved: 'retrieved', seen: 'seen', new: 'new' };

function cardLabel(d: MessageCard): string {
  return `Message ${d.number}: ${d.subject}, from ${d.from}, ${octets(d.size)}, ${TAG_TEXT[tagOf(d)]}`;
}

/**
 * How IMAP cards differ (UID, flags as tags, their own label). It comes with the IMAP chunk
 * (`viz/imap-cards.ts`), so the first load only carries the POP3 card.
 */
export interface ImapCardStyle {
  label(d: MessageCard): string;
  /** Adds the UID and one tag per flag to a drawn card. */
  decorate(card: HTMLLIElement, d: MessageCard): void;
}

/** Builds the inner structure once; text is always set with .text(), never as HTML. */
function buildCard<D>(li: CardSelection<D>, withNumber: boolean): void {
  li.attr('class', 'card');
  if (withNumber) li.append('span').attr('class', 'card-number').attr('aria-hidden', 'true');
  const text = li.append('span').attr('class', 'card-text');
  text.append('span').attr('class', 'card-subject');
  const meta = text.append('span').attr('class', 'card-meta');
  meta.append('span').attr('class', 'card-from');
  meta.append('span').attr('class', 'card-size');
  li.append('span').attr('class', 'card-tag');
}

function fillServerCard(li: CardSelection<MessageCard>, imap: ImapCardStyle | undefined): void {
  const isImap = (d: MessageCard) => d.flags !== undefined && imap !== undefined;
  li.attr('data-id', (d) => d.id)
    .attr('data-uid', (d) => d.uid)
    .attr('aria-label', (d) => (isImap(d) ? imap!.label(d) : cardLabel(d)))
    .attr('data-tag', tagOf)
    .classed('seen', (d) => d.seen)
    .classed('retrieved', (d) => d.retrieved)
    .classed('marked', (d) => d.marked)
    .classed('imap', isImap);
  li.select('.card-number').text((d) => (d.number === null ? '–' : String(d.number)));
  li.select('.card-subject').text((d) => d.subject);
  li.select('.card-from').text((d) => d.from);
  li.select('.card-size').text((d) => octets(d.size));
  li.each(function (d) {
    if (isImap(d)) return imap!.decorate(this, d);
    select(this).select('.card-uid').remove();
    select(this).select('.card-tag').classed('flag-tags', false).text(TAG_TEXT[tagOf(d)]);
  });
}

/**
 * Draws the server's maildrop. Cards that were marked for deletion and are now
 * gone leave with an animation (the UPDATE state expunging them, RFC 1939 §6);
 * anything else that disappears (a reset) is simply removed.
 */
export function renderMailbox(
  root: HTMLElement,
  vm: MailboxViewModel,
  options: RenderOptions & { imap?: ImapCardStyle } = {},
): Promise<void> {
  const duration = options.duration ?? 0;
  const waits: Promise<void>[] = [];
  let changed: string[] = [];
  const mailboxKey = `${vm.protocol ?? 'pop3'}:${vm.mailbox ?? 'INBOX'}`;
  const sameMailbox = root.dataset.mailbox === mailboxKey;
  root.dataset.mailbox = mailboxKey;
  // What a card showed before: a change of mark or flags makes its tag flash.
  const signature = (d: MessageCard) => `${d.marked}|${(d.flags ?? []).join(' ')}`;
  const previous = new Map<string, string>();
  select(root)
    .selectAll<HTMLLIElement, MessageCard>('li.card:not(.leaving)')
    .each(function (d) {
      if (d) previous.set(d.id, signature(d));
    });

  select(root)
    .selectAll<HTMLLIElement, MessageCard>('li.card:not(.leaving)')
    .data(vm.cards, (d) => d.id)
    .join(
      (enter) => {
        const li = enter.append('li');
        buildCard(li, true);
        fillServerCard(li, options.imap);
        waits.push(animateAll(li.nodes(), [{ opacity: 0 }, { opacity: 1 }], duration));
        return li;
      },
      (update) => {
        changed = vm.cards
          .filter((d) => previous.has(d.id) && previous.get(d.id) !== signature(d))
          .map((d) => d.id);
        fillServerCard(update, options.imap);
        return update;
      },
      (exit) => {
        // Under IMAP anything that leaves the same mailbox leaves visibly (EXPUNGE, MOVE);
        // a different mailbox selected, or a reset, just redraws.
        const leaves = (d: MessageCard) => d.marked || (vm.protocol === 'imap' && sameMailbox);
        const leaving = exit.filter(leaves);
        exit.filter((d) => !leaves(d)).remove();
        // Slide out, then close the gap (freezing the height first so the list closes smoothly).
        leaving.classed('leaving', true);
        for (const el of leaving.nodes()) {
          const height = `${el.offsetHeight}px`;
          waits.push(
            animate(
              el,
              [
                { opacity: 1, transform: 'translateX(0)' },
                { opacity: 0, transform: 'translateX(-48px)' },
              ],
              duration,
            )
              .then(() => {
                Object.assign(el.style, { opacity: '0', overflow: 'hidden' });
                return animate(
                  el,
                  [
                    { height, marginTop: '0px', marginBottom: '0px', paddingTop: '', paddingBottom: '' },
                    {
                      height: '0px',
                      marginTop: '0px',
                      marginBottom: '0px',
                      paddingTop: '0px',
                      paddingBottom: '0px',
                    },
                  ],
                  duration / 2,
                );
              })
              .then(() => el.remove()),
          );
        }
        return exit;
      },
    )
    .order();

  // A card whose mark or flags changed (DELE / RSET / STORE) pulses its tag so the eye finds it.
  // The tag stays fully readable throughout (a fade-in left it nearly invisible mid-animation).
  if (changed.length) {
    const tags = select(root)
      .selectAll<HTMLLIElement, MessageCard>('li.card:not(.leaving)')
      .filter((d) => changed.includes(d.id))
      .select('.card-tag');
    waits.push(
      animateAll(
        tags.nodes(),
        [{ transform: 'scale(1)' }, { transform: 'scale(1.25)' }, { transform: 'scale(1)' }],
        duration,
      ),
    );
  }
  return Promise.all(waits).then(() => undefined);
}

function fillDeviceCard(li: CardSelection<DeviceCard>): void {
  li.attr('data-id', (d) => d.id)
    .attr('aria-label', (d) => `Copy of ${d.subject}, from ${d.from}, ${octets(d.size)}`)
    .classed('device-card', true);
  li.select('.card-subject').text((d) => d.subject);
  li.select('.card-from').text((d) => d.from);
  li.select('.card-size').text((d) => octets(d.size));
  li.select('.card-tag').text('on laptop');
}

export interface DeviceRenderOptions extends RenderOptions {
  /** The server view; a new copy flies from the card with the same id there. */
  source?: HTMLElement;
}

/**
 * Draws a device's local messages. A new copy (RETR) flies from its server card
 * to its place on the device: a ghost clone moves in a fixed overlay, then the
 * real card appears under it.
 */
export function renderDevice(
  root: HTMLElement,
  vm: DeviceViewModel,
  options: DeviceRenderOptions = {},
): Promise<void> {
  const duration = options.duration ?? 0;
  const waits: Promise<void>[] = [];
  select(root)
    .selectAll<HTMLLIElement, DeviceCard>('li.card')
    .data(vm.cards, (d) => d.id)
    .join(
      (enter) => {
        const li = enter.append('li');
        buildCard(li, false);
        fillDeviceCard(li);
        li.each(function (d) {
          waits.push(flyIn(this, d.id, options.source, duration));
        });
        return li;
      },
      (update) => {
        fillDeviceCard(update);
        return update;
      },
      (exit) => exit.remove(),
    )
    .order();
  return Promise.all(waits).then(() => undefined);
}

function findCard(root: HTMLElement | undefined, id: string): HTMLElement | null {
  if (!root) return null;
  for (const el of root.querySelectorAll<HTMLElement>('li.card')) if (el.dataset.id === id) return el;
  return null;
}

async function flyIn(target: HTMLLIElement, id: string, source: HTMLElement | undefined, duration: number) {
  const from = findCard(source, id);
  const doc = target.ownerDocument;
  if (from && duration > 0 && doc.body) {
    const a = from.getBoundingClientRect();
    const b = target.getBoundingClientRect();
    const ghost = from.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('data-id');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.classList.add('card-ghost');
    Object.assign(ghost.style, {
      position: 'fixed',
      left: `${a.left}px`,
      top: `${a.top}px`,
      width: `${a.width}px`,
      height: `${a.height}px`,
      margin: '0',
      zIndex: '10',
      pointerEvents: 'none',
    });
    doc.body.appendChild(ghost);
    const dx = b.left - a.left;
    const dy = b.top - a.top;
    const sx = a.width ? b.width / a.width : 1;
    // The real card waits invisible under the ghost's landing place.
    target.style.opacity = '0';
    ghost.style.transformOrigin = '0 0';
    await animate(
      ghost,
      [
        { transform: 'translate(0, 0) scale(1, 1)' },
        { transform: `translate(${dx}px, ${dy}px) scale(${sx}, 1)` },
      ],
      duration * 1.5,
    );
    ghost.remove();
  }
  await animate(target, [{ opacity: 0 }, { opacity: 1 }], duration / 2);
  target.style.opacity = '1';
}
