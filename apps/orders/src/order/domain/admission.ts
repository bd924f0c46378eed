/**
 * Admission control at checkout: when the pipeline already holds more paid work than it should, a new
 * checkout is refused with a time to come back, so the orders already paid keep the capacity they need.
 * Pure: the reading (backlog, completion rate) comes from the read model, the bound from configuration.
 */

/** Statuses of a paid order the pipeline is still working on. Orders waiting for a person (manual review,
 * escalation) are not counted: their wait is not the machines' capacity, and a long review queue must not
 * close the shop. */
export const BACKLOG_STATUSES = ['paid', 'approved', 'fulfilling', 'delivered'] as const;

export interface AdmissionPolicy {
  /** The most paid-but-unfinished orders at which checkout still admits; `undefined`: never shed. */
  maxBacklog?: number;
  /** Bounds of the Retry-After handed to a shed buyer, in seconds. */
  minRetryAfterSeconds: number;
  maxRetryAfterSeconds: number;
}

export interface BacklogReading {
  /** Paid orders not yet in a terminal state (see {@link BACKLOG_STATUSES}). */
  backlog: number;
  /** Orders completed per second over the recent window. */
  completedPerSecond: number;
}

export type AdmissionDecision =
  { admit: true } | { admit: false; retryAfterSeconds: number; backlog: number; maxBacklog: number };

/** Admit while the backlog is within the bound; past it, shed and say when the backlog will have drained. */
export function decideAdmission(policy: AdmissionPolicy, reading: BacklogReading): AdmissionDecision {
  if (policy.maxBacklog === undefined || reading.backlog <= policy.maxBacklog) return { admit: true };
  return {
    admit: false,
    retryAfterSeconds: retryAfterSeconds(policy, reading),
    backlog: reading.backlog,
    maxBacklog: policy.maxBacklog,
  };
}

/**
 * The time the pipeline needs to finish the work it already accepted (backlog ÷ recent completion rate),
 * in whole seconds within the policy's bounds. Nothing completing recently: the longest wait, since no
 * estimate is honest.
 */
export function retryAfterSeconds(policy: AdmissionPolicy, reading: BacklogReading): number {
  const seconds =
    reading.completedPerSecond > 0
      ? Math.ceil(reading.backlog / reading.completedPerSecond)
      : policy.maxRetryAfterSeconds;
  return Math.min(policy.maxRetryAfterSeconds, Math.max(policy.minRetryAfterSeconds, seconds));
}
