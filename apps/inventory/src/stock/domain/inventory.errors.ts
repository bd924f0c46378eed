/**
 * Typed failures of the inventory domain. Codes are stable (clients and alerts match on them); messages
 * name SKUs, ids and line numbers, never card keys or key material.
 */
export type InventoryErrorCode =
  | 'INVENTORY.UNKNOWN_SKU'
  | 'INVENTORY.INVALID_SKU'
  | 'INVENTORY.SOURCE_CHANGE_REFUSED'
  | 'INVENTORY.NOT_A_POOL_SKU'
  | 'INVENTORY.INVALID_KEY_FILE'
  | 'INVENTORY.MASTER_KEY_UNKNOWN'
  | 'INVENTORY.DECRYPTION_FAILED'
  | 'INVENTORY.RESERVATION_INCONSISTENT';

export class InventoryError extends Error {
  constructor(
    readonly code: InventoryErrorCode,
    message: string,
    /** Extra facts for API answers (line numbers, counts); never secrets. */
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${message}`);
    this.name = 'InventoryError';
  }
}
