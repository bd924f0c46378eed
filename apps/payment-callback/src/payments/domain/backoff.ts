/**
 * Delay before the next attempt of a durable retry (provider creation, active query, refund):
 * doubling from `baseSeconds`, capped, so a provider outage is not hammered and a short one heals fast.
 */
export function nextAttemptDelaySeconds(attempt: number, baseSeconds: number, maxSeconds: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 20);
  return Math.min(baseSeconds * 2 ** exponent, maxSeconds);
}
