/**
 * Hash routes: `#/` the sandbox, `#/scenario/<id>`, `#/share/<payload>`, the lessons
 * (`#/lessons`, `#/lesson/<id>`, `#/lessons/file` for a lesson opened from disk), the decision guide
 * (`#/guide`) and the Compare view: `#/compare` (the default story), `#/compare/<id>` at the start,
 * `#/compare/<id>/<step>` after that many steps or `/end`, and `#/compare/share/<payload>` (a
 * scenario of the learner's own or a what-if, with its position).
 */
export type Route =
  | { kind: 'sandbox' }
  | { kind: 'scenario'; id: string }
  | { kind: 'share'; payload: string }
  | { kind: 'guide' }
  | { kind: 'lessons' }
  | { kind: 'lesson'; id: string }
  | { kind: 'lesson-file' }
  /** `id` null: the default story; `step` null: the start. */
  | { kind: 'compare'; id: string | null; step: number | 'end' | null }
  | { kind: 'compare-share'; payload: string }
  | { kind: 'unknown'; hash: string };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h === '' || h === '/') return { kind: 'sandbox' };
  let m = /^\/scenario\/([a-z0-9][a-z0-9-]*)\/?$/.exec(h);
  if (m) return { kind: 'scenario', id: m[1] };
  if (h === '/guide' || h === '/guide/') return { kind: 'guide' };
  if (/^\/compare\/?$/.test(h)) return { kind: 'compare', id: null, step: null };
  m = /^\/compare\/share\/([A-Za-z0-9_-]+)$/.exec(h);
  if (m) return { kind: 'compare-share', payload: m[1] };
  m = /^\/compare\/([a-z0-9][a-z0-9-]{0,63})(?:\/(end|\d{1,6}))?\/?$/.exec(h);
  if (m)
    return {
      kind: 'compare',
      id: m[1],
      step: m[2] === undefined ? null : m[2] === 'end' ? 'end' : Number(m[2]),
    };
  m = /^\/share\/([A-Za-z0-9_-]+)$/.exec(h);
  if (m) return { kind: 'share', payload: m[1] };
  if (/^\/lessons\/?$/.test(h)) return { kind: 'lessons' };
  if (/^\/lessons\/file\/?$/.test(h)) return { kind: 'lesson-file' };
  m = /^\/lesson\/([a-z0-9][a-z0-9-]{0,63})\/?$/.exec(h);
  if (m) return { kind: 'lesson', id: m[1] };
  return { kind: 'unknown', hash: hash.slice(0, 80) };
}

/** The lesson screens (loaded lazily, with their own world). */
export function isLessonRoute(
  route: Route,
): route is Extract<Route, { kind: 'lessons' | 'lesson' | 'lesson-file' }> {
  return route.kind === 'lessons' || route.kind === 'lesson' || route.kind === 'lesson-file';
}

/** The Compare view's screens (loaded lazily; they run their worlds in Web Workers). */
export function isCompareRoute(route: Route): route is Extract<Route, { kind: 'compare' | 'compare-share' }> {
  return route.kind === 'compare' || route.kind === 'compare-share';
}
