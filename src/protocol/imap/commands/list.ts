import { DEFAULT_MAILBOXES } from '../../../mail/store';
import type { MailboxData } from '../../../mail/types';
import { astring, data, str, type ImapValue, type Untagged } from '../formatter';
import { HIERARCHY_DELIMITER, matchesPattern, patternToRegExp } from '../mailbox-names';
import { ImapParseError, type Args, type Token } from '../parser';
import { enableCondstore, ok, type ImapCommand, type ImapContext } from '../types';
import { HIGHESTMODSEQ, readStatusItems, statusResponse } from './status';

interface ListArgs {
  selectSubscribed: boolean;
  selectSpecialUse: boolean;
  /** RFC 5258 §3.5: also list parents of matching subscribed names, with CHILDINFO. */
  recursiveMatch: boolean;
  reference: string;
  patterns: string[];
  returnSubscribed: boolean;
  returnChildren: boolean;
  returnSpecialUse: boolean;
  /** RETURN (STATUS (...)) (RFC 5819): the STATUS items (bits of STATUS_ITEMS), 0 when not asked. */
  returnStatus: number;
  /** No selection and no RETURN options: the classic LIST, which Dovecot answers with children and special-use attributes. */
  basic: boolean;
}

/** list-mailbox = 1*list-char / string (list-char allows "%" and "*"). */
function readPattern(args: Args): string[] {
  const t = args.next('mailbox pattern');
  if (t.t === 'list') {
    if (!t.v.length) throw new ImapParseError('Empty pattern list', t.pos);
    return t.v.map((x) => {
      if (x.t === 'list') throw new ImapParseError('Invalid mailbox pattern', x.pos);
      return x.v;
    });
  }
  return [t.v];
}

function options(list: ReturnType<Args['list']>, allowed: readonly string[], what: string): string[] {
  return list.map((t) => {
    if (t.t !== 'atom') throw new ImapParseError(`Invalid ${what}`, t.pos);
    const up = t.v.toUpperCase();
    if (!allowed.includes(up)) throw new ImapParseError(`Unknown ${what} ${t.v}`, t.pos);
    return up;
  });
}

/**
 * return-option *(SP return-option) (RFC 5258 §6, RFC 5819 §4: STATUS SP "(" status-att ... ")"),
 * in Dovecot's words when wrong. A second STATUS replaces the first, as in Dovecot.
 */
function readReturnOptions(args: Args, a: ListArgs): void {
  const pos = args.pos;
  const t = args.next('return options');
  if (t.t !== 'list') throw new ImapParseError('Extra arguments', pos);
  const list = t.v;
  for (let k = 0; k < list.length; k++) {
    const o = list[k];
    const up = o.t === 'atom' ? o.v.toUpperCase() : '';
    if (up === 'SUBSCRIBED') a.returnSubscribed = true;
    else if (up === 'CHILDREN') a.returnChildren = true;
    else if (up === 'SPECIAL-USE') a.returnSpecialUse = true;
    else if (up === 'STATUS' && list[k + 1]?.t === 'list') {
      const items = list[++k] as Extract<Token, { t: 'list' }>;
      a.returnStatus = readStatusItems(items.v, items.pos);
    } else throw new ImapParseError('Unknown return options', o.pos);
  }
}

interface Entry {
  name: string;
  mailbox: MailboxData | null;
  hasChildren: boolean;
}

/**
 * Every mailbox plus the missing parents of nested names (listed as \Noselect, as Dovecot does),
 * in Dovecot's order (measured with maildir): mailboxes the user created first, newest first
 * (by the store's list order, where a renamed mailbox is new), each followed by its children
 * (newest first); then the special-use mailboxes the server made, in their configured order;
 * INBOX last. (Dovecot's order comes from its mailbox list index and the file system, so this
 * matches it for mailboxes made in one session, not in general.)
 */
