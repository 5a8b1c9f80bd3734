/**
 * Bounds on what a scenario, a saved world or one step may ask for. Scenarios and saved worlds
 * are untrusted (a teacher's typo, an old localStorage entry, a crafted share link): without
 * bounds a single number can exhaust memory (a 1e12-octet message) or freeze the page (a year of
 * checks every 1e-300 minutes). Every bound is far above what a lesson needs.
 */

/** Longest a single `advance` (and a `traffic` period, a message's `daysAgo`) may be: 10 years. */
export const MAX_DAYS = 3660;
/** Largest message a scenario or random traffic may create: 20 MiB, like common APPEND limits. */
export const MAX_MESSAGE_SIZE = 20 * 1024 * 1024;
/** Most random messages a day. */
export const MAX_PER_DAY = 5000;
/** Most messages one `traffic` step (or the scenario's message list) may create. */
export const MAX_TRAFFIC_MESSAGES = 200_000;
/** Most octets one `traffic` step, or the scenario's messages, may create (on average): 1 GiB. */
export const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
/** Longest automatic check interval: 10 years, in minutes (the shortest is 1 minute). */
export const MAX_CHECK_MINUTES = MAX_DAYS * 24 * 60;
/** Most scheduled checks plus random deliveries one `advance` may run; more is refused up front. */
export const MAX_EVENTS_PER_ADVANCE = 1_000_000;
/** Deepest nesting accepted in a scenario or saved world (real ones nest about 9 levels). */
export const MAX_DEPTH = 64;
/** Most values (objects, arrays, strings, numbers...) in a saved world or scenario. */
export const MAX_NODES = 20_000_000;

/**
 * Walks a JSON-like value without recursion (so 100,000 levels cannot overflow the stack) and
 * returns a problem, or null when it is within `MAX_DEPTH` and `MAX_NODES`.
 */
export function shapeProblem(value: unknown, maxDepth = MAX_DEPTH, maxNodes = MAX_NODES): string | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > maxNodes) return `too large (more than ${maxNodes} values)`;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return `too deeply nested (more than ${maxDepth} levels)`;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push([v[i], depth + 1]);
    else for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], depth + 1]);
  }
  return null;
}

/** Milliseconds of virtual time an `advance` covers. */
export function advanceMs(a: { days?: number; hours?: number; minutes?: number }): number {
  return (a.days ?? 0) * 86_400_000 + (a.hours ?? 0) * 3_600_000 + (a.minutes ?? 0) * 60_000;
}
