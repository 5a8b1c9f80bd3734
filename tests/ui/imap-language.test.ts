import { describe, expect, it } from 'vitest';
import {
  addTag,
  completeImapCommand,
  diagnoseImap,
  imapCommandAt,
  imapMonarchLanguage,
  splitTag,
} from '../../src/editor/imap-language';
import { IMAP_COMMAND_DOCS, commandsLegalIn } from '../../src/protocol/imap/registry';

const ALL = IMAP_COMMAND_DOCS;
const legalIn = (state: string) => commandsLegalIn(state).map((n) => ALL.find((d) => d.name === n)!);

describe('tags', () => {
  it.each([
    ['a1 LOGIN alice wonderland', 'a1', 'LOGIN alice wonderland'],
    ['LOGIN alice wonderland', null, 'LOGIN alice wonderland'],
    ['  uid fetch 1:* FLAGS', null, 'uid fetch 1:* FLAGS'],
    ['fetch FETCH 1 FLAGS', 'fetch', 'FETCH 1 FLAGS'],
    ['x7 UID STORE 1 +FLAGS (\\Seen)', 'x7', 'UID STORE 1 +FLAGS (\\Seen)'],
    ['NOOP', null, 'NOOP'],
  ])('%s', (line, tag, rest) => {
    expect(splitTag(ALL, line)).toEqual({ tag, rest });
  });

  it('adds a tag only to a line that starts with a command', () => {
    expect(addTag(ALL, 'select INBOX', 'a4')).toEqual({ line: 'a4 select INBOX', added: 'a4' });
    expect(addTag(ALL, 'a9 NOOP', 'a4')).toEqual({ line: 'a9 NOOP', added: null });
    expect(addTag(ALL, '', 'a4')).toEqual({ line: '', added: null });
  });

  it('finds the command after the tag, preferring the UID form', () => {
    expect(imapCommandAt(ALL, 'a1 UID FETCH 1 FLAGS')?.name).toBe('UID FETCH');
    expect(imapCommandAt(ALL, 'a1 FETCH 1 FLAGS')?.name).toBe('FETCH');
    expect(imapCommandAt(ALL, 'a1 FOO')).toBeUndefined();
  });
});

describe('completeImapCommand', () => {
  const labels = (state: string, prefix: string) =>
    completeImapCommand(legalIn(state), ALL, prefix).entries.map((e) => e.label);

  it('offers the commands legal now after the tag, replacing only the command word', () => {
    expect(labels('Not Authenticated', 'a1 ')).toEqual(
      expect.arrayContaining(['LOGIN', 'AUTHENTICATE', 'CAPABILITY', 'LOGOUT']),
    );
    expect(labels('Not Authenticated', 'a1 ')).not.toContain('SELECT');
    expect(labels('Selected', 'a3 F')).toEqual(['FETCH']);
    expect(labels('Selected', 'a3 UID F')).toEqual(['UID FETCH']);
    expect(completeImapCommand(legalIn('Selected'), ALL, 'a3 F').start).toBe(3);
  });

  it('offers commands at the start of the line too (the lab adds the tag), and nothing in arguments', () => {
    expect(labels('Authenticated', 'SEL')).toEqual(['SELECT']);
    expect(labels('Authenticated', 'SELECT ')).toEqual([]);
    expect(labels('Selected', 'a1 FETCH 1')).toEqual([]);
    expect(labels('Selected', 'a1 FETCH')).toEqual([]);
  });

  it('adds a space after a command that takes arguments', () => {
    const entries = completeImapCommand(legalIn('Selected'), ALL, 'a1 EXPU').entries;
    expect(entries.find((e) => e.label === 'EXPUNGE')?.insertText).toBe('EXPUNGE');
    const fetch = completeImapCommand(legalIn('Selected'), ALL, 'a1 FET').entries[0];
    expect(fetch.insertText).toBe('FETCH ');
    expect(fetch.documentation).toContain('RFC 9051');
  });
});

