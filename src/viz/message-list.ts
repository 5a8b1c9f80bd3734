/**
 * A list of messages (a device's folder or the server's) drawn with a D3 join keyed by each
 * message's stable key, so enter / update / exit are delivered / changed / removed:
 * - enter: a new copy appears (on a device it waits for the copy flying in from the server);
 * - update: a flag or a mark changed: the item pulses;
 * - exit: the message left (QUIT's UPDATE, an EXPUNGE, a move): it collapses out, after the
 *   flights of the same step, so a copy leaves the server only after it reached the device.
 * Text is always set with .text(), never as HTML. Every call returns a promise that settles
 * when its animations end.
 */
import { select, type Selection } from 'd3-selection';
import { animate, animateAll } from './motion';
import type { ItemAction, MessageItem, MessageListViewModel } from './types';

export interface MessageListOptions {
  /** Milliseconds per animation; 0 = instant (reduced motion, tests). */
  duration: number;
  /** Exits and the reveal of new items wait for this (the step's flights). */
  wait?: Promise<void>;
  /** Keys marked for deletion during this step: they show the mark before they leave. */
  markedThisStep?: ReadonlySet<string>;
  /** Delay before update pulses (a flag reaches the server, then the other devices). */
  pulseDelay?: number;
  /** A per-item button was pressed (read, flag, delete, move; `button` anchors the Move menu). */
  onAction?: (key: string, action: ItemAction, button: HTMLButtonElement) => void;
}

type Item = Selection<HTMLLIElement, MessageItem, HTMLElement, unknown>;

const handlers = new WeakMap<HTMLOListElement, MessageListOptions['onAction']>();

const ICONS: Record<string, string> = {
  read: 'M3 7l9 6 9-6M3 7v10h18V7M3 7l9-4 9 4',
  unread: 'M3 6h18v12H3zM3 6l9 7 9-7',
  flag: 'M6 21V4M6 4h11l-2 4 2 4H6',
  delete: 'M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13',
  move: 'M3 6h7l2 2h9v11H3zM11 13h6M15 10l3 3-3 3',
};

/** "1,136": by hand, as the first screen's path should not start the browser's locale data. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

function octets(n: number): string {
  return n < 10_000 ? `${grouped(n)} octets` : `${(n / 1024).toFixed(n < 1024 * 100 ? 1 : 0)} KB`;
}

/** The words a screen reader (and a test) reads for the item's state. */
function stateWords(d: MessageItem): string {
  return [d.unread ? 'unread' : '', d.flagged ? 'flagged' : ''].filter(Boolean).join(', ');
}

function icon(button: Selection<HTMLButtonElement, unknown, null, undefined>, path: string, doc: Document) {
  const svg = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = doc.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', path);
  svg.appendChild(p);
  button.node()!.appendChild(svg);
}

function build(li: Item, withActions: boolean, doc: Document): void {
  li.attr('class', 'item');
  li.append('span').attr('class', 'item-dot').attr('aria-hidden', 'true');
  const text = li.append('span').attr('class', 'item-text');
  // The subject opens the message (a button: keyboard users can open it too).
  text.append('button').attr('type', 'button').attr('class', 'item-subject').attr('data-action', 'open');
  const meta = text.append('span').attr('class', 'item-meta');
  meta.append('span').attr('class', 'item-number');
  meta.append('span').attr('class', 'item-from');
  meta.append('span').attr('class', 'item-size');
  meta.append('span').attr('class', 'item-tags');
  li.append('span').attr('class', 'visually-hidden item-state');
  if (!withActions) return;
  const actions = li.append('span').attr('class', 'item-actions');
  for (const name of ['read', 'flag', 'delete', 'move']) {
    const b = actions
      .append('button')
      .attr('type', 'button')
      .attr('class', `item-action ${name}`)
      .attr('data-action', name);
    if (name === 'move') b.attr('aria-haspopup', 'menu');
    icon(b as unknown as Selection<HTMLButtonElement, unknown, null, undefined>, ICONS[name], doc);
  }
}

function fill(li: Item): void {
  li.attr('data-key', (d) => d.key)
    .attr('data-message-id', (d) => d.messageId)
    .classed('unread', (d) => d.unread)
    .classed('flagged', (d) => d.flagged)
    .classed('marked', (d) => d.tags.some((t) => t.tone === 'danger'));
  li.select('.item-subject').text((d) => d.subject);
  li.select('.item-number').text((d) => (d.number !== undefined ? `#${d.number} · UID ${d.uid}` : ''));
  li.select('.item-subject').attr('title', (d) => d.subject);
  li.select('.item-from').text((d) => d.from);
  li.select('.item-size').text((d) => octets(d.size));
  li.select('.item-state').text((d) => {
    const w = stateWords(d);
    return w ? `, ${w}` : '';
  });
  li.select<HTMLSpanElement>('.item-tags').each(function (d) {
    const tags = select(this)
      .selectAll<HTMLSpanElement, MessageItem['tags'][number]>('span.tag')
      .data(d.tags, (t) => t.text);
    tags.exit().remove();
    tags
      .enter()
      .append('span')
      .merge(tags)
      .attr('class', (t) => `tag ${t.tone}`)
      .attr('title', (t) => t.title ?? null)
      .text((t) => t.text);
  });
  li.select('button.read').attr('aria-label', (d) => (d.unread ? 'Mark read' : 'Mark unread'));
  li.select('button.read').attr('title', (d) => (d.unread ? 'Mark read' : 'Mark unread'));
  li.select('button.read').attr('data-action', (d) => (d.unread ? 'read' : 'unread'));
  li.select('button.read path').attr('d', (d) => (d.unread ? ICONS.read : ICONS.unread));
  li.select('button.flag').attr('aria-label', (d) => (d.flagged ? 'Unflag' : 'Flag'));
  li.select('button.flag').attr('title', (d) => (d.flagged ? 'Unflag' : 'Flag'));
  li.select('button.flag').attr('data-action', (d) => (d.flagged ? 'unflag' : 'flag'));
  li.select('button.flag').attr('aria-pressed', (d) => String(d.flagged));
  li.select('button.delete').attr('aria-label', 'Delete').attr('title', 'Delete');
  li.select('button.move').attr('aria-label', 'Move').attr('title', 'Move to a folder');
}

