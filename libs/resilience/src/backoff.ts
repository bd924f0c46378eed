/** How far apart retries of one piece of work are spread: the first retry waits about baseMs, then doubling. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `retry` (1 = the first retry): exponential, capped at maxMs, with "equal jitter"
 * (uniform in the upper half of the ceiling). The one backoff every retry loop uses: the relay, consumers,
 * supplier purchases, notification channels.
 *
 * Why this jitter: many orders fail together when a dependency goes away (a supplier, the broker); without
 * jitter their retries come back in lockstep and knock it over again. Full jitter spreads them widest but
 * can retry at once (delay ≈ 0); the upper half keeps at least half the ceiling, so a retry is never a
 * tight loop, and still spreads a crowd over a window as wide as the wait itself.
 * `random` is injected for tests.
 */
export function backoffDelay(
  retry: number,
  { baseMs, maxMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  // 2^30 already passes any sane cap; bounding the exponent keeps a huge retry count from reaching Infinity.
  const exponent = Math.min(30, Math.max(0, retry - 1));
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
