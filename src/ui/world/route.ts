/** Hash routes: `#/` the sandbox, `#/scenario/<id>`, `#/share/<payload>` (lessons and Compare add theirs). */
export type Route =
  | { kind: 'sandbox' }
  | { kind: 'scenario'; id: string }
  | { kind: 'share'; payload: string }
  | { kind: 'guide' }
  | { kind: 'unknown'; hash: string };

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  if (h === '' || h === '/') return { kind: 'sandbox' };
  let m = /^\/scenario\/([a-z0-9][a-z0-9-]*)\/?$/.exec(h);
  if (m) return { kind: 'scenario', id: m[1] };
  if (h === '/guide' || h === '/guide/') return { kind: 'guide' };
  m = /^\/share\/([A-Za-z0-9_-]+)$/.exec(h);
  if (m) return { kind: 'share', payload: m[1] };
  return { kind: 'unknown', hash: hash.slice(0, 80) };
}
