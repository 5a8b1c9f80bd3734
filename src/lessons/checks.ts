/**
 * The goal vocabulary: each check looks at the world (or at what the tracker saw happen) and
 * says, in plain words, what it found and, when the goal is not met, what it wants:
 * "the server holds 3 messages in INBOX; the goal is 0 messages."
 */
import { summarizeHeader } from '../client/summary';
import type { LocalMessage } from '../client/types';
import { decodeEncodedWords } from '../mail/mime';
import { normalizeMailboxName } from '../mail/store';
import type { WorldCore } from '../world/core';
import { theDevice } from '../world/narrate';
import type { Scenario } from '../world/scenario';
import type { Check, EventType } from './schema';
import type { Fact } from './tracker';
import { splitTag } from './tracker';
import { translator, type StringKey, type Translate } from './strings';

export interface Verdict {
  met: boolean;
  /** One or more sentences: what was found and, if unmet, what the goal wants. */
  text: string;
  /** What was found, without what the goal wants. */
  found: string;
  /** The verdicts of the parts of all / any / not. */
  parts?: Verdict[];
}

/** What a check reads. */
export interface CheckContext {
  world: WorldCore;
  scenario: Scenario;
  facts: readonly Fact[];
  /** Index in `facts` where the current step (and the lesson) began. */
  stepFacts: number;
  lessonFacts: number;
  /** Virtual time the current step (and the lesson) began. */
  stepClock: number;
  lessonClock: number;
  t?: Translate;
}

interface Leaf {
  met: boolean;
  found: string;
  want: string;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function leafVerdict(l: Leaf, t: Translate): Verdict {
  const found = cap(l.found);
  return { met: l.met, found, text: l.met ? t('check.met', { found }) : t('check.unmet', { found, want: l.want }) };
}

/** "1,234,567" without relying on the host's locale. */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Octets in words: "10,631 octets", "1.2 MB (1,234,567 octets)". */
export function formatBytes(n: number): string {
  if (n < 100_000) return `${groupDigits(n)} octets`;
  return `${(n / 1_000_000).toFixed(1)} MB (${groupDigits(n)} octets)`;
}

function plural(t: Translate, base: 'count.messages' | 'time.days' | 'time.hours' | 'time.minutes', n: number) {
  return t(`${base}.${n === 1 ? 'one' : 'other'}` as StringKey, { n: groupDigits(n) });
}

function timesText(t: Translate, n: number): string {
  if (n === 0) return t('times.zero');
  if (n === 1) return t('times.one');
  if (n === 2) return t('times.two');
  return t('times.n', { n: groupDigits(n) });
}

export function durationText(t: Translate, ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % (24 * 60) === 0 && minutes > 0) return plural(t, 'time.days', minutes / (24 * 60));
  if (minutes >= 48 * 60) return plural(t, 'time.days', Math.round((minutes / (24 * 60)) * 10) / 10);
  if (minutes % 60 === 0 && minutes > 0) return plural(t, 'time.hours', minutes / 60);
  if (minutes >= 120) return plural(t, 'time.hours', Math.round((minutes / 60) * 10) / 10);
  return plural(t, 'time.minutes', minutes);
}

/** A subject as a person reads it (RFC 2047 words decoded). */
export function readableSubject(raw: string): string {
  try {
    return decodeEncodedWords(raw);
  } catch {
    return raw;
  }
}

/** Does a Subject header (raw or decoded) equal the subject a goal names? */
export function subjectIs(raw: string, want: string): boolean {
  return raw === want || readableSubject(raw) === want;
}

const flagList = (t: Translate, flags: readonly string[]) => (flags.length ? flags.join(' ') : t('flags.none'));
const hasFlag = (flags: readonly string[], f: string) => flags.some((x) => x.toUpperCase() === f.toUpperCase());
const sameFolder = (a: string, b: string) => normalizeMailboxName(a) === normalizeMailboxName(b);

function deviceName(world: WorldCore, id: string): string | null {
  try {
    return theDevice(world.device(id).name);
  } catch {
    return null;
  }
}

