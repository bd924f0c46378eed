/**
 * Which suppliers to try, in order, for one attempt: the SKU's route (primary first) restricted to the
 * suppliers this deployment knows and operators have not taken out of rotation. Unknown and paused ones
 * are reported, not silently dropped.
 */
export interface FailoverPlan {
  order: string[];
  unknown: string[];
  outOfRotation: string[];
}

export function failoverPlan(
  route: readonly string[],
  known: ReadonlySet<string>,
  paused: ReadonlySet<string> = new Set(),
): FailoverPlan {
  const unique = [...new Set(route)];
  return {
    order: unique.filter((id) => known.has(id) && !paused.has(id)),
    unknown: unique.filter((id) => !known.has(id)),
    outOfRotation: unique.filter((id) => known.has(id) && paused.has(id)),
  };
}

/**
 * Before buying from `next`, every other supplier whose outcome is still unknown (a timed-out call, or a
 * call a crashed worker had started) must be asked first: that purchase may have gone through, and
 * buying elsewhere would buy twice. Buying again at `next` itself is safe: same idempotency key.
 */
export function mustResolveBefore(next: string, unresolved: ReadonlySet<string>): string[] {
  return [...unresolved].filter((id) => id !== next);
}
