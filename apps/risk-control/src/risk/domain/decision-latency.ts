/**
 * Milliseconds from the payment's confirmation to a risk decision. Clocks of two services may disagree a
 * little, so a decision that seems to precede its cause counts as instant rather than negative.
 */
export function decidedInMs(paymentConfirmedAt: string, decidedAt: string): number {
  const elapsed = new Date(decidedAt).getTime() - new Date(paymentConfirmedAt).getTime();
  return Number.isFinite(elapsed) ? Math.max(0, Math.round(elapsed)) : 0;
}
