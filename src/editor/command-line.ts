/**
 * The Monaco command line. This module is the only one that imports Monaco and
 * is loaded lazily (dynamic import) after the page is interactive, so the eager
 * bundle stays small. Core only: the editor API, the suggest controller
 * (completion), hover and placeholder; no language workers besides the editor's own.
 */
import { editor, languages, KeyCode, KeyMod, Range, type IDisposable } from 'monaco-editor/editor';
// Monaco 0.57's suggest feature misses its controller: completion providers do
// nothing until this is imported (toolchain notes).
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/placeholderText/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import type { CommandDoc } from '../protocol/types';
import type { CommandHistory } from './history';
import { focusNextAfter, splitPastedLines } from './paste';
import { commandAt, completeCommand, describeCommand, diagnose, monarchLanguage } from './language';
import {
  completeImapCommand,
  diagnoseImap,
  imapCommandAt,
  imapMonarchLanguage,
  splitTag,
} from './imap-language';

/** What the command line needs to know about the session it drives. */
export interface CommandSource {
  /** Every command of the protocol (for highlighting and hover). */
  all: readonly CommandDoc[];
  /** Commands legal in the session's current state (for completion). */
  legal(): readonly CommandDoc[];
  /** The session's state name, or null without a connection. */
  state(): string | null;
}

export interface MonacoCommandLineOptions {
  /** Language id, e.g. "pop3"; registered once per page. */
  language: string;
  source: CommandSource;
  history: CommandHistory;
  initialValue: string;
  placeholder: string;
  onSubmit(line: string): void;
  /** Keep blank pasted lines (they are data inside an IMAP literal). */
  keepBlank?: boolean;
}

export interface MonacoCommandLine {
  focus(): void;
  /** Switches the line to another protocol's language (the laptop switched POP3 ⇄ IMAP). */
  setLanguage(language: string, placeholder: string): void;
  /** Re-checks the typed line against the current state (call after a state change). */
  refresh(): void;
  dispose(): void;
}

let workerReady = false;
function ensureWorker(): void {
  if (workerReady) return;
  workerReady = true;
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = { getWorker: () => new EditorWorker() };
}

/** Per-model sources, so several device terminals can share one registered language. */
const sources = new Map<string, CommandSource>();
const registered = new Set<string>();

/** The plain (Monaco-free) language functions of a protocol: POP3's, or IMAP's with tags. */
interface LanguageRules {
  monarch(all: readonly CommandDoc[]): unknown;
  complete(
    legal: readonly CommandDoc[],
    all: readonly CommandDoc[],
    prefix: string,
  ): { start: number; entries: ReturnType<typeof completeCommand> };
  commandAt(all: readonly CommandDoc[], line: string): CommandDoc | undefined;
  /** Offset and text of the command word(s) on a line, for hover and the warning squiggle. */
  commandSpan(all: readonly CommandDoc[], line: string): { start: number; length: number };
  diagnose: typeof diagnose;
}

const leading = (line: string) => line.length - line.trimStart().length;

const POP3_RULES: LanguageRules = {
  monarch: monarchLanguage,
  complete: (legal, _all, prefix) => ({ start: leading(prefix), entries: completeCommand(legal, prefix) }),
  commandAt,
  commandSpan: (_all, line) => ({ start: leading(line), length: line.trimStart().split(/\s/)[0].length }),
  diagnose,
};

const IMAP_RULES: LanguageRules = {
  monarch: imapMonarchLanguage,
  complete: completeImapCommand,
  commandAt: imapCommandAt,
  commandSpan(all, line) {
    const { rest } = splitTag(all, line);
    const start = line.length - rest.length;
    const doc = imapCommandAt(all, line);
    return { start, length: doc ? doc.name.length : rest.split(/\s/)[0].length };
  },
  diagnose: diagnoseImap,
};

const rulesFor = (id: string): LanguageRules => (id === 'imap' ? IMAP_RULES : POP3_RULES);

