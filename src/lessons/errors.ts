/** What is wrong with a lesson file: every problem with its place, in plain words. */
export interface LessonProblem {
  /** Where in the lesson: `steps[2].goal.session.state`, `front matter`, `body`. */
  path: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

export function problemText(p: LessonProblem): string {
  return `${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** The only error the lesson parser throws: a lesson that cannot be used, and why. */
export class LessonError extends Error {
  constructor(
    readonly problems: LessonProblem[],
    readonly file?: string,
  ) {
    super(
      `${file ? `${file}: ` : ''}invalid lesson:\n  - ${problems.map(problemText).join('\n  - ')}`,
    );
    this.name = 'LessonError';
  }
}

/** "steps[2].goal.session" from ["steps", 2, "goal", "session"]. */
export function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
