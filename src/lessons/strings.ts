/**
 * Every sentence the lesson engine shows, in one catalogue (English), so a page can translate
 * them: pass a partial catalogue with the same keys to the engine (`strings` option). Values use
 * `{name}` placeholders; `t()` fills them. Lesson text itself is translated by writing the lesson
 * again under `lessons/<lang>/` with the same id (docs/lessons.md).
 */

export const STRINGS = {
  // ---- the page's lesson screen -------------------------------------------------------------
  'ui.lesson': 'Lesson',
  'ui.hint': 'Hint',
  'ui.showSolution': 'Show solution',
  'ui.resetStep': 'Reset step',
  'ui.nextStep': 'Next step',
  'ui.goal': 'Goal',
  'ui.goalMet': 'Goal met',
  'ui.goalNotYet': 'Not yet',
  'ui.stepOf': 'Step {n} of {total}',
  'ui.noMoreHints': 'No more hints: show the solution if you are stuck.',
  'ui.finished': 'Lesson complete',
  'ui.minutes': '{n} min',
  'ui.track.pop3-wire': 'POP3 on the wire',
  'ui.track.imap-wire': 'IMAP on the wire',
  'ui.track.stories': 'Stories on several devices',
  'ui.level.beginner': 'beginner',
  'ui.level.intermediate': 'intermediate',
  'ui.level.advanced': 'advanced',
  'ui.summary.commands': 'You used {used} commands and actions; the solution uses {solution}.',
  'ui.summary.under': 'Fewer than the solution: well played.',
  'ui.summary.par': 'Exactly as many as the solution.',
  'ui.summary.over': 'A few more than the solution: that is how one learns.',
  'ui.summary.hints': 'Hints used: {n}.',
  'ui.summary.solutions': 'Solutions shown: {n}.',
  'ui.progress.corrupt': 'Your saved lesson progress could not be read ({reason}); it was reset.',
  'ui.progress.stale':
    'The lesson "{id}" has changed since your progress was saved ({reason}); it starts again.',
  'ui.progress.imported': 'Progress imported: {n} lessons.',

  // ---- solution lines in words ----------------------------------------------------------------
  'action.type': 'On {device}, type {line}',
  'action.check': 'Check mail on {device}',
  'action.checkAll': 'Check mail on every device',
  'action.read': 'On {device}, open (mark read) {message}',
  'action.unread': 'On {device}, mark {message} unread',
  'action.flag': 'On {device}, flag {message}',
  'action.unflag': 'On {device}, remove the flag of {message}',
  'action.delete': 'On {device}, delete {message}',
  'action.move': 'On {device}, move {message} to {to}',
  'action.createFolder': 'On {device}, create the folder {name}',
  'action.offline': 'Take {device} offline',
  'action.online': 'Bring {device} back online',
  'action.lose': 'Lose {device} (its disk and its mail are gone)',
  'action.drop': "Break {device}'s connection (no QUIT or LOGOUT)",
  'action.connect': "Open {device}'s terminal (it connects; the greeting arrives)",
  'action.removeDevice': 'Remove {device} from the lab',
  'action.fault': 'Inject the fault "{fault}" on {device}',
  'action.addDevice': 'Add a new device: {device}',
  'action.protocol': 'Switch {device} to {protocol}',
  'action.settings': "Change {device}'s mail settings",
  'action.deliver': 'A message arrives: {subject}',
  'action.traffic': 'Mail starts arriving: {perDay} messages a day for {days} days',
  'action.advance': 'Let {time} pass',
  'action.note': 'Note: {text}',
  'message.all': 'every message in INBOX',

  // ---- goal checks: what was found, and what the goal wants -----------------------------------
  'check.met': '{found}.',
  'check.unmet': '{found}; the goal is {want}.',
  'check.not.met': '{found}.',
  'check.not.unmet': '{found}; the goal is the opposite.',
  'check.all.unmet': '{parts}',
  'check.any.unmet': 'None of these yet: {parts}',
  'check.noDevice': 'there is no device "{device}" in this lesson yet',
  'check.needDevice': 'that it is there (add it first)',

  'session.terminal': "{device}'s terminal session",
  'session.app': "{device}'s mail app's session",
  'session.any': "{device}'s session",
  'session.none': '{device} has no open {kind}',
  'session.kind.terminal': 'terminal session',
  'session.kind.app': 'mail app session',
  'session.kind.any': 'session',
  'session.found': '{session} is in the {state} state',
  'session.detail.mailbox': '{mailbox} selected',
  'session.detail.noMailbox': 'no mailbox selected',
  'session.detail.marked': '{n} marked for deletion',
  'session.detail.idling': 'waiting in IDLE',
  'session.detail.notIdling': 'not in IDLE',
  'session.want.none': 'no open session',
  'session.want': '{state}',

  'server.count': 'the server holds {count} in {folder}',
  'server.has': "the server's {folder} holds '{subject}'",
  'server.hasFlags': "the server's {folder} holds '{subject}' with flags {flags}",
  'server.lacks': "the server's {folder} does not hold '{subject}'",
  'server.exists': 'the server has a folder {folder}',
  'server.missing': 'the server has no folder {folder}',
  'server.want.exists': 'that it has one',
  'server.want.missing': 'that it has none',
  'server.want.has': 'that it holds it',
  'server.want.hasFlags': 'that it holds it with {flags} and without {notFlags}',
  'server.want.lacks': 'that it no longer holds it',

  'device.count': '{device} holds {count}{where}',
  'device.where': ' in {folder}',
  'device.has': "{device} holds '{subject}'{where}",
  'device.hasFlags': "{device} holds '{subject}'{where} with flags {flags}",
  'device.lacks': "{device} does not hold '{subject}'{where}",
  'device.exists': '{device} has a folder {folder}',
  'device.missing': '{device} has no folder {folder}',
  'device.lost': '{device} is lost',
  'device.notLost': '{device} is not lost',
  'device.online': '{device} is online',
  'device.offline': '{device} is offline',
  'device.want.true': 'that it is',
  'device.want.false': 'that it is not',

  'storage.found': 'the server stores {bytes} for {user}',
  'storage.quota': 'the server stores {bytes} for {user}, against a quota of {quota}',
  'storage.noQuota': 'this lesson has no storage quota',
  'storage.want.atLeast': 'at least {bytes}',
  'storage.want.atMost': 'at most {bytes}',
  'storage.want.between': 'from {min} to {max}',
  'storage.want.over': 'more than the quota',
  'storage.want.under': 'no more than the quota',

  'sent.found': '{device} has sent {command}{status} {times}{since}',
  'sent.none': '{device} has not sent {command}{status}{since}',
  'sent.status': ' with the reply {status}',
  'sent.replies': ' (replies: {replies})',
  'sent.want.once': 'that it does',
  'sent.want.times': '{times}',

  'event.found': '{what}: {n}{since}',
  'event.lock-refused': 'logins refused with [IN-USE] (maildrop locked)',
  'event.expunge-seen': 'EXPUNGE responses received',
  'event.expunged': 'messages expunged on the server',
  'event.downloaded': 'downloads',
  'event.delivered': 'messages delivered to the server',
  'event.device-lost': 'devices lost',
  'event.pushed': 'responses pushed during IDLE',
  'event.flags-synced': 'flag changes learned from the server',
  'event.folder-synced': 'folders learned from the server',
  'event.removed': 'local copies removed because the server said so',
  'event.dropped': 'connections dropped without QUIT or LOGOUT',
  'event.check': 'mail checks',
  'event.by': ' by {device}',
  'event.device-lost.by': '{device} lost',
  'event.of': " of '{subject}'",
  'event.in': ' in {folder}',
  'event.result': ' with the result "{result}"',

  'clock.found': '{time} of virtual time have passed{since}',
  'clock.want': 'at least {time}',
  'event.want': 'at least {n}',

  'lock.held': 'the maildrop lock is held by {holder}',
  'lock.free': 'nobody holds the maildrop lock',
  'lock.want.holder': 'that {holder} holds it',
  'lock.want.free': 'that nobody holds it',

  'since.step': ' during this step',
  'since.lesson': ' since the lesson began',
  'times.zero': 'never',
  'times.one': 'once',
  'times.two': 'twice',
  'times.n': '{n} times',
  'times.atLeast': 'at least {times}',
  'count.messages.one': '{n} message',
  'count.messages.other': '{n} messages',
  'time.days.one': '{n} day',
  'time.days.other': '{n} days',
  'time.hours.one': '{n} hour',
  'time.hours.other': '{n} hours',
  'time.minutes.one': '{n} minute',
  'time.minutes.other': '{n} minutes',
  'flags.none': '(none)',
  'list.and': ' and ',
} as const;

export type StringKey = keyof typeof STRINGS;
export type Strings = { readonly [K in StringKey]: string };

/** Fills `{name}` placeholders; an unknown placeholder stays as it is. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** A catalogue with a translation laid over the English (unknown keys and non-strings are ignored). */
export function catalogue(overrides: Partial<Record<string, unknown>> = {}): Strings {
  const out: Record<string, string> = { ...STRINGS };
  for (const key of Object.keys(STRINGS))
    if (Object.prototype.hasOwnProperty.call(overrides, key) && typeof overrides[key] === 'string')
      out[key] = overrides[key] as string;
  return out as Strings;
}

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

export function translator(strings: Strings = STRINGS): Translate {
  return (key, params) => format(strings[key], params);
}
