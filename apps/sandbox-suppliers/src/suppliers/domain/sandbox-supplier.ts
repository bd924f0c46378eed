import { randomBytes, randomUUID } from 'node:crypto';

import { applyFaults, type Faults, NO_FAULTS } from './faults';
import { SandboxSupplierError } from './sandbox-supplier.errors';

export interface SupplierOrder {
  supplierOrderId: string;
  idempotencyKey: string;
  sku: string;
  quantity: number;
  keys: string[];
  /** Purchase requests seen with this idempotency key: 2 or more means a caller retried. */
  purchaseRequests: number;
  issuedAt: string;
}

export interface PurchaseInput {
  idempotencyKey: string;
  sku: string;
  quantity: number;
}

/**
 * One fake supplier: a stock of fake keys, sold at most once per idempotency key (the same key answers
 * with the same keys), plus its fault switches. In memory: a restart is a new supplier.
 */
export class SandboxSupplier {
  private readonly orders = new Map<string, SupplierOrder>();
  private stockLeft: number;
  private requests = 0;
  faults: Faults = NO_FAULTS;

  constructor(
    readonly id: string,
    stock: number,
  ) {
    this.stockLeft = stock;
  }

  /** Issues keys for a new idempotency key, or returns the earlier order for a known one. */
  purchase(input: PurchaseInput): { order: SupplierOrder; replayed: boolean } {
    this.requests++;
    const earlier = this.orders.get(input.idempotencyKey);
    if (earlier) {
      if (earlier.sku !== input.sku || earlier.quantity !== input.quantity)
        throw new SandboxSupplierError(
          'SUPPLIER.IDEMPOTENCY_MISMATCH',
          'this idempotency key was used for another purchase',
        );
      earlier.purchaseRequests++;
      return { order: earlier, replayed: true };
    }
    if (input.sku.startsWith('INVALID'))
      throw new SandboxSupplierError('SUPPLIER.UNKNOWN_SKU', `unknown SKU ${input.sku}`);
    if (input.quantity > this.stockLeft)
      throw new SandboxSupplierError('SUPPLIER.OUT_OF_STOCK', `only ${this.stockLeft} left`);
    this.stockLeft -= input.quantity;
    const order: SupplierOrder = {
      supplierOrderId: randomUUID(),
      idempotencyKey: input.idempotencyKey,
      sku: input.sku,
      quantity: input.quantity,
      keys: Array.from({ length: input.quantity }, () => fakeKey(this.id)),
      purchaseRequests: 1,
      issuedAt: new Date().toISOString(),
    };
    this.orders.set(input.idempotencyKey, order);
    return { order, replayed: false };
  }

  find(idempotencyKey: string): SupplierOrder | undefined {
    return this.orders.get(idempotencyKey);
  }

  setFaults(change: Partial<Faults> & { recover?: boolean }): Faults {
    this.faults = applyFaults(this.faults, change);
    return this.faults;
  }

  stats() {
    return {
      supplier: this.id,
      issuedOrders: this.orders.size,
      issuedKeys: [...this.orders.values()].reduce((sum, order) => sum + order.quantity, 0),
      purchaseRequests: this.requests,
      stockLeft: this.stockLeft,
      faults: this.faults,
    };
  }
}

function fakeKey(supplierId: string): string {
  const hex = randomBytes(8).toString('hex').toUpperCase();
  return `${supplierId.slice(0, 3).toUpperCase()}-${hex.match(/.{4}/g)!.join('-')}`;
}
