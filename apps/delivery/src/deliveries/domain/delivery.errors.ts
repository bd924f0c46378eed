/**
 * Typed failures of delivery. Codes are stable (API answers, DLQ reasons and alerts match on them);
 * messages name orders, suppliers and SKUs, never card keys.
 */
export type DeliveryErrorCode =
  | 'DELIVERY.NOT_FOUND'
  | 'DELIVERY.NOT_REDELIVERABLE'
  | 'DELIVERY.KEYS_UNREADABLE'
  | 'DELIVERY.KEY_COUNT_MISMATCH'
  | 'DELIVERY.INVALID_COMMIT'
  | 'DELIVERY.PURCHASE_NOT_ABANDONED'
  | 'DELIVERY.PURCHASE_ALREADY_RECONCILED';

export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DeliveryError';
  }
}
