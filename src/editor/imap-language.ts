/**
 * The IMAP command line's language, generated from the IMAP command registry as the
 * POP3 one is (`language.ts`). An IMAP command line is `tag SP command [SP arguments]`
 * (RFC 9051 §2.2.1, formal syntax `command = tag SP (...)`); learners often forget the
 * tag, so the lab can add one and says so. No Monaco import: tested in Node.
 */
import type { CommandDoc } from '../protocol/types';
import { describeCommand, type CompletionEntry } from './language';

/**
 * RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">, i.e. printable ASCII without SP, "(", ")",
 * "{", "%", "*", '"', "\\" and "+" (ATOM-CHAR excludes atom-specials; ASTRING-CHAR adds "]").
 */
const TAG = /^[^\x00-\x20\x7f-\uffff(){%*"\\+]+$/;

/** First words of every command name ("UID" for UID FETCH). */
function firstWords(all: readonly CommandDoc[]): Set<string> {
  return new Set(all.map((d) => d.name.split(' ')[0]));
}

/** The longest command name the text starts with (as a whole word), e.g. "UID FETCH 1:*" → UID FETCH. */
function commandPrefix(all: readonly CommandDoc[], text: string): CommandDoc | undefined {
  const upper = text.toUpperCase();
  let best: CommandDoc | undefined;
  for (const d of all) {
    if (upper === d.name || upper.startsWith(`${d.name} `)) {
      if (!best || d.name.length > best.name.length) best = d;
    }
  }
  return best;
}

/** A typed line split into its tag and the rest; `tag` is null when the line starts with a command. */
export function splitTag(all: readonly CommandDoc[], line: string): { tag: string | null; rest: string } {
  const trimmed = line.replace(/^\s+/, '');
  const m = /^(\S+)(\s+(.*))?$/s.exec(trimmed);
  if (!m) return { tag: null, rest: '' };
  const first = m[1];
  const after = m[3] ?? '';
  const isCommandWord = firstWords(all).has(first.toUpperCase());
  // "fetch FETCH 1" has a tag that happens to spell a command; "UID FETCH 1" does not.
  const nextIsCommand = first.toUpperCase() !== 'UID' && commandPrefix(all, after) !== undefined;
  if (isCommandWord && !nextIsCommand) return { tag: null, rest: trimmed };
  return { tag: first, rest: after };
}

/** The command named by a line (after its tag, if any). */
export function imapCommandAt(all: readonly CommandDoc[], line: string): CommandDoc | undefined {
  return commandPrefix(all, splitTag(all, line).rest);
}

/**
 * Adds a tag when the line starts with a command name (`LOGIN alice wonderland` →
 * `a1 LOGIN alice wonderland`). Lines with a tag, and empty lines, are left alone: the
 * server's own BAD is the lesson there.
 */
export function addTag(
  all: readonly CommandDoc[],
  line: string,
  nextTag: string,
): { line: string; added: string | null } {
  if (line.trim() === '') return { line, added: null };
  const { tag } = splitTag(all, line);
  if (tag !== null) return { line, added: null };
  return { line: `${nextTag} ${line.replace(/^\s+/, '')}`, added: nextTag };
}

/**
 * Completion of the commands legal now, after the tag (or at the line start, where the lab
 * adds the tag itself). `start` is the offset in the line where the replaced text begins.
 */
export function completeImapCommand(
  legal: readonly CommandDoc[],
  all: readonly CommandDoc[],
  linePrefix: string,
): { start: number; entries: CompletionEntry[] } {
  const lead = linePrefix.length - linePrefix.replace(/^\s+/, '').length;
  const text = linePrefix.slice(lead);
  let start = lead;
  let typed = text;
  const m = /^(\S+)\s+(.*)$/s.exec(text);
  if (m) {
    const split = splitTag(all, text);
    if (split.tag === null) {
      // Untagged: a whole first word followed by a space. Only "UID " still needs its second word.
      if (!/^UID\s+\S*$/i.test(text)) return { start, entries: [] };
    } else {
      start = lead + text.length - m[2].length;
      typed = m[2];
    }
  }
  const upper = typed.toUpperCase().replace(/\s+/g, ' ');
  if (upper.split(' ').length > 2) return { start, entries: [] };
  const entries = legal
    .filter((d) => d.name.startsWith(upper) && d.name !== upper)
    .map((d) => ({
      label: d.name,
      insertText: takesImapArguments(d) ? `${d.name} ` : d.name,
      detail: d.syntax,
      documentation: describeCommand(d),
    }));
  return { start, entries };
}

/** True when the syntax names arguments after the command ("tag FETCH sequence-set items"). */
export function takesImapArguments(doc: CommandDoc): boolean {
  const words = doc.syntax
    .replace(/^tag\s+/, '')
    .trim()
    .split(/\s+/);
  return words.length > doc.name.split(' ').length;
}

/** A note for the line as typed: unknown command or not legal in this state (the server still answers). */
export function diagnoseImap(
  all: readonly CommandDoc[],
  legal: readonly CommandDoc[],
  state: string | null,
  line: string,
): string | null {
  if (line.trim() === '') return null;
  const { tag, rest } = splitTag(all, line);
  if (tag !== null && !TAG.test(tag))
    return `${tag} cannot be a tag (RFC 9051 §9: no "+", "(", ")", "{", "%", "*", quote or backslash).`;
  if (tag !== null && rest.trim() === '') return null;
  const doc = commandPrefix(all, rest);
  if (!doc) return `${rest.split(/\s+/)[0]} is not a command this server knows.`;
  if (state && !legal.some((d) => d.name === doc.name))
    return `${doc.name} is not legal in the ${state} state (${doc.states.join(', ')} only).`;
  return null;
}

/**
 * Monarch tokenizer (plain data): tag, command, then arguments — flags (\Seen), quoted strings,
 * literals ({5}, {5+}), sequence sets (1:*, 2,4:7), numbers, atoms and parentheses.
 */
export function imapMonarchLanguage(all: readonly CommandDoc[]) {
  const keywords = [...firstWords(all), 'DONE'];
  const subcommands = all.filter((d) => d.name.includes(' ')).map((d) => d.name.split(' ')[1]);
  return {
    ignoreCase: true,
    keywords,
    subcommands,
    tokenizer: {
      root: [
        [
          /^(\s*)(UID)(\s+)([A-Za-z]+)/,
          [
            'white',
            'keyword',
            'white',
            {
              cases: {
                '@subcommands': { token: 'keyword', next: '@args' },
                '@default': { token: 'invalid', next: '@args' },
              },
            },
          ],
        ],
        [
          /^(\s*)([^\s(){"\\]+)/,
          [
            'white',
            {
              cases: {
                '@keywords': { token: 'keyword', next: '@args' },
                '@default': { token: 'tag', next: '@command' },
              },
            },
          ],
        ],
        [/\s+/, 'white'],
      ],
      command: [
        [
          /(\s+)(UID)(\s+)([A-Za-z]+)/,
          [
            'white',
            'keyword',
            'white',
            {
              cases: {
                '@subcommands': { token: 'keyword', next: '@args' },
                '@default': { token: 'invalid', next: '@args' },
              },
            },
          ],
        ],
        [
          /(\s+)([A-Za-z]+)/,
          [
            'white',
            {
              cases: {
                '@keywords': { token: 'keyword', next: '@args' },
                '@default': { token: 'invalid', next: '@args' },
              },
            },
          ],
        ],
        [/\S+/, { token: 'invalid', next: '@args' }],
      ],
      args: [
        [/\s+/, 'white'],
        [/\\[A-Za-z*]+/, 'flag'],
        [/"(?:[^"\\]|\\.)*"?/, 'string'],
        [/\{\d+\+?\}/, 'literal'],
        [/(?:\d+|\*)(?::(?:\d+|\*))?(?:,(?:\d+|\*)(?::(?:\d+|\*))?)*(?=[\s)\]]|$)/, 'number'],
        [/[()[\]<>]/, 'delimiter'],
        [/[^\s()[\]<>{"\\]+/, 'atom'],
        [/./, 'invalid'],
      ],
    },
  };
}
