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
  const entry = parseEntry(null, file.name, text);
  if (!entry.lesson) return { ok: false, problems: entry.problems };
  if (!keepOpened(file.name, text)) return { ok: false, problems: [{ path: '', message: t('ui.file.notKept') }] };
  return { ok: true, lesson: entry.lesson };
}
