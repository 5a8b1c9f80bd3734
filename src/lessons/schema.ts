/**
 * The lesson format as a zod schema: one definition gives the TypeScript types, the validation
 * of untrusted files (with paths such as `steps[2].goal.session.state`) and, through
 * `z.toJSONSchema`, the JSON Schema editors use (`lessons/lesson.schema.json`, written by
 * `npm run lessons -- schema`). What zod cannot know (a scenario's own rules, which devices
 * exist at a step) is checked afterwards in parse.ts.
 */
import * as z from 'zod';

/** The article's claims (../shared/CURRICULUM.md), in short. */
export const CLAIMS = {
  C1: 'POP and IMAP are two ways to reach the same server and mailbox.',
  C2: 'POP downloads the mail and removes it from the server.',
  C3: '"Leave on server" keeps copies, but it is not syncing.',
  C4: 'IMAP takes a copy and leaves the original on the server.',
  C5: 'IMAP syncs read, flags, moves, deletes and folders across devices.',
  C6: 'With many devices, IMAP is usually the better choice.',
  C7: 'With IMAP, storage on the server grows and may cost money.',
  C8: 'With IMAP, the server copy is a backup when a device is lost.',
  C9: 'POP fits one computer and simple needs.',
  C10: 'POP fits if you do not want mail to pile up and you keep backups.',
} as const;
export type Claim = keyof typeof CLAIMS;
export const CLAIM_IDS = Object.keys(CLAIMS) as Claim[];

export const TRACKS = ['pop3-wire', 'imap-wire', 'stories'] as const;
export type Track = (typeof TRACKS)[number];
export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;

/** Session states in the protocols' own words, and "none" for no open session. */
export const SESSION_STATES = [
  'none',
  'AUTHORIZATION',
  'TRANSACTION',
  'UPDATE',
  'Not Authenticated',
  'Authenticated',
  'Selected',
  'Logout',
] as const;

