/** One purchase of keys for one order line from one supplier. */
export interface PurchaseRequest {
  orderId: string;
  /** Same for every call for this order line, at every supplier (see purchaseIdempotencyKey). */
  idempotencyKey: string;
  sku: string;
  quantity: number;
}

/** What a supplier sold. `keys` are plaintext card keys: never log, trace or put them in an error. */
export interface SupplierPurchase {
  supplierOrderId: string;
  keys: string[];
}

/**
 * The port every supplier adapter implements (HTTP JSON first; another API is another adapter class plus
 * configuration). Failures are thrown as SupplierFailure with the right kind; `signal` aborts the request.
 */
export interface SupplierClient {
  readonly id: string;
  purchase(request: PurchaseRequest, signal: AbortSignal): Promise<SupplierPurchase>;
  /** The purchase made earlier under this idempotency key, or undefined when the supplier has none. */
  findPurchase(idempotencyKey: string, signal: AbortSignal): Promise<SupplierPurchase | undefined>;
}
