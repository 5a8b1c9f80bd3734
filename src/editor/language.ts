/**
 * The terminal's command language, generated from the protocol's command
 * registry (one source for the engine, completion, hover and highlighting).
 * Nothing here imports Monaco, so it is tested in Node; `command-line.ts`
 * adapts these plain results to Monaco's API.
 */
import type { CommandDoc } from '../protocol/types';

export interface CompletionEntry {
  label: string;
  /** Text to insert: the name, plus a space when the command takes arguments. */
  insertText: string;
  detail: string;
  documentation: string;
}

/** True when the command's syntax names arguments (e.g. "RETR msg", "LIST [msg]"). */
export function takesArguments(doc: CommandDoc): boolean {
  return doc.syntax.trim().split(/\s+/).length > 1;
}

/** Markdown for hover and completion details; built only from the registry's own text. */
export function describeCommand(doc: CommandDoc): string {
  return [
    `**${doc.syntax}**`,
    doc.summary,
    `Legal in: ${doc.states.join(', ')} · ${doc.rfc}`,
    doc.examples.length ? `Example: \`${doc.examples[0]}\`` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * The commands worth offering for what is typed so far on the line. Only the
 * first word is a command; once the learner has typed a whole command name (or
 * moved on to its arguments) nothing is offered, so Enter sends the line.
 */
export function completeCommand(legal: readonly CommandDoc[], linePrefix: string): CompletionEntry[] {
  if (/\s/.test(linePrefix.replace(/^\s+/, ''))) return [];
  const typed = linePrefix.trim().toUpperCase();
  return legal
    .filter((d) => d.name.startsWith(typed) && d.name !== typed)
    .map((d) => ({
      label: d.name,
      insertText: takesArguments(d) ? `${d.name} ` : d.name,
      detail: d.syntax,
      documentation: describeCommand(d),
    }));
}

/** The command named by the first word of a line, if the registry has it. */
export function commandAt(all: readonly CommandDoc[], line: string): CommandDoc | undefined {
  const word = line.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  return all.find((d) => d.name === word);
}

/**
 * A note for the line as typed: an unknown command or one the current state
 * does not allow. The server still answers (the learner should see the real
 * -ERR); this only explains it before sending.
 */
export function diagnose(
  all: readonly CommandDoc[],
  legal: readonly CommandDoc[],
  state: string | null,
  line: string,
): string | null {
  const word = line.trim().split(/\s+/)[0] ?? '';
  if (word === '') return null;
  const doc = commandAt(all, line);
  if (!doc) return `${word} is not a command this server knows.`;
  if (state && !legal.some((d) => d.name === doc.name))
    return `${doc.name} is not legal in the ${state} state (${doc.states.join(', ')} only).`;
  return null;
}

/** Monarch tokenizer definition (plain data; Monaco's IMonarchLanguage shape). */
export function monarchLanguage(all: readonly CommandDoc[]) {
  return {
    ignoreCase: true,
    keywords: all.map((d) => d.name),
    tokenizer: {
      root: [
        // Only the first word is a command (RFC 1939 §3: a keyword followed by arguments).
        [
          /^(\s*)([A-Za-z][A-Za-z0-9-]*)/,
          ['white', { cases: { '@keywords': 'keyword', '@default': 'invalid' } }],
        ],
        [/\d+(?=\s|$)/, 'number'],
        [/\S+/, 'string'],
        [/\s+/, 'white'],
      ],
    },
  };
}