/** Does `command` (without tag) start with the words of `want`? "UID FETCH 1:*" matches "UID FETCH". */
export function commandMatches(command: string, want: string): boolean {
  const have = command.trim().split(/\s+/);
  const need = want.trim().split(/\s+/);
  return need.every((w, i) => have[i] !== undefined && have[i].toUpperCase() === w.toUpperCase());
}

function count(want: { count?: number; atLeast?: number; atMost?: number }, n: number): boolean {
  if (want.count !== undefined) return n === want.count;
  return (want.atLeast === undefined || n >= want.atLeast) && (want.atMost === undefined || n <= want.atMost);
}

function countWant(t: Translate, want: { count?: number; atLeast?: number; atMost?: number }): string {
  if (want.count !== undefined) return plural(t, 'count.messages', want.count);
  if (want.atLeast !== undefined && want.atMost !== undefined)
    return `${t('times.atLeast', { times: plural(t, 'count.messages', want.atLeast) })}${t('list.and')}${groupDigits(want.atMost)} at most`;
  if (want.atLeast !== undefined) return t('times.atLeast', { times: plural(t, 'count.messages', want.atLeast) });
  return `at most ${plural(t, 'count.messages', want.atMost ?? 0)}`;
}

// ---- the checks ----------------------------------------------------------------------------------

function sessionCheck(c: NonNullable<Check['session']>, ctx: CheckContext, t: Translate): Leaf {
  const name = deviceName(ctx.world, c.device);
  if (name === null) return { met: false, found: t('check.noDevice', { device: c.device }), want: t('check.needDevice') };
  const via = c.via ?? 'any';
  const s = ctx.world.sessions(c.device);
  const candidates = via === 'terminal' ? [s.manual] : via === 'app' ? [s.sync] : [s.manual, s.sync];
  const open = candidates.filter((x) => x !== null);
  const wants: string[] = [];
  if (c.state !== undefined) wants.push(c.state === 'none' ? t('session.want.none') : c.state);
  if (c.mailbox !== undefined) wants.push(t('session.detail.mailbox', { mailbox: c.mailbox }));
  if (c.marked !== undefined) wants.push(t('session.detail.marked', { n: c.marked }));
  if (c.idling !== undefined) wants.push(t(c.idling ? 'session.detail.idling' : 'session.detail.notIdling'));
  const want = wants.join(', ');
  if (open.length === 0)
    return {
      met: c.state === 'none',
      found: t('session.none', { device: cap(name), kind: t(`session.kind.${via}`) }),
      want,
    };
  if (c.state === 'none') {
    const x = open[0];
    return {
      met: false,
      found: t('session.found', { session: t(`session.${via}`, { device: name }), state: x.state }),
      want,
    };
  }
  const describe = (x: (typeof open)[number], kind: 'terminal' | 'app' | 'any') => {
    const details: string[] = [];
    if (c.mailbox !== undefined)
      details.push(
        x.view?.mailbox
          ? t('session.detail.mailbox', { mailbox: x.view.mailbox })
          : t('session.detail.noMailbox'),
      );
    if (c.marked !== undefined) details.push(t('session.detail.marked', { n: x.view?.marked.length ?? 0 }));
    if (c.idling !== undefined)
      details.push(t(x.view?.idling ? 'session.detail.idling' : 'session.detail.notIdling'));
    const base = t('session.found', { session: t(`session.${kind}`, { device: name }), state: x.state });
    return details.length ? `${base}, ${details.join(', ')}` : base;
  };
  const fits = (x: (typeof open)[number]) =>
    (c.state === undefined || x.state === c.state) &&
    (c.mailbox === undefined || (x.view?.mailbox != null && sameFolder(x.view.mailbox, c.mailbox))) &&
    (c.marked === undefined || (x.view?.marked.length ?? 0) === c.marked) &&
    (c.idling === undefined || (x.view?.idling ?? false) === c.idling);
  const kindOf = (x: (typeof open)[number]): 'terminal' | 'app' => (x === s.manual ? 'terminal' : 'app');
  const good = open.find(fits);
  if (good) return { met: true, found: describe(good, kindOf(good)), want };
  return { met: false, found: open.map((x) => describe(x, kindOf(x))).join('; '), want };
}

interface Holding {
  subject: string;
  flags: readonly string[];
}

