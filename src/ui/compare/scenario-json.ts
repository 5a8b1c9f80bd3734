/**
 * A small JSON scanner for the scenario editor: where a syntax error is (line and column, the
 * same in every browser, where `JSON.parse` messages differ), and on which line each key of a
 * valid text sits, so a schema problem such as `timeline[3].device` points at its line.
 *
 * It walks the text with an explicit stack (a text of a million "[" cannot overflow the call
 * stack) and follows RFC 8259's grammar: the values, the four whitespace characters, strings
 * without raw control characters, numbers without leading zeros.
 */

export interface JsonSyntaxError {
  offset: number;
  line: number;
  column: number;
  message: string;
  /** Where in the document the scanner was, in the editor's path notation ("" = the top). */
  path: string;
}

export interface JsonScan {
  /** Offset of each path's key (object members) or first character (array elements). */
  offsets: Map<string, number>;
  error: JsonSyntaxError | null;
}

/** 1-based line and column of an offset (columns count UTF-16 units, as editors do). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

interface Frame {
  kind: 'object' | 'array';
  path: string;
  count: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** Scans JSON text; `record` false skips the path table (only the first error is wanted). */
export function scanJson(text: string, record = true): JsonScan {
  const offsets = new Map<string, number>();
  const n = text.length;
  const stack: Frame[] = [];
  let i = 0;
  let path = '';

  const fail = (message: string, at = i): JsonScan => {
    const { line, column } = lineColumn(text, at);
    return { offsets, error: { offset: at, line, column, message, path } };
  };
  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const shown = (at: number) => (at >= n ? 'the end of the text' : JSON.stringify(text[at]));
  /** Reads a string at `i` (a '"'); its end offset, or an error message. */
  const readString = (): string | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20)
        return c === 0x0a
          ? 'a string must end on its line (write \\n for a line break)'
          : 'a control character in a string must be escaped';
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return 'a \\u escape needs four hex digits';
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return `unknown escape "\\${e ?? ''}"`;
      } else i++;
    }
    return 'the string is not closed (a " is missing)';
  };

  // Each turn reads one value at `path`, then the punctuation after it.
  for (;;) {
    skipSpace();
    if (i >= n) return fail(stack.length ? 'the text ends inside a value' : 'the text is empty');
    if (record && (stack.length === 0 || stack[stack.length - 1].kind === 'array')) offsets.set(path, i);
    const c = text[i];
    let opened = false;
    if (c === '{' || c === '[') {
      const kind = c === '{' ? 'object' : 'array';
      stack.push({ kind, path, count: 0 });
      i++;
      skipSpace();
      if (text[i] === (kind === 'object' ? '}' : ']')) {
        i++;
        stack.pop();
      } else opened = true;
    } else if (c === '"') {
      const bad = readString();
      if (bad) return fail(bad);
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '-') return fail('not a number');
      i += m[0].length;
      if (/[0-9.eE]/.test(text[i] ?? ''))
        return fail('not a number (no leading zeros, digits after "." and "e")');
    } else {
      const word = LITERALS.find((w) => text.startsWith(w, i));
      if (!word)
        return fail(
          c === "'"
            ? 'strings need double quotes'
            : c === '}' || c === ']'
              ? `a value is missing before ${shown(i)}`
              : `unexpected ${shown(i)}`,
        );
      i += word.length;
    }

    // After a value (or an opened container): what may follow.
    for (let fresh = opened; ; fresh = false) {
      const top = stack[stack.length - 1];
      if (!top) {
        skipSpace();
        return i < n ? fail(`unexpected ${shown(i)} after the end of the data`) : { offsets, error: null };
      }
      if (!fresh) {
        skipSpace();
        const close = top.kind === 'object' ? '}' : ']';
        if (text[i] === close) {
          i++;
          stack.pop();
          path = top.path;
          continue;
        }
        if (text[i] !== ',') {
          path = top.path;
          if (i >= n)
            return fail(
              `the text ends inside ${top.kind === 'object' ? 'an object (a "}" is missing)' : 'a list (a "]" is missing)'}`,
            );
          return fail(`expected "," or "${close}", found ${shown(i)}`);
        }
        i++;
        top.count++;
      }
      if (top.kind === 'array') {
        path = `${top.path}[${top.count}]`;
        break;
      }
      // An object member: "key": value.
      skipSpace();
      path = top.path;
      if (text[i] !== '"')
        return fail(
          text[i] === '}'
            ? 'no "," before "}" (a trailing comma)'
            : `expected a key in double quotes, found ${shown(i)}`,
        );
      const keyAt = i;
      const bad = readString();
      if (bad) return fail(bad);
      const key = JSON.parse(text.slice(keyAt, i)) as string;
      path = top.path ? `${top.path}.${key}` : key;
      skipSpace();
      if (text[i] !== ':') return fail(`expected ":" after the key "${key}"`);
      i++;
      if (record) offsets.set(path, keyAt);
      break;
    }
  }
}