export const EVENT_TYPES = [
  'lock-refused',
  'expunge-seen',
  'expunged',
  'downloaded',
  'delivered',
  'device-lost',
  'pushed',
  'flags-synced',
  'folder-synced',
  'removed',
  'dropped',
  'check',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const REPLY_STATUSES = ['+OK', '-ERR', 'OK', 'NO', 'BAD'] as const;

// ---- building blocks ------------------------------------------------------------------------

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const oneLine = (max: number) =>
  text(max).regex(/^[^\r\n]*$/, 'must be one line');
const DeviceId = z.string().min(1).max(64).describe('A device id from the scenario (or added by a step).');
const Subject = oneLine(500).describe('A message subject, exactly as the Subject header has it.');
const Folder = oneLine(200).describe('A folder (IMAP mailbox) name; INBOX is case-insensitive.');
const Flag = z
  .string()
  .regex(/^\\?[A-Za-z$][\w$.-]{0,63}$/, 'must be a flag such as \\Seen, \\Flagged or a keyword');
const Flags = z.array(Flag).max(10);
const Count = z.number().int().min(0).max(10_000_000);
const Times = z.number().int().min(1).max(10_000_000);
const Via = z
  .enum(['terminal', 'app', 'any'])
  .describe('terminal: the lines a learner types; app: the device mail app; any: either (default).');
const Since = z
  .enum(['step', 'lesson'])
  .describe('Count what happened during this step (default) or since the lesson began.');

// ---- goal checks ----------------------------------------------------------------------------

const countKeys = (v: object, keys: readonly string[]) =>
  keys.filter((k) => (v as Record<string, unknown>)[k] !== undefined);

export const SessionCheck = z
  .strictObject({
    device: DeviceId,
    via: Via.optional(),
    state: z.enum(SESSION_STATES).optional(),
    mailbox: Folder.optional().describe('The selected mailbox (IMAP) or the maildrop (POP3).'),
    idling: z.boolean().optional().describe('IMAP: waiting in IDLE (RFC 2177).'),
    marked: Count.optional().describe('POP3: how many messages are marked with DELE.'),
  })
  .refine((v) => countKeys(v, ['state', 'mailbox', 'idling', 'marked']).length > 0, {
    message: 'say what the session should be: state, mailbox, idling or marked',
  })
  .describe("A device's live session: the terminal's, the mail app's, or either.");

const quantity = {
  count: Count.optional().describe('Exactly this many messages.'),
  atLeast: Count.optional(),
  atMost: Count.optional(),
  has: Subject.optional().describe('A message with this subject is there.'),
  lacks: Subject.optional().describe('No message with this subject is there.'),
  flags: Flags.optional().describe('With "has": the message carries all these flags.'),
  notFlags: Flags.optional().describe('With "has": the message carries none of these flags.'),
  exists: z.boolean().optional().describe('The folder exists (true) or not (false).'),
};
const QUANTITY_MODES = ['count', 'has', 'lacks', 'exists'] as const;

/** Exactly one way of looking: count (with atLeast/atMost), has, lacks or exists. */
function oneMode(v: Record<string, unknown>, extra: string[] = []): string | null {
  const modes = [
    ...(v.count !== undefined || v.atLeast !== undefined || v.atMost !== undefined ? ['count'] : []),
    ...countKeys(v, [...QUANTITY_MODES.slice(1), ...extra]),
  ];
  if (modes.length !== 1)
    return `use exactly one of count/atLeast/atMost, has, lacks, exists${extra.length ? ', ' + extra.join(', ') : ''} (found ${modes.length ? modes.join(', ') : 'none'})`;
  if ((v.flags !== undefined || v.notFlags !== undefined) && v.has === undefined)
    return 'flags and notFlags go with "has"';
  if (v.count !== undefined && (v.atLeast !== undefined || v.atMost !== undefined))
    return 'use count, or atLeast/atMost, not both';
  return null;
}

export const ServerCheck = z
  .strictObject({ folder: Folder.optional().describe('Default INBOX.'), ...quantity })
  .superRefine((v, ctx) => {
    const why = oneMode(v);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  })
  .describe("The server's mailbox: how many messages a folder holds, or whether it holds one.");

export const DeviceCheck = z
  .strictObject({
    device: DeviceId,
    folder: Folder.optional().describe('A local folder; default: every folder (exists needs one).'),
    ...quantity,
    lost: z.boolean().optional(),
    online: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    const why = oneMode(v, ['lost', 'online']);
    if (why) ctx.addIssue({ code: 'custom', message: why });
    else if (v.exists !== undefined && v.folder === undefined)
      ctx.addIssue({ code: 'custom', message: '"exists" needs a folder' });
  })
  .describe('What a device holds locally: its messages, flags and folders, or whether it is lost.');

export const StorageCheck = z
  .strictObject({
    atLeast: Count.optional().describe('Octets.'),
    atMost: Count.optional().describe('Octets.'),
    overQuota: z.boolean().optional().describe("Above (true) or within (false) the scenario's quota."),
  })
  .refine((v) => countKeys(v, ['atLeast', 'atMost', 'overQuota']).length > 0, {
    message: 'give atLeast, atMost or overQuota',
  })
  .describe("Octets the server stores for the lesson's account.");

export const SentCheck = z
  .strictObject({
    device: DeviceId,
    command: oneLine(200)
      .optional()
      .describe('The command (without an IMAP tag), matched word by word from the start: "RETR" or "UID FETCH".'),
    line: oneLine(200)
      .optional()
      .describe('Or the whole line as sent (an IMAP tag included), matched word by word from the start.'),
    status: z.enum(REPLY_STATUSES).optional().describe('The status of its reply.'),
    via: Via.optional(),
    times: Times.optional().describe('At least this many times (default 1).'),
    since: Since.optional(),
  })
  .refine((v) => (v.command === undefined) !== (v.line === undefined), { message: 'give command or line' })
  .describe('A command a device sent, and the status the server gave it.');

export const EventCheck = z
  .strictObject({
    type: z.enum(EVENT_TYPES),
    device: DeviceId.optional(),
    subject: Subject.optional(),
    folder: Folder.optional(),
    result: z.enum(['ok', 'locked', 'auth-failed', 'unavailable', 'offline', 'error']).optional(),
    times: Times.optional().describe('At least this many (default 1).'),
    since: Since.optional(),
  })
  .describe('Something that happened in the world, counted as it happened.');

export const ClockCheck = z
  .strictObject({
    days: z.number().min(0).max(3660).optional(),
    hours: z.number().min(0).max(87_840).optional(),
    since: Since.optional(),
  })
  .refine((v) => v.days !== undefined || v.hours !== undefined, { message: 'give days or hours' })
  .describe('Virtual time that has passed.');

export const LockCheck = z
  .strictObject({
    holder: DeviceId.optional().describe('The device that holds the POP3 maildrop lock.'),
    free: z.boolean().optional().describe('true: nobody holds it.'),
  })
  .refine((v) => (v.holder === undefined) !== (v.free === undefined), {
    message: 'give holder or free',
  })
  .describe('The exclusive POP3 maildrop lock (RFC 1939 §4).');

export interface Check {
  session?: z.infer<typeof SessionCheck>;
  server?: z.infer<typeof ServerCheck>;
  device?: z.infer<typeof DeviceCheck>;
  storage?: z.infer<typeof StorageCheck>;
  sent?: z.infer<typeof SentCheck>;
  event?: z.infer<typeof EventCheck>;
  clock?: z.infer<typeof ClockCheck>;
  lock?: z.infer<typeof LockCheck>;
  all?: Check[];
  any?: Check[];
  not?: Check;
}
export const CHECK_KINDS = [
  'session',
  'server',
  'device',
  'storage',
  'sent',
  'event',
  'clock',
  'lock',
  'all',
  'any',
  'not',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const Check: z.ZodType<Check> = z
  .strictObject({
    session: SessionCheck.optional(),
    server: ServerCheck.optional(),
    device: DeviceCheck.optional(),
    storage: StorageCheck.optional(),
    sent: SentCheck.optional(),
    event: EventCheck.optional(),
    clock: ClockCheck.optional(),
    lock: LockCheck.optional(),
    get all() {
      return z.array(Check).min(1).max(20).optional().describe('Every one of these.');
    },
    get any() {
      return z.array(Check).min(1).max(20).optional().describe('At least one of these.');
    },
    get not() {
      return Check.optional().describe('The opposite of this.');
    },
  })
  .superRefine((v, ctx) => {
    const kinds = countKeys(v, CHECK_KINDS);
    if (kinds.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `a check has exactly one of ${CHECK_KINDS.join(', ')} (found ${kinds.length ? kinds.join(', ') : 'none'}); combine several with all: [...]`,
      });
  })
  .meta({ id: 'Check', description: 'A goal: one check, or all / any / not of other checks.' });

// ---- world actions (the scenario timeline's, checked again by validateScenario) --------------

const Message = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  subject: Subject,
  from: oneLine(300).optional(),
  to: oneLine(300).optional(),
  body: z.string().max(100_000).optional(),
  size: z.number().int().min(1).optional(),
  daysAgo: z.number().min(0).optional(),
  mailbox: Folder.optional(),
});
const Settings = z.strictObject({
  checkEveryMinutes: z.number().min(1).nullable().optional(),
  pop3: z
    .strictObject({
      leaveOnServer: z.boolean().optional(),
      removeAfterDays: z.number().min(0).nullable().optional(),
      removeWhenDeletedHere: z.boolean().optional(),
    })
    .optional(),
  imap: z
    .strictObject({
      mode: z.enum(['poll', 'idle']).optional(),
      deleteAction: z.enum(['trash', 'expunge']).optional(),
    })
    .optional(),
});
const Protocol = z.enum(['pop3', 'imap']);
const ScenarioDevice = z.strictObject({
  id: DeviceId,
  name: oneLine(64).optional(),
  kind: z.enum(['phone', 'laptop', 'workpc', 'tablet']),
  protocol: Protocol.optional(),
  settings: Settings.optional(),
  manual: z.boolean().optional().describe('true: the device never checks by itself; you type on its terminal.'),
  online: z.boolean().optional(),
});
const MessageRef = z
  .string()
  .min(1)
  .max(300)
  .describe('A message: its scenario id (m1), its Message-ID, or "*" for all of INBOX.');

