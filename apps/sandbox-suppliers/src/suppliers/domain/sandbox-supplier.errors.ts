export type SandboxSupplierErrorCode =
  | 'SUPPLIER.NOT_FOUND'
  | 'SUPPLIER.UNKNOWN_SKU'
  | 'SUPPLIER.OUT_OF_STOCK'
  | 'SUPPLIER.IDEMPOTENCY_MISMATCH'
  | 'SUPPLIER.INVALID'
  | 'SUPPLIER.OUTAGE';

/** Typed failures of the sandbox suppliers, answered with the HTTP status a real supplier would use. */
export class SandboxSupplierError extends Error {
  constructor(
    readonly code: SandboxSupplierErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxSupplierError';
  }
}
