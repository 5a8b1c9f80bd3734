/**
 * Lesson progress in the browser: the versioned records of src/lessons/progress.ts kept in
 * localStorage (survives a reload), exported as a file a student hands in, imported back.
 * Unreadable data is reported once and replaced by empty progress, never a crash. A lesson
 * opened from a file keeps its progress in sessionStorage under its own key, so a teacher's
 * draft that shares a shipped lesson's id never overwrites a learner's record.
 */
import {
  loadProgress,
  PROGRESS_KEY,
  saveProgress,
  withLessonProgress,
  withoutLesson,
  type LessonProgress,
  type ProgressData,
} from '../../lessons/index';
import { t } from './strings';

export const FILE_PROGRESS_KEY = `${PROGRESS_KEY}.file`;

function storageOf(kind: 'local' | 'session'): Storage | null {
  try {
    return kind === 'local' ? localStorage : sessionStorage;
  } catch {
    return null;
  }
}

export class ProgressStore {
  constructor(
    private readonly storage: Storage | null,
    private readonly key: string,
  ) {}

  /** The saved progress; a corrupt record is removed and its reason returned as `notice`. */
  read(): { data: ProgressData; notice: string | null } {
    const { data, problem } = loadProgress(this.#text());
    if (!problem) return { data, notice: null };
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* nothing kept: fine */
    }
    return { data, notice: t('ui.progress.corrupt', { reason: problem }) };
  }

  #text(): string | null {
    try {
      return this.storage?.getItem(this.key) ?? null;
    } catch {
      return null;
    }
  }

  /** Writes the data; a notice when the browser refused (storage full or blocked). */
  write(data: ProgressData): string | null {
    try {
      this.storage?.setItem(this.key, saveProgress(data));
      return null;
    } catch {
      return t('ui.progress.notSaved');
    }
  }

  /** One lesson's record put in (read fresh, so another tab's lessons are kept). */
  put(record: LessonProgress): string | null {
    return this.write(withLessonProgress(this.read().data, record));
  }

  remove(id: string): string | null {
    return this.write(withoutLesson(this.read().data, id));
  }

  /** The whole progress as a file's text (what a student hands in). */
  exportText(): string {
    return JSON.stringify(this.read().data, null, 1) + '\n';
  }

  /**
   * Reads a progress file and merges it in (its records replace those of the same lessons).
   * A bad file changes nothing and says why.
   */
  importText(text: string): { ok: true; n: number; notice: string | null } | { ok: false; problem: string } {
    const loaded = loadProgress(text);
    if (loaded.problem) return { ok: false, problem: loaded.problem };
    let data = this.read().data;
    for (const record of loaded.data.lessons) data = withLessonProgress(data, record);
    const notice = this.write(data);
    return { ok: true, n: loaded.data.lessons.length, notice };
  }
}

/** The learner's progress on the shipped lessons. */
export const shippedProgress = () => new ProgressStore(storageOf('local'), PROGRESS_KEY);
/** Progress on a lesson opened from a file (this tab only). */
export const fileProgress = () => new ProgressStore(storageOf('session'), FILE_PROGRESS_KEY);

/** The lesson opened from disk (or written by the builder), kept for this tab. */
export const OPENED_KEY = 'pop-vs-imap-lab.lesson-file';

export function keepOpened(name: string, text: string): boolean {
  try {
    sessionStorage.setItem(OPENED_KEY, JSON.stringify({ name, text }));
    return true;
  } catch {
    return false;
  }
}

export function readOpened(): { name: string; text: string } | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(OPENED_KEY) ?? 'null') as unknown;
    if (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' && typeof (v as { text?: unknown }).text === 'string')
      return v as { name: string; text: string };
  } catch {
    /* nothing usable */
  }
  return null;
}
