/** Exponential backoff with full jitter (AWS's "full jitter"): spreads retries of many orders apart. */
export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1 = the first retry): uniform in [0, min(max, base·2^(retry-1))],
 * never below a tenth of the cap so a retry is not fired at once. `random` is injected for tests.
 */
export function backoffDelay(
  retry: number,
  { baseDelayMs, maxDelayMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(cap / 10 + random() * (cap - cap / 10));
}