describe('diagnoseImap', () => {
  it('explains unknown commands, commands the state does not allow, and bad tags', () => {
    expect(diagnoseImap(ALL, legalIn('Not Authenticated'), 'Not Authenticated', 'a1 FETCH 1 FLAGS')).toMatch(
      /FETCH is not legal in the Not Authenticated state/,
    );
    expect(diagnoseImap(ALL, legalIn('Selected'), 'Selected', 'a1 HELO')).toMatch(/HELO is not a command/);
    expect(diagnoseImap(ALL, legalIn('Selected'), 'Selected', 'a+1 NOOP')).toMatch(/cannot be a tag/);
    expect(diagnoseImap(ALL, legalIn('Selected'), 'Selected', 'a1 NOOP')).toBeNull();
    expect(diagnoseImap(ALL, legalIn('Selected'), 'Selected', 'noop')).toBeNull();
  });
});

/** Runs a Monarch grammar (states, groups, cases, next) the way Monaco does on one line. */
function tokenize(line: string): [string, string][] {
  const lang = imapMonarchLanguage(ALL) as unknown as {
    keywords: string[];
    subcommands: string[];
    tokenizer: Record<string, [RegExp, unknown][]>;
  };
  type Action = string | { token: string; next?: string } | { cases: Record<string, Action> };
  const resolve = (action: Action, text: string): { token: string; next?: string } => {
    if (typeof action === 'string') return { token: action };
    if ('cases' in action) {
      for (const [k, v] of Object.entries(action.cases)) {
        const list = k === '@default' ? null : (lang[k.slice(1) as 'keywords'] as string[]);
        if (!list || list.includes(text.toUpperCase())) return resolve(v, text);
      }
    }
    return action as { token: string; next?: string };
  };
  const out: [string, string][] = [];
  let state = 'root';
  let pos = 0;
  while (pos < line.length) {
    let matched = false;
    for (const [re, action] of lang.tokenizer[state]) {
      if (re.source.startsWith('^') && pos !== 0) continue;
      const m = new RegExp(re.source.replace(/^\^/, ''), 'iy');
      m.lastIndex = pos;
      const r = m.exec(line);
      if (!r || r[0] === '') continue;
      const parts = Array.isArray(action) ? r.slice(1) : [r[0]];
      const actions = Array.isArray(action) ? (action as Action[]) : [action as Action];
      parts.forEach((text, i) => {
        const a = resolve(actions[i], text ?? '');
        if (text) out.push([text, a.token]);
        if (a.next) state = a.next.replace(/^@/, '');
      });
      pos += r[0].length;
      matched = true;
      break;
    }
    if (!matched) throw new Error(`no rule at ${pos} in ${state}`);
  }
  return out;
}

describe('imapMonarchLanguage', () => {
  it.each([
    [
      'a4 STORE 1:3,5 +FLAGS (\\Flagged $Important)',
      [
        ['a4', 'tag'],
        [' ', 'white'],
        ['STORE', 'keyword'],
        [' ', 'white'],
        ['1:3,5', 'number'],
        [' ', 'white'],
        ['+FLAGS', 'atom'],
        [' ', 'white'],
        ['(', 'delimiter'],
        ['\\Flagged', 'flag'],
        [' ', 'white'],
        ['$Important', 'atom'],
        [')', 'delimiter'],
      ],
    ],
    [
      'LOGIN "alice" {10}',
      [
        ['LOGIN', 'keyword'],
        [' ', 'white'],
        ['"alice"', 'string'],
        [' ', 'white'],
        ['{10}', 'literal'],
      ],
    ],
    [
      'a1 uid fetch 1:* FLAGS',
      [
        ['a1', 'tag'],
        [' ', 'white'],
        ['uid', 'keyword'],
        [' ', 'white'],
        ['fetch', 'keyword'],
        [' ', 'white'],
        ['1:*', 'number'],
        [' ', 'white'],
        ['FLAGS', 'atom'],
      ],
    ],
    [
      'a1 HELO x',
      [
        ['a1', 'tag'],
        [' ', 'white'],
        ['HELO', 'invalid'],
        [' ', 'white'],
        ['x', 'atom'],
      ],
    ],
  ])('%s', (line, tokens) => {
    expect(tokenize(line)).toEqual(tokens);
  });

  it('takes its keywords from the registry', () => {
    const lang = imapMonarchLanguage(ALL);
    expect(lang.keywords).toEqual(expect.arrayContaining(['LOGIN', 'FETCH', 'UID', 'IDLE', 'DONE']));
    expect(lang.subcommands).toEqual(expect.arrayContaining(['FETCH', 'STORE', 'EXPUNGE']));
  });
});
