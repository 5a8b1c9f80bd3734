/**
 * Animation with the browser's own Web Animations API (`element.animate`), so the views need
 * no animation library in the first load (d3-transition with d3-interpolate, d3-color,
 * d3-timer, d3-ease and d3-dispatch was about 9 KB gzipped of the eager budget, issue 2 §7).
 * Where `animate` does not exist (jsdom) or the duration is 0 (reduced motion, tests) the end
 * state applies at once.
 */

const EASE = 'cubic-bezier(0.45, 0, 0.55, 1)';

/**
 * Plays keyframes on an element and resolves when they end. A canceled animation (a reset took
 * over) counts as done, so sequences never hang. Keyframes describe the motion only; callers
 * set the resting style themselves.
 */
export function animate(el: Element, keyframes: Keyframe[], duration: number): Promise<void> {
  if (duration <= 0 || typeof (el as HTMLElement).animate !== 'function') return Promise.resolve();
  const animation = (el as HTMLElement).animate(keyframes, { duration, easing: EASE });
  return animation.finished.then(
    () => undefined,
    () => undefined,
  );
}

/** Plays the same keyframes on several elements; resolves when all have ended. */
export function animateAll(
  els: Iterable<Element | null | object>,
  keyframes: Keyframe[],
  duration: number,
): Promise<void> {
  const elements = [...els].filter((el): el is Element => !!el && (el as Node).nodeType === 1);
  return Promise.all(elements.map((el) => animate(el, keyframes, duration))).then(() => undefined);
}

/** Stops every running animation inside `root` (Reset draws the new picture at once). */
export function cancelAnimations(root: Element): void {
  const running = (root as HTMLElement).getAnimations?.({ subtree: true }) ?? [];
  for (const a of running) a.cancel();
}