function entries(ctx: ImapContext): Entry[] {
  const boxes = ctx.store.listMailboxes(ctx.user!);
  const order = ctx.store.listOrder(ctx.user!);
  // A mail app lists every folder on every check: the tree is built again only when the
  // mailboxes (or their names, or their order) changed since the last LIST of this account.
  const last = lastEntries.get(boxes);
  if (
    last &&
    last.boxes.length === boxes.length &&
    last.boxes.every((b, i) => b === boxes[i] && b.name === last.names[i]) &&
    last.order.length === order.length &&
    last.order.every((n, i) => n === order[i])
  )
    return last.entries;
  const built = buildEntries(boxes, order);
  lastEntries.set(boxes, {
    boxes: [...boxes],
    names: boxes.map((b) => b.name),
    order: [...order],
    entries: built,
  });
  return built;
}

const lastEntries = new WeakMap<
  readonly MailboxData[],
  { boxes: MailboxData[]; names: string[]; order: string[]; entries: Entry[] }
>();

function buildEntries(boxes: readonly MailboxData[], listOrder: readonly string[]): Entry[] {
  const rankOf = new Map(listOrder.map((n, i) => [n, i]));
  interface Node {
    name: string;
    mailbox: MailboxData | null;
    order: number;
    children: Node[];
  }
  const root: Node = { name: '', mailbox: null, order: -1, children: [] };
  const nodes = new Map<string, Node>();
  boxes.forEach((m, order) => {
    const parts = m.name.split(HIERARCHY_DELIMITER);
    let parent = root;
    for (let i = 1; i <= parts.length; i++) {
      const name = parts.slice(0, i).join(HIERARCHY_DELIMITER);
      let node = nodes.get(name);
      if (!node) {
        node = { name, mailbox: null, order: rankOf.get(name) ?? listOrder.length + order, children: [] };
        nodes.set(name, node);
        parent.children.push(node);
      }
      if (i === parts.length) node.mailbox = m;
      parent = node;
    }
  });
  // The special-use mailboxes the server made, in their configured order. A user's own
  // `CREATE Archive` (on an account that started with INBOX alone) has no special use and sorts
  // with the other created mailboxes.
  const made = new Map(DEFAULT_MAILBOXES.map((d, i) => [d.name, i]));
  const byServer = (n: Node) =>
    made.has(n.name) && n.mailbox?.specialUse === DEFAULT_MAILBOXES[made.get(n.name)!].specialUse;
  const rank = (n: Node) => (n.name === 'INBOX' ? 2 : byServer(n) ? 1 : 0);
  const out: Entry[] = [];
  const walk = (list: Node[], top: boolean) => {
    const sorted = [...list].sort((a, b) =>
      top && rank(a) !== rank(b)
        ? rank(a) - rank(b)
        : top && rank(a) === 1
          ? made.get(a.name)! - made.get(b.name)!
          : b.order - a.order,
    );
    // INBOX's children come after the other created mailboxes, INBOX itself last.
    const inbox = top ? sorted.find((n) => n.name === 'INBOX') : undefined;
    let inboxChildren = false;
    for (const n of sorted) {
      if (inbox && !inboxChildren && rank(n) > 0) {
        inboxChildren = true;
        walk(inbox.children, false);
      }
      out.push({ name: n.name, mailbox: n.mailbox, hasChildren: n.children.length > 0 });
      if (n !== inbox) walk(n.children, false);
    }
  };
  walk(root.children, true);
  return out;
}

/**
 * The root name of a reference (RFC 3501 §6.3.8): the reference up to and including its first
 * hierarchy delimiter, or "" when it has none (Dovecot: "Work/Projects" gives "Work/", "Work"
 * and "" give "").
 */
export function rootName(reference: string): string {
  const at = reference.indexOf(HIERARCHY_DELIMITER);
  return at < 0 ? '' : reference.slice(0, at + 1);
}

/** Whether a mailbox name matches one of the (non-empty) patterns: a loop, not a closure per name. */
function matchesAny(patterns: readonly { re: RegExp; text: string }[], name: string): boolean {
  for (const r of patterns) if (r.text !== '' && matchesPattern(name, r.re, r.text)) return true;
  return false;
}