/** has / lacks / count over a list of messages, worded for the server or a device. */
function holdingCheck(
  c: {
    count?: number;
    atLeast?: number;
    atMost?: number;
    has?: string;
    lacks?: string;
    flags?: string[];
    notFlags?: string[];
  },
  messages: readonly Holding[],
  t: Translate,
  words: {
    count: (count: string) => string;
    has: (subject: string, flags: string | null) => string;
    lacks: (subject: string) => string;
  },
): Leaf {
  if (c.has !== undefined) {
    const same = messages.filter((m) => subjectIs(m.subject, c.has!));
    const want =
      c.flags || c.notFlags
        ? t('server.want.hasFlags', {
            flags: flagList(t, c.flags ?? []),
            notFlags: flagList(t, c.notFlags ?? []),
          })
        : t('server.want.has');
    if (same.length === 0) return { met: false, found: words.lacks(c.has), want };
    const fits = (m: Holding) =>
      (c.flags ?? []).every((f) => hasFlag(m.flags, f)) && !(c.notFlags ?? []).some((f) => hasFlag(m.flags, f));
    const good = same.find(fits);
    const shown = good ?? same[0];
    return {
      met: good !== undefined,
      found: words.has(c.has, c.flags || c.notFlags ? flagList(t, shown.flags) : null),
      want,
    };
  }
  if (c.lacks !== undefined) {
    const there = messages.find((m) => subjectIs(m.subject, c.lacks!));
    return {
      met: !there,
      found: there ? words.has(c.lacks, null) : words.lacks(c.lacks),
      want: t('server.want.lacks'),
    };
  }
  const n = messages.length;
  return { met: count(c, n), found: words.count(plural(t, 'count.messages', n)), want: countWant(t, c) };
}

function serverCheck(c: NonNullable<Check['server']>, ctx: CheckContext, t: Translate): Leaf {
  const folder = normalizeMailboxName(c.folder ?? 'INBOX');
  const mb = ctx.world.mailStore.getMailbox(ctx.world.account.user, folder);
  if (c.exists !== undefined)
    return {
      met: !!mb === c.exists,
      found: t(mb ? 'server.exists' : 'server.missing', { folder }),
      want: t(c.exists ? 'server.want.exists' : 'server.want.missing'),
    };
  const messages: Holding[] = (mb?.messages ?? []).map((m) => ({
    subject: summarizeHeader(m.raw).subject,
    flags: m.flags,
  }));
  return holdingCheck(c, messages, t, {
    count: (count) => (mb ? t('server.count', { count, folder }) : t('server.missing', { folder })),
    has: (subject, flags) =>
      flags === null ? t('server.has', { folder, subject }) : t('server.hasFlags', { folder, subject, flags }),
    lacks: (subject) => (mb ? t('server.lacks', { folder, subject }) : t('server.missing', { folder })),
  });
}

function deviceCheck(c: NonNullable<Check['device']>, ctx: CheckContext, t: Translate): Leaf {
  const name = deviceName(ctx.world, c.device);
  if (name === null) return { met: false, found: t('check.noDevice', { device: c.device }), want: t('check.needDevice') };
  const d = ctx.world.device(c.device);
  const Name = cap(name);
  if (c.lost !== undefined)
    return {
      met: d.lost === c.lost,
      found: t(d.lost ? 'device.lost' : 'device.notLost', { device: Name }),
      want: t(c.lost ? 'device.want.true' : 'device.want.false'),
    };
  if (c.online !== undefined)
    return {
      met: d.online === c.online,
      found: t(d.online ? 'device.online' : 'device.offline', { device: Name }),
      want: t(c.online ? 'device.want.true' : 'device.want.false'),
    };
  if (c.exists !== undefined) {
    const has = d.folders.some((f) => sameFolder(f.name, c.folder!));
    return {
      met: has === c.exists,
      found: t(has ? 'device.exists' : 'device.missing', { device: Name, folder: c.folder! }),
      want: t(c.exists ? 'server.want.exists' : 'server.want.missing'),
    };
  }
  const inFolder = (m: LocalMessage) => c.folder === undefined || sameFolder(m.folder, c.folder);
  const where = c.folder === undefined ? '' : t('device.where', { folder: c.folder });
  return holdingCheck(c, d.messages.filter(inFolder), t, {
    count: (count) => t('device.count', { device: Name, count, where }),
    has: (subject, flags) =>
      flags === null
        ? t('device.has', { device: Name, subject, where })
        : t('device.hasFlags', { device: Name, subject, where, flags }),
    lacks: (subject) => t('device.lacks', { device: Name, subject, where }),
  });
}

