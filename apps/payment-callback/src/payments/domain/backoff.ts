import { backoffDelay } from '@keyflow/resilience';

/**
 * Delay in seconds before the next attempt of a durable retry (provider creation, active query, refund):
 * the shared backoff (doubling from `baseSeconds`, capped, jittered), in the unit the SQL schedules take.
 */
export function nextAttemptDelaySeconds(attempt: number, baseSeconds: number, maxSeconds: number): number {
  return backoffDelay(attempt, { baseMs: baseSeconds * 1000, maxMs: maxSeconds * 1000 }) / 1000;
}
