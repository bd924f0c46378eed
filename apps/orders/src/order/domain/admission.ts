/**
 * Admission control at checkout: when the pipeline already holds more paid work than it should, a new
 * checkout is refused with a time to come back, so the orders already paid keep the capacity they need.
 * Pure: the reading (backlog, completion rate) comes from the read model, the bound from configuration.
 */

/**
 * Statuses of a paid order the pipeline is still working on. Orders waiting for a person (manual review,
 * escalation) are not counted: their wait is not the machines' capacity, and a long review queue must not
 * close the shop.
 */
export const BACKLOG_STATUSES = ['paid', 'approved', 'fulfilling', 'delivered'] as const;

/**
 * The stage a placed order waits in until the pipeline has taken it up (inventory has answered its
 * OrderPlaced). Such orders are owed work too, and at a sudden peak they pile up long before any of them is
 * paid; once reserved, an unpaid order (perhaps an abandoned cart) no longer counts.
 */
export const UNPROCESSED_STAGE = 'stock-reservation';

export interface AdmissionPolicy {
  /** The most paid-but-unfinished orders at which checkout still admits; `undefined`: never shed. */
  maxBacklog?: number;
  /**
   * The longest the pipeline may need to finish what it already accepted (backlog ÷ recent completion rate):
   * past it, shed even under `maxBacklog`. A fixed count cannot fit every box — 2,000 orders are ten seconds
   * of work on one and minutes on another, and buyers who wait minutes for a pay page give up — so the bound
   * follows the measured rate. `undefined`: the count alone decides.
   */
  maxDrainSeconds?: number;
  /** Never shed below this backlog, whatever the rate says (a quiet shop's first burst has no rate yet). */
  minBacklog: number;
  /** Bounds of the Retry-After handed to a shed buyer, in seconds. */
  minRetryAfterSeconds: number;
  maxRetryAfterSeconds: number;
}

export interface BacklogReading {
  /**
   * Orders the pipeline owes work: paid but not yet finished ({@link BACKLOG_STATUSES}) plus placed but not
   * yet taken up ({@link UNPROCESSED_STAGE}).
   */
  backlog: number;
  /** Orders completed per second over the recent window. */
  completedPerSecond: number;
  /**
   * The best completion rate seen lately (see CapacityMemory): what the pipeline has shown it can finish. At
   * the start of a peak the recent window still holds the quiet before it and reads near zero, but the
   * pipeline is no slower than it was at the last busy moment. Absent: only the recent rate is known.
   */
  capacityPerSecond?: number;
}

/** The rate the backlog can be expected to drain at: the recent one, or the capacity shown lately if higher. */
export function drainRate(reading: BacklogReading): number {
  return Math.max(reading.completedPerSecond, reading.capacityPerSecond ?? 0);
}

export type AdmissionDecision =
  { admit: true } | { admit: false; retryAfterSeconds: number; backlog: number; maxBacklog: number };

/** Admit while the backlog is within the bound; past it, shed and say when the backlog will have drained. */
export function decideAdmission(policy: AdmissionPolicy, reading: BacklogReading): AdmissionDecision {
  const bound = effectiveBound(policy, reading);
  if (bound === undefined || reading.backlog <= bound) return { admit: true };
  return {
    admit: false,
    retryAfterSeconds: retryAfterSeconds(policy, reading),
    backlog: reading.backlog,
    maxBacklog: bound,
  };
}

/**
 * The backlog checkout admits up to now: the fixed bound, lowered to what the pipeline finishes within
 * `maxDrainSeconds` at its drain rate ({@link drainRate}; nothing finished lately: no more than the floor),
 * never below `minBacklog`.
 */
export function effectiveBound(policy: AdmissionPolicy, reading: BacklogReading): number | undefined {
  if (policy.maxBacklog === undefined) return undefined;
  if (policy.maxDrainSeconds === undefined) return policy.maxBacklog;
  const drainable = Math.ceil(drainRate(reading) * policy.maxDrainSeconds);
  return Math.min(policy.maxBacklog, Math.max(policy.minBacklog, drainable));
}

/**
 * The time the pipeline needs to finish the work it already accepted (backlog ÷ drain rate), in whole
 * seconds within the policy's bounds. Nothing completing lately: the longest wait, since no estimate is
 * honest.
 */
export function retryAfterSeconds(policy: AdmissionPolicy, reading: BacklogReading): number {
  const rate = drainRate(reading);
  const seconds = rate > 0 ? Math.ceil(reading.backlog / rate) : policy.maxRetryAfterSeconds;
  return Math.min(policy.maxRetryAfterSeconds, Math.max(policy.minRetryAfterSeconds, seconds));
}