function listResponses(ctx: ImapContext, a: ListArgs, lsub: boolean): Untagged[] {
  const out: Untagged[] = [];
  const regexps: { re: RegExp; text: string }[] = [];
  for (const p of a.patterns) {
    // RFC 3501 §6.3.8: in a classic LIST an empty pattern asks for the hierarchy delimiter and
    // the root name of the reference, and matches nothing. Extended LIST (RFC 5258) and LSUB
    // match the reference alone instead, as Dovecot does.
    if (p === '' && a.basic && !lsub) {
      out.push(data('LIST', ['\\Noselect'], str(HIERARCHY_DELIMITER), astring(rootName(a.reference))));
      continue;
    }
    const full = a.reference + p;
    regexps.push({ re: patternToRegExp(full), text: full });
  }
  const all = entries(ctx);
  const matches = (name: string) => matchesAny(regexps, name);
  const subscriptions = ctx.store.subscriptions(ctx.user!);
  if (lsub || a.selectSubscribed)
    return [...out, ...subscribedResponses(ctx, a, lsub, all, subscriptions, matches)];
  const subscribed = new Set(subscriptions);
  for (const e of all) {
    if (!matches(e.name)) continue;
    if (a.selectSpecialUse && !e.mailbox?.specialUse) continue;
    const attrs: ImapValue[] = [];
    // RFC 5258 §3: extended LIST calls a missing parent \NonExistent (which implies \Noselect).
    if (!e.mailbox) attrs.push(a.basic ? '\\Noselect' : '\\NonExistent');
    if (a.returnSubscribed && subscribed.has(e.name)) attrs.push('\\Subscribed');
    if (a.returnChildren) attrs.push(e.hasChildren ? '\\HasChildren' : '\\HasNoChildren');
    if (a.returnSpecialUse && e.mailbox?.specialUse) attrs.push(e.mailbox.specialUse);
    out.push(data('LIST', attrs, str(HIERARCHY_DELIMITER), astring(e.name)));
    if (a.returnStatus && e.mailbox) pushStatus(ctx, a, out, e.name, e.mailbox);
  }
  return out;
}

/**
 * RFC 5819: a STATUS response right after the LIST line of each selectable mailbox (none for
 * \NonExistent or \Noselect names). HIGHESTMODSEQ turns CONDSTORE on when the first STATUS is
 * made, so the selected mailbox's `* OK [HIGHESTMODSEQ n]` comes just before it, as Dovecot
 * sends it (and a LIST that matches no mailbox turns nothing on).
 */
function pushStatus(ctx: ImapContext, a: ListArgs, out: Untagged[], name: string, mb: MailboxData): void {
  if (a.returnStatus & HIGHESTMODSEQ) for (const u of enableCondstore(ctx)) out.push(u);
  out.push(statusResponse(ctx, name, mb, a.returnStatus));
}

/**
 * LSUB and LIST (SUBSCRIBED ...), which go by the subscribed names, as Dovecot does: in the
 * order they were subscribed (a name's parents take the place of its first subscribed
 * descendant, each parent followed by its subtree), then the special-use mailboxes the server
 * made (Dovecot's `auto = subscribe` lists those after the subscriptions file). A name whose
 * mailbox is gone is still listed (LSUB "()", LIST "\Subscribed \NonExistent"). A parent that
 * is not subscribed is listed when it matches and a subscribed descendant does not: by LSUB as
 * \Noselect (RFC 3501 §6.3.9) when the pattern ends with "%", by LIST with RECURSIVEMATCH with
 * CHILDINFO (RFC 5258 §3.5), which a subscribed mailbox with subscribed descendants gets too.
 */
