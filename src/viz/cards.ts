/**
 * Message cards drawn with D3 joins keyed by a stable id (mailbox + UID), so
 * enter / update / exit map to delivered / changed / removed. Every function
 * returns a promise that settles when its transitions end, so the scene can
 * sequence steps (copy to device, then mark, then vanish at QUIT) without timers.
 */
import { select, type Selection } from 'd3-selection';
// Side-effect import: patches selection.transition. d3 declares sideEffects:false,
// so without this direct import production builds drop the patch (toolchain notes).
import 'd3-transition';
import type { DeviceCard, DeviceViewModel, MailboxViewModel, MessageCard, RenderOptions } from './types';

type CardSelection<D> = Selection<HTMLLIElement, D, HTMLElement, unknown>;

/** Waits for a transition; an interrupted transition (a newer render took over) counts as done. */
function settle(t: { end(): Promise<void> }): Promise<void> {
  return t.end().catch(() => undefined);
}

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

function fillServerCard(li: CardSelection<MessageCard>): void {
  li.attr('data-id', (d) => d.id)
    .attr('data-uid', (d) => d.uid)
    .attr('aria-label', cardLabel)
    .attr('data-tag', tagOf)
    .classed('seen', (d) => d.seen)
    .classed('retrieved', (d) => d.retrieved)
    .classed('marked', (d) => d.marked);
  li.select('.card-number').text((d) => String(d.number));
  li.select('.card-subject').text((d) => d.subject);
  li.select('.card-from').text((d) => d.from);
  li.select('.card-size').text((d) => octets(d.size));
  li.select('.card-tag').text((d) => TAG_TEXT[tagOf(d)]);
}

/**
 * Draws the server's maildrop. Cards that were marked for deletion and are now
 * gone leave with an animation (the UPDATE state expunging them, RFC 1939 §6);
 * anything else that disappears (a reset) is simply removed.
 */
export function renderMailbox(
  root: HTMLElement,
  vm: MailboxViewModel,
  options: RenderOptions = {},
): Promise<void> {
  const duration = options.duration ?? 0;
  const waits: Promise<void>[] = [];
  let changed: string[] = [];
  const previous = new Map<string, boolean>();
  select(root)
    .selectAll<HTMLLIElement, MessageCard>('li.card:not(.leaving)')
    .each(function (d) {
      if (d) previous.set(d.id, d.marked);
    });

  select(root)
    .selectAll<HTMLLIElement, MessageCard>('li.card:not(.leaving)')
    .data(vm.cards, (d) => d.id)
    .join(
      (enter) => {
        const li = enter.append('li');
        buildCard(li, true);
        fillServerCard(li);
        li.style('opacity', '0');
        waits.push(settle(li.transition('enter').duration(duration).style('opacity', '1')));
        return li;
      },
      (update) => {
        changed = vm.cards
          .filter((d) => previous.has(d.id) && previous.get(d.id) !== d.marked)
          .map((d) => d.id);
        fillServerCard(update);
        return update;
      },
      (exit) => {
        const leaving = exit.filter((d) => d.marked);
        exit.filter((d) => !d.marked).remove();
        // Freeze the height first so the list closes up smoothly instead of jumping.
        leaving
          .classed('leaving', true)
          .style('height', function () {
            return `${this.offsetHeight}px`;
          })
          .style('overflow', 'hidden');
        const t = leaving
          .transition('leave')
          .duration(duration)
          .style('opacity', '0')
          .styleTween('transform', () => (t) => `translateX(${-48 * t}px)`)
          .transition()
          .duration(duration / 2)
          .style('height', '0px')
          .style('margin-top', '0px')
          .style('margin-bottom', '0px')
          .style('padding-top', '0px')
          .style('padding-bottom', '0px')
          .remove();
        waits.push(settle(t));
        return exit;
      },
    )
    .order();

  // A card whose mark changed (DELE / RSET) flashes its tag so the eye finds it.
  if (changed.length) {
    const tags = select(root)
      .selectAll<HTMLLIElement, MessageCard>('li.card:not(.leaving)')
      .filter((d) => changed.includes(d.id))
      .select('.card-tag');
    tags.style('opacity', '0');
    waits.push(settle(tags.transition('mark').duration(duration).style('opacity', '1')));
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
        li.style('opacity', '0');
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
    await settle(
      select(ghost)
        .style('transform-origin', '0 0')
        .transition('fly')
        .duration(duration * 1.5)
        // An explicit tween: d3's CSS transform interpolator needs DOMMatrix, which jsdom lacks.
        .styleTween(
          'transform',
          () => (t) => `translate(${dx * t}px, ${dy * t}px) scale(${1 + (sx - 1) * t}, 1)`,
        ),
    );
    ghost.remove();
  }
  await settle(
    select(target)
      .transition('appear')
      .duration(duration / 2)
      .style('opacity', '1'),
  );
}
