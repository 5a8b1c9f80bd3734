import { describe, expect, it } from 'vitest';
import type { CommandDoc } from '../../src/protocol/types';
import {
  commandAt,
  completeCommand,
  describeCommand,
  diagnose,
  monarchLanguage,
  takesArguments,
} from '../../src/editor/language';

const doc = (name: string, syntax: string, states: string[]): CommandDoc => ({
  name,
  syntax,
  states,
  summary: `${name} does its thing.`,
  rfc: 'RFC 1939 §5',
  examples: [syntax.replace('msg', '1')],
});

const USER = doc('USER', 'USER name', ['AUTHORIZATION']);
const QUIT = doc('QUIT', 'QUIT', ['AUTHORIZATION', 'TRANSACTION']);
const RETR = doc('RETR', 'RETR msg', ['TRANSACTION']);
const RSET = doc('RSET', 'RSET', ['TRANSACTION']);
const ALL = [USER, QUIT, RETR, RSET];

describe('completeCommand', () => {
  it('offers only the legal commands that start with what is typed', () => {
    expect(completeCommand([USER, QUIT], '').map((c) => c.label)).toEqual(['USER', 'QUIT']);
    expect(completeCommand([RETR, RSET, QUIT], 'r').map((c) => c.label)).toEqual(['RETR', 'RSET']);
    expect(completeCommand([USER, QUIT], 'R')).toEqual([]);
  });

  it('offers nothing once the name is complete or arguments have started, so Enter sends', () => {
    expect(completeCommand([RETR, RSET], 'RETR')).toEqual([]);
    expect(completeCommand([RETR, RSET], 'retr 1')).toEqual([]);
    expect(completeCommand([RETR, RSET], 'RE ')).toEqual([]);
  });

  it('inserts a space after commands that take arguments', () => {
    const [retr] = completeCommand([RETR], 'R');
    expect(retr.insertText).toBe('RETR ');
    const [rset] = completeCommand([RSET], 'RS');
    expect(rset.insertText).toBe('RSET');
  });

  it('carries the syntax and the explanation from the registry', () => {
    const [retr] = completeCommand([RETR], '');
    expect(retr.detail).toBe('RETR msg');
    expect(retr.documentation).toContain('RETR does its thing.');
    expect(retr.documentation).toContain('RFC 1939 §5');
  });
});

describe('describeCommand and commandAt', () => {
  it('describes a command with syntax, summary, states and RFC', () => {
    const text = describeCommand(RETR);
    expect(text).toContain('**RETR msg**');
    expect(text).toContain('Legal in: TRANSACTION');
    expect(text).toContain('Example: `RETR 1`');
  });

  it('finds the command named by the first word, in any case', () => {
    expect(commandAt(ALL, '  retr 3')).toBe(RETR);
    expect(commandAt(ALL, 'FOO')).toBeUndefined();
    expect(takesArguments(QUIT)).toBe(false);
  });
});

describe('diagnose', () => {
  it('explains unknown commands and commands the state does not allow', () => {
    expect(diagnose(ALL, [USER, QUIT], 'AUTHORIZATION', 'RETR 1')).toMatch(
      /not legal in the AUTHORIZATION state/,
    );
    expect(diagnose(ALL, [USER, QUIT], 'AUTHORIZATION', 'HELO')).toMatch(/HELO is not a command/);
    expect(diagnose(ALL, [USER, QUIT], 'AUTHORIZATION', 'user alice')).toBeNull();
    expect(diagnose(ALL, [USER, QUIT], 'AUTHORIZATION', '   ')).toBeNull();
  });
});

/** Runs the single-state Monarch grammar the way Monaco does: first rule matching at the position wins. */
function tokenize(line: string): [string, string][] {
  const lang = monarchLanguage(ALL);
  const out: [string, string][] = [];
  let pos = 0;
  while (pos < line.length) {
    let matched = false;
    for (const [re, action] of lang.tokenizer.root as [RegExp, unknown][]) {
      if (re.source.startsWith('^') && pos !== 0) continue;
      const m = new RegExp(re.source.replace(/^\^/, ''), 'iy');
      m.lastIndex = pos;
      const r = m.exec(line);
      if (!r || r[0] === '') continue;
      if (Array.isArray(action)) {
        const [ws, word] = [r[1], r[2]];
        if (ws) out.push([ws, action[0] as string]);
        out.push([word, lang.keywords.includes(word.toUpperCase()) ? 'keyword' : 'invalid']);
      } else out.push([r[0], action as string]);
      pos += r[0].length;
      matched = true;
      break;
    }
    if (!matched) throw new Error(`no rule at ${pos}`);
  }
  return out;
}

describe('monarchLanguage', () => {
  it.each([
    [
      'RETR 1',
      [
        ['RETR', 'keyword'],
        [' ', 'white'],
        ['1', 'number'],
      ],
    ],
    [
      'user alice',
      [
        ['user', 'keyword'],
        [' ', 'white'],
        ['alice', 'string'],
      ],
    ],
    [
      'HELO x',
      [
        ['HELO', 'invalid'],
        [' ', 'white'],
        ['x', 'string'],
      ],
    ],
    [
      ' QUIT',
      [
        [' ', 'white'],
        ['QUIT', 'keyword'],
      ],
    ],
    [
      'TOP 1 10x',
      [
        ['TOP', 'invalid'],
        [' ', 'white'],
        ['1', 'number'],
        [' ', 'white'],
        ['10x', 'string'],
      ],
    ],
  ])('%s', (line, tokens) => {
    expect(tokenize(line)).toEqual(tokens);
  });

  it('takes its keywords from the registry', () => {
    expect(monarchLanguage(ALL).keywords).toEqual(['USER', 'QUIT', 'RETR', 'RSET']);
  });
});