export const WorldActionSchema = z.discriminatedUnion('do', [
  z.strictObject({ do: z.literal('deliver'), message: Message }),
  z.strictObject({
    do: z.literal('traffic'),
    perDay: z.number().min(0),
    days: z.number().min(0),
    seed: z.number().int().min(0).optional(),
    size: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }).optional(),
  }),
  z.strictObject({
    do: z.literal('advance'),
    days: z.number().min(0).optional(),
    hours: z.number().min(0).optional(),
    minutes: z.number().min(0).optional(),
  }),
  z.strictObject({ do: z.literal('check'), device: DeviceId, full: z.boolean().optional() }),
  z.strictObject({
    do: z.enum(['read', 'unread', 'flag', 'unflag', 'delete']),
    device: DeviceId,
    message: MessageRef,
  }),
  z.strictObject({ do: z.literal('move'), device: DeviceId, message: MessageRef, to: Folder }),
  z.strictObject({ do: z.literal('createFolder'), device: DeviceId, name: Folder }),
  z.strictObject({ do: z.enum(['offline', 'online', 'lose', 'drop']), device: DeviceId }),
  z.strictObject({ do: z.literal('addDevice'), device: ScenarioDevice }),
  z.strictObject({ do: z.literal('protocol'), device: DeviceId, protocol: Protocol }),
  z.strictObject({ do: z.literal('settings'), device: DeviceId, settings: Settings }),
  z.strictObject({ do: z.literal('manual'), device: DeviceId, line: oneLine(10_000) }),
  z.strictObject({ do: z.literal('note'), text: oneLine(2000) }),
]);