function subscribedResponses(
  ctx: ImapContext,
  a: ListArgs,
  lsub: boolean,
  all: readonly Entry[],
  subscriptions: readonly string[],
  matches: (name: string) => boolean,
): Untagged[] {
  const serverMade = (name: string) => {
    const d = DEFAULT_MAILBOXES.find((m) => m.name === name);
    return !!d && name !== 'INBOX' && ctx.store.getMailbox(ctx.user!, name)?.specialUse === d.specialUse;
  };
  // The subscribed names as a tree, in subscription order (a parent where it first appears).
  interface Node {
    name: string;
    children: Node[];
  }
  const root: Node = { name: '', children: [] };
  const nodes = new Map<string, Node>();
  const later = subscriptions.filter(serverMade);
  for (const name of subscriptions.filter((n) => !serverMade(n))) {
    const parts = name.split(HIERARCHY_DELIMITER);
    let parent = root;
    for (let i = 1; i <= parts.length; i++) {
      const n = parts.slice(0, i).join(HIERARCHY_DELIMITER);
      let node = nodes.get(n);
      if (!node) {
        node = { name: n, children: [] };
        nodes.set(n, node);
        parent.children.push(node);
      }
      parent = node;
    }
  }
  const order: string[] = [];
  const walk = (list: Node[]) => {
    for (const n of list) {
      order.push(n.name);
      walk(n.children);
    }
  };
  walk(root.children);
  for (const n of DEFAULT_MAILBOXES) if (later.includes(n.name) && !nodes.has(n.name)) order.push(n.name);

  const subscribed = new Set(subscriptions);
  const entry = new Map(all.map((e) => [e.name, e]));
  const recursive = a.recursiveMatch && !lsub;
  // RFC 3501 §6.3.9 asks this of LSUB for the "%" wildcard: Dovecot lists such a parent only when
  // the pattern ends with "%" (LSUB "" "Wor%" lists Work, LSUB "" "Work" and "%/Y" do not).
  const parents = recursive || (lsub && (a.reference + (a.patterns[0] ?? '')).endsWith('%'));
  const out: Untagged[] = [];
  for (const name of order) {
    if (!matches(name)) continue;
    const below = subscriptions.filter((s) => s.startsWith(name + HIERARCHY_DELIMITER));
    const own = subscribed.has(name);
    if (!own && !(parents && below.some((s) => !matches(s)))) continue;
    const mb = ctx.store.getMailbox(ctx.user!, name);
    if (a.selectSpecialUse && !mb?.specialUse) continue;
    if (lsub) {
      const attrs = !own ? ['\\Noselect'] : mb?.specialUse ? [mb.specialUse] : [];
      out.push(data('LSUB', attrs, str(HIERARCHY_DELIMITER), astring(name)));
      continue;
    }
    const attrs: ImapValue[] = [];
    if (own) attrs.push('\\Subscribed');
    if (!mb) attrs.push('\\NonExistent');
    if (a.returnChildren) attrs.push(entry.get(name)?.hasChildren ? '\\HasChildren' : '\\HasNoChildren');
    if (a.returnSpecialUse && mb?.specialUse) attrs.push(mb.specialUse);
    const extra = recursive && below.length ? [['CHILDINFO', [str('SUBSCRIBED')]]] : [];
    out.push(data('LIST', attrs, str(HIERARCHY_DELIMITER), astring(name), ...extra));
    // A parent listed only for its subscribed children (CHILDINFO) gets no STATUS (measured).
    if (a.returnStatus && own && mb) pushStatus(ctx, a, out, name, mb);
  }
  return out;
}

