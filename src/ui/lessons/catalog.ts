/**
 * The shipped lessons (lessons/en/*.md), each fetched when first needed and parsed with the
 * lessons layer. A file that does not parse is kept with its problems, so the screens show an
 * error card for it instead of a blank page.
 */
import { LessonError, parseLesson, type Lesson, type LessonProblem } from '../../lessons/index';

const FILES = import.meta.glob('/lessons/en/*.md', { query: '?raw', import: 'default' }) as Record<
  string,
  () => Promise<string>
>;

export interface LessonEntry {
  /** The file's id (its name without .md). */
  id: string;
  /** Where it lives, for error messages ("lessons/en/pop3-login.md"). */
  file: string;
  lesson: Lesson | null;
  problems: LessonProblem[];
}

const idOf = (path: string) => /\/([^/]+)\.md$/.exec(path)![1];
const byId = new Map(Object.entries(FILES).map(([path, load]) => [idOf(path), { path, load }]));
const cache = new Map<string, Promise<LessonEntry>>();

/** The ids of every shipped lesson file. */
export function shippedIds(): string[] {
  return [...byId.keys()].sort();
}

/**
 * Parses one lesson file's text; a problem becomes part of the entry, never an exception. A
 * shipped file's name must be its id; a file from disk (id null) may have any name.
 */
export function parseEntry(id: string | null, file: string, text: string): LessonEntry {
  try {
    const lesson = parseLesson(text, file);
    if (id === null) return { id: lesson.id, file, lesson, problems: [] };
    if (lesson.id !== id)
      return {
        id,
        file,
        lesson: null,
        problems: [{ path: 'id', message: `the file is named ${id}.md but its id is "${lesson.id}"` }],
      };
    return { id, file, lesson, problems: [] };
  } catch (err) {
    const problems =
      err instanceof LessonError ? err.problems : [{ path: '', message: String((err as Error)?.message ?? err) }];
    return { id: id ?? '', file, lesson: null, problems };
  }
}

/** One shipped lesson, or null when there is no file with that id. */
export function loadLesson(id: string): Promise<LessonEntry> | null {
  const f = byId.get(id);
  if (!f) return null;
  let p = cache.get(id);
  if (!p) {
    const file = f.path.replace(/^\//, '');
    p = f.load().then(
      (text) => parseEntry(id, file, text),
      (err: unknown) => ({
        id,
        file,
        lesson: null,
        problems: [{ path: '', message: `the file could not be loaded (${(err as Error)?.message ?? err})` }],
      }),
    );
    cache.set(id, p);
  }
  return p;
}

/** Every shipped lesson, in file order. */
export function loadAll(): Promise<LessonEntry[]> {
  return Promise.all(shippedIds().map((id) => loadLesson(id)!));
}