function registerLanguage(id: string, all: readonly CommandDoc[]): void {
  if (registered.has(id)) return;
  registered.add(id);
  const rules = rulesFor(id);
  languages.register({ id });
  languages.setMonarchTokensProvider(id, rules.monarch(all) as languages.IMonarchLanguage);
  languages.registerCompletionItemProvider(id, {
    // After the tag's space a new word starts: ask again there.
    triggerCharacters: [' '],
    provideCompletionItems(model, position) {
      const source = sources.get(model.uri.toString());
      if (!source) return { suggestions: [] };
      const prefix = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const { start, entries } = rules.complete(source.legal(), source.all, prefix);
      const range = new Range(position.lineNumber, start + 1, position.lineNumber, position.column);
      return {
        // Asked again on every keystroke so a finished command name closes the list.
        incomplete: true,
        suggestions: entries.map((c, i) => ({
          label: c.label,
          kind: languages.CompletionItemKind.Keyword,
          insertText: c.insertText,
          detail: c.detail,
          documentation: { value: c.documentation },
          range,
          sortText: String(i).padStart(3, '0'),
        })),
      };
    },
  });
  languages.registerHoverProvider(id, {
    provideHover(model, position) {
      const source = sources.get(model.uri.toString());
      const word = model.getWordAtPosition(position);
      if (!source || !word) return null;
      const line = model.getLineContent(position.lineNumber);
      const span = rules.commandSpan(source.all, line);
      // Only the command word(s) have a hover (not the tag, not the arguments).
      if (word.startColumn - 1 > span.start + span.length || word.endColumn - 1 <= span.start) return null;
      const doc = rules.commandAt(source.all, line);
      if (!doc) return null;
      return {
        range: new Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
        contents: [{ value: describeCommand(doc) }],
      };
    },
  });
}

const THEME = 'pop-lab';
const DARK_THEME = 'pop-lab-dark';
let themeReady = false;
function defineTheme(): void {
  if (themeReady) return;
  themeReady = true;
  editor.defineTheme(THEME, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'keyword', foreground: '1d4ed8', fontStyle: 'bold' },
      { token: 'number', foreground: 'b45309' },
      { token: 'string', foreground: '0f766e' },
      { token: 'invalid', foreground: 'b91c1c' },
      { token: 'tag', foreground: '4b5563' },
      { token: 'flag', foreground: '7c3aed', fontStyle: 'bold' },
      { token: 'literal', foreground: 'c2410c' },
      { token: 'atom', foreground: '334155' },
      { token: 'delimiter', foreground: '475569' },
    ],
    colors: { 'editor.background': '#ffffff', 'editor.lineHighlightBackground': '#ffffff' },
  });
  editor.defineTheme(DARK_THEME, {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'keyword', foreground: '93c5fd', fontStyle: 'bold' },
      { token: 'number', foreground: 'fcd34d' },
      { token: 'string', foreground: '5eead4' },
      { token: 'invalid', foreground: 'fca5a5' },
      { token: 'tag', foreground: 'cbd5e1' },
      { token: 'flag', foreground: 'c4b5fd', fontStyle: 'bold' },
      { token: 'literal', foreground: 'fdba74' },
      { token: 'atom', foreground: 'e2e8f0' },
      { token: 'delimiter', foreground: 'cbd5e1' },
    ],
    colors: { 'editor.background': '#1a1e26', 'editor.lineHighlightBackground': '#1a1e26' },
  });
}

/** The page's theme right now: html[data-theme] if the learner chose one, else the system's. */
function pageIsDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen === 'dark';
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

let themeWatch = false;
/** Follows the page's theme: the system's setting, or the learner's choice (html[data-theme]). */
function followTheme(): void {
  editor.setTheme(pageIsDark() ? DARK_THEME : THEME);
  if (themeWatch) return;
  themeWatch = true;
  matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => followTheme());
  new MutationObserver(() => editor.setTheme(pageIsDark() ? DARK_THEME : THEME)).observe(
    document.documentElement,
    {
      attributes: true,
      attributeFilter: ['data-theme'],
    },
  );
}