/** RFC 9051 §6.3.9 with LIST-EXTENDED (RFC 5258) selection and RETURN options. */
export const list: ImapCommand<ListArgs> = {
  doc: {
    name: 'LIST',
    syntax: 'tag LIST [(selection-options)] reference pattern [RETURN (return-options)]',
    states: ['Authenticated', 'Selected'],
    summary:
      'Lists mailboxes whose names match a pattern: "*" matches anything, "%" anything but the "/" delimiter. Each line shows attributes such as \\HasChildren or a special use like \\Sent or \\Trash. RETURN (SUBSCRIBED SPECIAL-USE CHILDREN) asks for those attributes, RETURN (STATUS (MESSAGES UNSEEN)) for the counts of each mailbox as STATUS gives them (RFC 5819).',
    rfc: 'RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154',
    examples: [
      'a1 LIST "" *',
      'a1 LIST "" %',
      'a1 LIST "" * RETURN (SUBSCRIBED SPECIAL-USE)',
      'a1 LIST (SUBSCRIBED) "" *',
      'a1 LIST "" * RETURN (STATUS (MESSAGES UNSEEN))',
    ],
  },
  states: ['Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const a: ListArgs = {
      selectSubscribed: false,
      selectSpecialUse: false,
      recursiveMatch: false,
      reference: '',
      patterns: [],
      returnSubscribed: false,
      returnChildren: false,
      returnSpecialUse: false,
      returnStatus: 0,
      basic: true,
    };
    if (args.peek()?.t === 'list') {
      const sel = options(
        args.list('selection options'),
        ['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE'],
        'LIST selection option',
      );
      a.selectSubscribed = sel.includes('SUBSCRIBED');
      a.selectSpecialUse = sel.includes('SPECIAL-USE');
      a.recursiveMatch = sel.includes('RECURSIVEMATCH');
      if (a.recursiveMatch && !sel.some((o) => o !== 'RECURSIVEMATCH' && o !== 'REMOTE'))
        throw new ImapParseError('RECURSIVEMATCH must not be the only selection', 0);
      if (a.selectSubscribed) a.returnSubscribed = true;
      if (a.selectSpecialUse) a.returnSpecialUse = true;
      a.basic = false;
    }
    a.reference = args.astring('reference name');
    // A list of patterns is LIST-EXTENDED syntax too: Dovecot then adds no attributes unasked.
    if (args.peek()?.t === 'list') a.basic = false;
    a.patterns = readPattern(args);
    if (!args.done) {
      const kw = args.atom('RETURN');
      if (kw.toUpperCase() !== 'RETURN') throw new ImapParseError('Expected RETURN', args.pos);
      readReturnOptions(args, a);
      a.basic = false;
    }
    args.end();
    if (a.basic) {
      a.returnChildren = true;
      a.returnSpecialUse = true;
    }
    return a;
  },
  handle(ctx, a) {
    return ok('List completed', listResponses(ctx, a, false));
  },
};

/**
 * XLIST, Gmail's old way to ask for special-use folders: Dovecot 2.3 answers it as LIST (the
 * same "* LIST" lines) without advertising it, so clients that still send it get their list.
 */
export const xlist: ImapCommand<ListArgs> = {
  ...list,
  doc: {
    name: 'XLIST',
    syntax: 'tag XLIST reference pattern',
    states: ['Authenticated', 'Selected'],
    summary:
      "An old Gmail command that some clients still send to find the special-use folders. It is answered exactly like LIST (as Dovecot does); today's clients use LIST with SPECIAL-USE (RFC 6154).",
    rfc: 'RFC 6154',
    examples: ['a1 XLIST "" *'],
  },
};

/** RFC 3501 §6.3.9 (deprecated in rev2 in favour of LIST (SUBSCRIBED)). */
export const lsub: ImapCommand<ListArgs> = {
  doc: {
    name: 'LSUB',
    syntax: 'tag LSUB reference pattern',
    states: ['Authenticated', 'Selected'],
    summary:
      'Lists the subscribed mailboxes matching a pattern. An IMAP4rev1 command; IMAP4rev2 clients use LIST (SUBSCRIBED) "" "*" instead.',
    rfc: 'RFC 3501 §6.3.9',
    examples: ['a1 LSUB "" *'],
  },
  states: ['Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const reference = args.astring('reference name');
    const t = args.next('mailbox pattern');
    if (t.t === 'list') throw new ImapParseError('Invalid mailbox pattern', t.pos);
    args.end();
    return {
      selectSubscribed: true,
      selectSpecialUse: false,
      recursiveMatch: false,
      reference,
      patterns: [t.v],
      returnSubscribed: false,
      returnChildren: false,
      returnSpecialUse: true,
      returnStatus: 0,
      basic: false,
    };
  },
  handle(ctx, a) {
    return ok('Lsub completed', listResponses(ctx, a, true));
  },
};