function storageCheck(c: NonNullable<Check['storage']>, ctx: CheckContext, t: Translate): Leaf {
  const user = ctx.world.account.user;
  const bytes = ctx.world.mailStore.storageBytes(user);
  if (c.overQuota !== undefined) {
    const quota = ctx.scenario.storage?.quotaBytes;
    if (quota === undefined)
      return { met: false, found: t('storage.noQuota'), want: t(c.overQuota ? 'storage.want.over' : 'storage.want.under') };
    return {
      met: bytes > quota === c.overQuota,
      found: t('storage.quota', { bytes: formatBytes(bytes), user, quota: formatBytes(quota) }),
      want: t(c.overQuota ? 'storage.want.over' : 'storage.want.under'),
    };
  }
  const met = (c.atLeast === undefined || bytes >= c.atLeast) && (c.atMost === undefined || bytes <= c.atMost);
  const want =
    c.atLeast !== undefined && c.atMost !== undefined
      ? t('storage.want.between', { min: formatBytes(c.atLeast), max: formatBytes(c.atMost) })
      : c.atLeast !== undefined
        ? t('storage.want.atLeast', { bytes: formatBytes(c.atLeast) })
        : t('storage.want.atMost', { bytes: formatBytes(c.atMost ?? 0) });
  return { met, found: t('storage.found', { bytes: formatBytes(bytes), user }), want };
}

function factsSince(ctx: CheckContext, since: 'step' | 'lesson' | undefined): readonly Fact[] {
  return ctx.facts.slice(since === 'lesson' ? ctx.lessonFacts : ctx.stepFacts);
}

function sentCheck(c: NonNullable<Check['sent']>, ctx: CheckContext, t: Translate): Leaf {
  const name = deviceName(ctx.world, c.device) ?? c.device;
  const via = c.via ?? 'any';
  const sent = factsSince(ctx, c.since).filter(
    (f): f is Extract<Fact, { kind: 'command' }> =>
      f.kind === 'command' &&
      f.device === c.device &&
      (via === 'any' || f.via === via) &&
      (c.line !== undefined
        ? commandMatches(f.line, c.line)
        : commandMatches(splitTag(f.protocol, f.line).command, c.command!)),
  );
  const good = sent.filter((f) => c.status === undefined || f.status === c.status);
  const need = c.times ?? 1;
  const command = c.line ?? c.command!;
  const status = c.status ? t('sent.status', { status: c.status }) : '';
  const since = t(c.since === 'lesson' ? 'since.lesson' : 'since.step');
  let found: string;
  if (good.length === 0) {
    found = t('sent.none', { device: cap(name), command, status, since });
    const replies = [...new Set(sent.map((f) => f.status ?? '?'))];
    if (c.status && sent.length) found += t('sent.replies', { replies: replies.join(', ') });
  } else found = t('sent.found', { device: cap(name), command, status, times: timesText(t, good.length), since });
  return {
    met: good.length >= need,
    found,
    want: need === 1 ? t('sent.want.once') : t('sent.want.times', { times: t('times.atLeast', { times: timesText(t, need) }) }),
  };
}

