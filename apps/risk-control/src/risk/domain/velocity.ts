import { type CountLimits } from './risk-rules';

/**
 * The velocity window of an order: orders placed in (from, to], where `to` is the assessed order's own
 * placement time. Anchoring on placedAt (not on "now") makes the count the same however late the payment
 * or the assessment runs, and on a replay.
 */
export function velocityWindow(placedAt: string, windowSeconds: number): { from: string; to: string } {
  const to = new Date(placedAt).getTime();
  return { from: new Date(to - windowSeconds * 1000).toISOString(), to: new Date(to).toISOString() };
}

export type VelocityVerdict = { verdict: 'reject' | 'review'; count: number; limit: number } | undefined;

/** `otherOrders` excludes the assessed order; limits count it, so N allowed orders pass and the N+1th does not. */
export function velocityVerdict(otherOrders: number, limits: CountLimits | undefined): VelocityVerdict {
  if (!limits) return undefined;
  const count = otherOrders + 1;
  if (limits.rejectAbove !== undefined && count > limits.rejectAbove)
    return { verdict: 'reject', count, limit: limits.rejectAbove };
  if (limits.reviewAbove !== undefined && count > limits.reviewAbove)
    return { verdict: 'review', count, limit: limits.reviewAbove };
  return undefined;
}
