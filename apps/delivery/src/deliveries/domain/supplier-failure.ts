/**
 * How a supplier call went wrong, which decides what delivery may do next:
 * - `retryable`: the supplier did not process it (5xx, connection refused/reset): retry with backoff.
 * - `rejected`: the supplier refused it for good (4xx such as an unknown SKU): never retried there.
 * - `unknown-outcome`: no answer in time; the purchase may have gone through. Ask the supplier (by
 *   idempotency key) before buying anywhere else.
 * - `breaker-open`: not sent at all, the supplier's circuit is open: safe to move on at once.
 */
export type SupplierFailureKind = 'retryable' | 'rejected' | 'unknown-outcome' | 'breaker-open';

export class SupplierFailure extends Error {
  constructor(
    readonly kind: SupplierFailureKind,
    readonly supplierId: string,
    /** Short, key-free description (status code, error code), safe for logs and events. */
    readonly detail: string,
  ) {
    super(`SUPPLIER.${kind.toUpperCase().replace(/-/g, '_')}: ${supplierId}: ${detail}`);
    this.name = 'SupplierFailure';
  }
}

/** What an HTTP status from a supplier means: 5xx and 429 are worth another try, other 4xx are not. */
export function kindOfStatus(status: number): SupplierFailureKind {
  if (status >= 500 || status === 429 || status === 408) return 'retryable';
  return 'rejected';
}

/** Breaker accounting: a refusal for good says nothing about the supplier's health. */
export const countsAgainstBreaker = (error: unknown): boolean =>
  !(error instanceof SupplierFailure && error.kind === 'rejected');
