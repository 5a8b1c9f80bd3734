/** Files in and out of the lesson screens: downloads, and lesson files opened from disk. */
import { MAX_LESSON_SIZE, type Lesson, type LessonProblem } from '../../lessons/index';
import { parseEntry } from './catalog';
import { keepOpened } from './progress-store';
import { t } from './strings';

export function download(text: string, name: string, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Reads and validates a lesson file from disk. Nothing in it runs: it is parsed (YAML, schema,
 * scenario, Markdown refusing raw HTML) and, when valid, kept for this tab so `#/lessons/file`
 * can follow it. Problems come back with their line and path.
 */
export async function openLessonFile(
  file: File,
): Promise<{ ok: true; lesson: Lesson } | { ok: false; problems: LessonProblem[] }> {
  // A little over the parser's own bound, so its message (with the size) is the one shown.
  if (file.size > MAX_LESSON_SIZE * 4) return { ok: false, problems: [{ path: '', message: t('ui.file.tooLarge') }] };
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, problems: [{ path: '', message: t('ui.file.unreadable') }] };
  }
  return openLessonText(file.name, text);
}

export function openLessonText(
  name: string,
  text: string,
): { ok: true; lesson: Lesson } | { ok: false; problems: LessonProblem[] } {
  const entry = parseEntry(null, name, text);
  if (!entry.lesson) return { ok: false, problems: entry.problems };
  if (!keepOpened(name, text)) return { ok: false, problems: [{ path: '', message: t('ui.file.notKept') }] };
  return { ok: true, lesson: entry.lesson };
}

/**
 * A lesson file opened from the sandbox's Import (or dropped on it): followed at once, or the
 * reason in one sentence for the sandbox's notice (nothing in the file runs either way).
 */
export function followLesson(name: string, text: string): string | null {
  const r = openLessonText(name, text);
  if (r.ok) {
    location.hash = '#/lessons/file';
    return null;
  }
  const shown = r.problems
    .slice(0, 3)
    .map((p) => `${p.line !== undefined ? `${t('ui.error.line', { line: p.line })} ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`);
  return t('ui.file.refusedIn', {
    file: name,
    problems: shown.join('; ') + (r.problems.length > 3 ? ` ${t('ui.error.more', { n: r.problems.length - 3 })}` : ''),
  });
}
