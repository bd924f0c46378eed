/**
 * The key every supplier call for one order line carries. It is derived, never random, so a retry, a
 * second worker after a crash or a manual re-delivery all present the same key and the supplier answers
 * with the purchase it already made instead of selling again.
 */
export function purchaseIdempotencyKey(orderId: string, lineId: string): string {
  return `kf-${orderId}-${lineId}`;
}
