/**
 * Hash routes: `#/` the sandbox, `#/scenario/<id>`, `#/share/<payload>`, the lessons
 * (`#/lessons`, `#/lesson/<id>`, `#/lessons/file` for a lesson opened from disk); Compare adds its own.
 */
export type Route =
  | { kind: 'sandbox' }
  | { kind: 'scenario'; id: string }
  | { kind: 'share'; payload: string }
  | { kind: 'guide' }
  | { kind: 'lessons' }
  | { kind: 'lesson'; id: string }
  | { kind: 'lesson-file' }
  | { kind: 'unknown'; hash: string };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h === '' || h === '/') return { kind: 'sandbox' };
  let m = /^\/scenario\/([a-z0-9][a-z0-9-]*)\/?$/.exec(h);
  if (m) return { kind: 'scenario', id: m[1] };
  if (h === '/guide' || h === '/guide/') return { kind: 'guide' };
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