export function createMonacoCommandLine(
  host: HTMLElement,
  options: MonacoCommandLineOptions,
): MonacoCommandLine {
  ensureWorker();
  defineTheme();
  registerLanguage(options.language, options.source.all);
  const model = editor.createModel(options.initialValue, options.language);
  sources.set(model.uri.toString(), options.source);

  const ed = editor.create(host, {
    model,
    theme: pageIsDark() ? DARK_THEME : THEME,
    ariaLabel: 'Command',
    placeholder: options.placeholder,
    fontSize: 15,
    lineHeight: 24,
    fontFamily: 'ui-monospace, "JetBrains Mono", Menlo, Consolas, monospace',
    lineNumbers: 'off',
    glyphMargin: false,
    folding: false,
    minimap: { enabled: false },
    overviewRulerLanes: 0,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    lineDecorationsWidth: 0,
    lineNumbersMinChars: 0,
    renderLineHighlight: 'none',
    scrollBeyondLastLine: false,
    scrollbar: { horizontal: 'hidden', vertical: 'hidden', alwaysConsumeMouseWheel: false },
    wordWrap: 'off',
    contextmenu: false,
    links: false,
    occurrencesHighlight: 'off',
    selectionHighlight: false,
    matchBrackets: 'never',
    renderWhitespace: 'none',
    quickSuggestions: { other: true, comments: false, strings: false },
    quickSuggestionsDelay: 0,
    wordBasedSuggestions: 'off',
    suggest: { showWords: false, showIcons: false, preview: false },
    acceptSuggestionOnEnter: 'on',
    tabCompletion: 'on',
    fixedOverflowWidgets: true,
    automaticLayout: true,
    accessibilitySupport: 'auto',
    // The classic hidden <textarea> rather than the EditContext API: it carries the
    // accessible name "Command" and behaves like the plain <input> it replaces.
    editContext: false,
    padding: { top: 6, bottom: 6 },
  });

  followTheme();
  const setLine = (text: string) => {
    model.setValue(text);
    const end = model.getLineMaxColumn(1);
    ed.setPosition({ lineNumber: 1, column: end });
  };
  setLine(options.initialValue);

  const disposables: IDisposable[] = [];
  const submit = (line: string) => {
    options.history.push(line);
    options.onSubmit(line);
  };
  // One line only. Pasted lines are sent one by one, as a terminal would (U1: joining them
  // into one line taught something false); the text after the last line break stays.
  disposables.push(
    model.onDidChangeContent(() => {
      if (model.getLineCount() > 1) {
        const { lines, rest } = splitPastedLines(model.getValue(), { keepBlank: options.keepBlank });
        setLine(rest);
        for (const line of lines) submit(line);
      }
      refresh();
    }),
  );
  ed.addCommand(
    KeyCode.Enter,
    () => {
      const line = model.getValue();
      setLine('');
      submit(line);
    },
    '!suggestWidgetVisible',
  );
  // Never a keyboard trap: Tab and Shift+Tab leave the line (Tab still accepts a shown
  // suggestion), and so do Escape and Ctrl+M.
  const leave = (backwards: boolean) => focusNextAfter(host, backwards);
  ed.addCommand(KeyCode.Tab, () => leave(false), '!suggestWidgetVisible');
  ed.addCommand(KeyMod.Shift | KeyCode.Tab, () => leave(true), '!suggestWidgetVisible');
  ed.addCommand(KeyCode.Escape, () => leave(false), '!suggestWidgetVisible');
  ed.addCommand(KeyMod.CtrlCmd | KeyCode.KeyM, () => leave(false));
  ed.addCommand(
    KeyCode.UpArrow,
    () => {
      const prev = options.history.up(model.getValue());
      if (prev !== null) setLine(prev);
    },
    '!suggestWidgetVisible',
  );
  ed.addCommand(
    KeyCode.DownArrow,
    () => {
      const next = options.history.down();
      if (next !== null) setLine(next);
    },
    '!suggestWidgetVisible',
  );

  let rules = rulesFor(options.language);
  function refresh(): void {
    const line = model.getValue();
    const message = rules.diagnose(options.source.all, options.source.legal(), options.source.state(), line);
    const span = rules.commandSpan(options.source.all, line);
    const start = span.start + 1;
    const word = { length: Math.max(span.length, 1) };
    editor.setModelMarkers(
      model,
      'pop-lab',
      message
        ? [
            {
              severity: 4 /* MarkerSeverity.Warning */,
              message,
              startLineNumber: 1,
              startColumn: start,
              endLineNumber: 1,
              endColumn: start + word.length,
            },
          ]
        : [],
    );
  }
  refresh();

  return {
    focus: () => ed.focus(),
    refresh,
    setLanguage(language, placeholder) {
      registerLanguage(language, options.source.all);
      rules = rulesFor(language);
      if (model.getLanguageId() !== language) editor.setModelLanguage(model, language);
      ed.updateOptions({ placeholder });
      refresh();
    },
    dispose() {
      for (const d of disposables) d.dispose();
      sources.delete(model.uri.toString());
      ed.dispose();
      model.dispose();
    },
  };
}