function eventCheck(c: NonNullable<Check['event']>, ctx: CheckContext, t: Translate): Leaf {
  const type: EventType = c.type;
  const hits = factsSince(ctx, c.since).filter((f) => {
    if (f.kind !== type) return false;
    if (c.device !== undefined && (!('device' in f) || f.device !== c.device)) return false;
    if (c.subject !== undefined && (!('subject' in f) || !subjectIs(f.subject, c.subject))) return false;
    if (c.folder !== undefined && (!('folder' in f) || !sameFolder(f.folder, c.folder))) return false;
    if (c.result !== undefined && (f.kind !== 'check' || f.result !== c.result)) return false;
    return true;
  });
  const need = c.times ?? 1;
  const by = c.device === undefined ? null : (deviceName(ctx.world, c.device) ?? c.device);
  let what =
    type === 'device-lost' && by !== null ? t('event.device-lost.by', { device: by }) : t(`event.${type}` as StringKey);
  if (c.subject !== undefined) what += t('event.of', { subject: c.subject });
  if (c.folder !== undefined) what += t('event.in', { folder: c.folder });
  if (by !== null && type !== 'device-lost') what += t('event.by', { device: by });
  if (c.result !== undefined) what += t('event.result', { result: c.result });
  return {
    met: hits.length >= need,
    found: t('event.found', {
      what,
      n: groupDigits(hits.length),
      since: t(c.since === 'lesson' ? 'since.lesson' : 'since.step'),
    }),
    want: t('event.want', { n: groupDigits(need) }),
  };
}

function clockCheck(c: NonNullable<Check['clock']>, ctx: CheckContext, t: Translate): Leaf {
  const elapsed = ctx.world.now - (c.since === 'lesson' ? ctx.lessonClock : ctx.stepClock);
  const need = (c.days ?? 0) * 86_400_000 + (c.hours ?? 0) * 3_600_000;
  return {
    met: elapsed >= need,
    found: t('clock.found', {
      time: durationText(t, elapsed),
      since: t(c.since === 'lesson' ? 'since.lesson' : 'since.step'),
    }),
    want: t('clock.want', { time: durationText(t, need) }),
  };
}

function lockCheck(c: NonNullable<Check['lock']>, ctx: CheckContext, t: Translate): Leaf {
  const holder = ctx.world.lockHolder();
  const holderName = holder === null ? null : (deviceName(ctx.world, holder) ?? holder);
  const found = holderName === null ? t('lock.free') : t('lock.held', { holder: holderName });
  if (c.free !== undefined) return { met: (holder === null) === c.free, found, want: t(c.free ? 'lock.want.free' : 'lock.want.holder', { holder: 'a device' }) };
  return {
    met: holder === c.holder,
    found,
    want: t('lock.want.holder', { holder: deviceName(ctx.world, c.holder!) ?? c.holder! }),
  };
}

/** The verdict of a goal, now. */
export function evaluateCheck(check: Check, ctx: CheckContext): Verdict {
  const t = ctx.t ?? translator();
  if (check.all) {
    const parts = check.all.map((c) => evaluateCheck(c, ctx));
    const met = parts.every((p) => p.met);
    const shown = met ? parts : parts.filter((p) => !p.met);
    return {
      met,
      found: parts.map((p) => p.found).join('; '),
      text: t('check.all.unmet', { parts: shown.map((p) => p.text).join(' ') }),
      parts,
    };
  }
  if (check.any) {
    const parts = check.any.map((c) => evaluateCheck(c, ctx));
    const good = parts.find((p) => p.met);
    const found = parts.map((p) => p.found).join('; ');
    if (good) return { met: true, found, text: good.text, parts };
    return { met: false, found, text: t('check.any.unmet', { parts: parts.map((p) => p.text).join(' ') }), parts };
  }
  if (check.not) {
    const inner = evaluateCheck(check.not, ctx);
    const found = inner.found;
    return {
      met: !inner.met,
      found,
      text: inner.met ? t('check.not.unmet', { found }) : t('check.not.met', { found }),
      parts: [inner],
    };
  }
  let leaf: Leaf;
  if (check.session) leaf = sessionCheck(check.session, ctx, t);
  else if (check.server) leaf = serverCheck(check.server, ctx, t);
  else if (check.device) leaf = deviceCheck(check.device, ctx, t);
  else if (check.storage) leaf = storageCheck(check.storage, ctx, t);
  else if (check.sent) leaf = sentCheck(check.sent, ctx, t);
  else if (check.event) leaf = eventCheck(check.event, ctx, t);
  else if (check.clock) leaf = clockCheck(check.clock, ctx, t);
  else if (check.lock) leaf = lockCheck(check.lock, ctx, t);
  else return { met: false, found: 'empty check', text: 'empty check' };
  return leafVerdict(leaf, t);
}