export const TypedLine = z
  .strictObject({
    type: z
      .string()
      .min(1)
      .max(10_000)
      .regex(/^[^\r\n]*$/, 'must be one line')
      .describe('One raw command line, as typed on the device terminal (IMAP lines carry their tag).'),
    device: DeviceId,
  })
  .describe('A raw command line typed on a device terminal.');

export const SolutionEntry = z
  .union([TypedLine, WorldActionSchema])
  .describe('A raw command line typed on a device ({type, device}), or a world action ({do: ...}).');
export type SolutionEntry = z.infer<typeof SolutionEntry>;

// ---- the lesson -----------------------------------------------------------------------------

export const InlineScenario = z
  .strictObject({
    id: z.string().optional(),
    title: z.string().optional(),
    summary: z.string().optional(),
    claims: z.array(z.string()).optional(),
    start: z.string().optional(),
    account: z.strictObject({ user: oneLine(100), password: oneLine(100) }).optional(),
    mailbox: z.literal('lab').optional().describe("The lab's own mailbox (a dozen real-world messages)."),
    messages: z.array(Message).max(10_000).optional(),
    devices: z.array(ScenarioDevice).min(1).max(8),
    timeline: z.array(WorldActionSchema).max(0, 'lesson scenarios have no timeline: use setup').optional(),
    storage: z.strictObject({ quotaBytes: z.number().min(0), pricePerGBMonth: z.number().min(0) }).optional(),
  })
  .describe('A scenario written into the lesson (validated like src/world/scenarios/*.json).');

export const Step = z.strictObject({
  title: oneLine(120).optional(),
  prompt: text(20_000).describe('Markdown: what to do now.'),
  goal: Check,
  hints: z
    .array(text(5000))
    .min(2, 'give at least two hints: a nudge, then a precise one')
    .max(10)
    .describe('Markdown, from a nudge to a precise hint.'),
  solution: z.array(SolutionEntry).min(1).max(200),
  explanation: text(20_000).describe('Markdown shown once the goal is met: what happened on the wire, and why.'),
});
export type LessonStep = z.infer<typeof Step>;

export const FrontMatter = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'use lower-case letters, digits and "-" (at most 64)'),
    lang: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag such as en or pt-BR')
      .optional(),
    title: oneLine(120),
    summary: oneLine(300),
    claims: z.array(z.enum(CLAIM_IDS as [Claim, ...Claim[]])).max(10),
    track: z.enum(TRACKS),
    level: z.enum(LEVELS),
    minutes: z.number().int().min(1).max(180),
    order: z.number().int().min(0).max(9999).optional().describe('Position in the track (low first).'),
    start: z
      .union([
        z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe('A shipped scenario id (src/world/scenarios).'),
        InlineScenario,
      ])
      .describe('The starting world.'),
    protocol: Protocol.optional().describe('Run every device on this protocol (as the Compare view does).'),
    setup: z
      .array(SolutionEntry)
      .max(200)
      .optional()
      .describe('Actions played before the first step (the learner starts after them).'),
    steps: z.array(Step).min(1).max(40),
  })
  .meta({
    id: 'Lesson',
    title: 'POP vs IMAP Lab lesson (YAML front matter)',
    description: 'The front matter of a lesson file in lessons/; the Markdown body is the introduction.',
  });
export type FrontMatter = z.infer<typeof FrontMatter>;

/** The JSON Schema of the front matter, for editors (lessons/lesson.schema.json). */
export function lessonJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FrontMatter, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
