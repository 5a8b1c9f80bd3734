/**
 * The lesson screens, one lazily loaded chunk: the list (#/lessons), a lesson (#/lesson/<id>)
 * and the sandbox's lesson recorder. The runtime imports it (`runtime.lessonScreens`), so the
 * bundler knows the engine is already loaded and keeps the engine's modules in its own chunk.
 */
export { default as LessonsIndex } from './LessonsIndex.svelte';
export { default as LessonPage } from './LessonPage.svelte';
export { default as Recorder } from './Recorder.svelte';
export { followLesson } from './files';
