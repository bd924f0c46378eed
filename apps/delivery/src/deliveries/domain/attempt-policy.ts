import { backoffDelay } from '@keyflow/resilience';

export interface AttemptPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts (each trying every supplier in order) before the delivery is given up as failed. */
  maxAttempts: number;
}

export type AfterFailedAttempt = { kind: 'retry'; nextAttemptAt: string } | { kind: 'give-up' };

/** After attempt `attempt` failed at every supplier: schedule the next one, or give up past the limit. */
export function afterFailedAttempt(
  attempt: number,
  policy: AttemptPolicy,
  now: Date,
  random: () => number = Math.random,
): AfterFailedAttempt {
  if (attempt >= policy.maxAttempts) return { kind: 'give-up' };
  const delay = backoffDelay(attempt, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, random);
  return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
}