/** What makes an item look different: a change here pulses it. */
const signature = (d: MessageItem) =>
  `${d.unread}|${d.flagged}|${d.tags.map((t) => t.text).join(',')}|${d.number}`;

/** Everything `fill` writes from an item: equal means the element already shows it. */
const content = (d: MessageItem) =>
  JSON.stringify([
    d.key,
    d.messageId,
    d.subject,
    d.from,
    d.size,
    d.unread,
    d.flagged,
    d.number,
    d.uid,
    d.tags.map((t) => [t.text, t.tone, t.title]),
  ]);

/**
 * What each element was last filled with. Rewriting an unchanged item's text still replaces
 * its text nodes, and the browser then lays out every list again: six devices' lists and the
 * server's on every step, when only one device checked.
 */
const drawn = new WeakMap<Element, string>();

export function renderMessageList(
  root: HTMLOListElement,
  vm: MessageListViewModel,
  options: MessageListOptions,
): Promise<void> {
  const doc = root.ownerDocument;
  const duration = options.duration;
  const list = select<HTMLOListElement, unknown>(root);
  handlers.set(root, options.onAction);
  if (!root.dataset.actionsBound) {
    root.dataset.actionsBound = 'true';
    // One listener for the whole list: items come and go, the handler stays (the newest is used).
    root.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
      const li = button?.closest<HTMLLIElement>('li.item');
      if (!button || !li || li.classList.contains('leaving') || button.disabled) return;
      handlers.get(root)?.(li.dataset.key!, button.dataset.action as ItemAction, button);
    });
  }
  const items = list
    .selectAll<HTMLLIElement, MessageItem>('li.item:not(.leaving)')
    .data(vm.items, (d) => d.key);

  const before = new Map<string, string>();
  items.each(function () {
    before.set(this.dataset.key!, this.dataset.signature ?? '');
  });

  const entered = items.enter().append('li');
  entered.each(function () {
    build(select(this) as unknown as Item, vm.actions, doc);
  });
  const all = entered.merge(items);
  const stale = all.filter(function (d) {
    const c = content(d);
    if (drawn.get(this) === c) return false;
    drawn.set(this, c);
    return true;
  });
  fill(stale);
  all.order();
  stale.attr('data-signature', signature);

  const waits: Promise<void>[] = [];
  const wait = options.wait ?? Promise.resolve();

  // Changed items pulse (after the step's flights reached them).
  const changed: Element[] = [];
  items.each(function (d) {
    if (before.get(d.key) !== signature(d)) changed.push(this);
  });
  if (changed.length && duration > 0)
    waits.push(
      new Promise<void>((resolve) => setTimeout(resolve, options.pulseDelay ?? 0)).then(() =>
        animateAll(
          changed,
          [
            { boxShadow: '0 0 0 0 transparent' },
            { boxShadow: '0 0 0 4px var(--accent-ring)' },
            { boxShadow: '0 0 0 0 transparent' },
          ],
          duration * 1.5,
        ),
      ),
    );

  // New items appear once the copy flying to them has landed.
  if (duration > 0 && !entered.empty()) {
    entered.style('opacity', '0');
    waits.push(
      wait.then(() => {
        entered.style('opacity', null);
        return animateAll(
          entered.nodes(),
          [
            { opacity: 0, transform: 'translateY(-6px)' },
            { opacity: 1, transform: 'none' },
          ],
          duration,
        );
      }),
    );
  }

  // Leaving items: shown marked (DELE) if they were, then collapse, then go.
  const exit = items.exit<MessageItem>();
  exit.classed('leaving', true).attr('aria-hidden', 'true');
  exit.selectAll('button').attr('disabled', '');
  if (duration > 0 && !exit.empty()) {
    exit.classed('marked', function () {
      return (
        (this as HTMLLIElement).classList.contains('marked') ||
        !!options.markedThisStep?.has((this as HTMLLIElement).dataset.key!)
      );
    });
    waits.push(
      wait.then(async () => {
        await animateAll(exit.nodes(), [{ opacity: 1 }, { opacity: 0.55 }], duration * 0.6);
        await Promise.all(
          exit.nodes().map((el) => {
            const h = (el as HTMLElement).offsetHeight;
            return animate(
              el,
              [
                { opacity: 0.55, transform: 'none', height: `${h}px` },
                {
                  opacity: 0,
                  transform: 'translateX(24px)',
                  height: '0px',
                  marginTop: '0px',
                  paddingTop: '0px',
                  paddingBottom: '0px',
                },
              ],
              duration,
            );
          }),
        );
        exit.remove();
      }),
    );
  } else exit.remove();

  return Promise.all(waits).then(() => undefined);
}
