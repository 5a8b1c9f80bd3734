/** The lessons layer: format, goal checks, engine, progress, Markdown rendering (no DOM). */
export { parseLesson, entryAction, deviceRefs, MAX_LESSON_SIZE, type Lesson } from './parse';
export { LessonError, problemText, type LessonProblem } from './errors';
export {
  CLAIMS,
  CLAIM_IDS,
  TRACKS,
  LEVELS,
  EVENT_TYPES,
  SESSION_STATES,
  lessonJsonSchema,
  type Check,
  type Claim,
  type Track,
  type LessonStep,
  type SolutionEntry,
} from './schema';
export { evaluateCheck, formatBytes, type CheckContext, type Verdict } from './checks';
export { EventTracker, type Fact } from './tracker';
export {
  LessonRun,
  lessonNeedsImap,
  type LessonWorldFactory,
  type LessonRunOptions,
  type LessonState,
  type SolutionLine,
  type CompletionSummary,
  type StepSummary,
} from './engine';
export { playLesson, type LessonPlay, type StepOutcome } from './verify';
export {
  PROGRESS_KEY,
  PROGRESS_KIND,
  PROGRESS_VERSION,
  emptyProgress,
  loadProgress,
  saveProgress,
  lessonProgress,
  withLessonProgress,
  withoutLesson,
  type ProgressData,
  type LessonProgress,
  type LoadedProgress,
  type StepRecord,
} from './progress';
export {
  renderMarkdown,
  renderInlineMarkdown,
  markdownProblems,
  SANITIZE_CONFIG,
  type HtmlSanitizer,
  type SanitizeConfig,
} from './markdown';
export { STRINGS, catalogue, format, translator, type StringKey, type Strings, type Translate } from './strings';
