import { SandboxSupplier } from './sandbox-supplier';

describe('SandboxSupplier', () => {
  it('sells once per idempotency key and answers a repeat with the same keys', () => {
    const supplier = new SandboxSupplier('primary', 10);
    const first = supplier.purchase({ idempotencyKey: 'k1', sku: 'S', quantity: 2 });
    const again = supplier.purchase({ idempotencyKey: 'k1', sku: 'S', quantity: 2 });
    expect(again).toEqual({ order: first.order, replayed: true });
    expect(first.order.keys).toHaveLength(2);
    expect(supplier.stats()).toMatchObject({ issuedOrders: 1, purchaseRequests: 2, stockLeft: 8 });
    expect(supplier.find('k1')?.purchaseRequests).toBe(2);
  });

  it('refuses a reused key for another purchase, unknown SKUs and more than the stock', () => {
    const supplier = new SandboxSupplier('primary', 1);
    supplier.purchase({ idempotencyKey: 'k1', sku: 'S', quantity: 1 });
    expect(() => supplier.purchase({ idempotencyKey: 'k1', sku: 'T', quantity: 1 })).toThrow(
      expect.objectContaining({ code: 'SUPPLIER.IDEMPOTENCY_MISMATCH' }),
    );
    expect(() => supplier.purchase({ idempotencyKey: 'k2', sku: 'INVALID-1', quantity: 1 })).toThrow(
      expect.objectContaining({ code: 'SUPPLIER.UNKNOWN_SKU' }),
    );
    expect(() => supplier.purchase({ idempotencyKey: 'k3', sku: 'S', quantity: 1 })).toThrow(
      expect.objectContaining({ code: 'SUPPLIER.OUT_OF_STOCK' }),
    );
  });

  it('changes fault switches at run time and clears them all on recover', () => {
    const supplier = new SandboxSupplier('primary', 1);
    supplier.setFaults({ outage: true });
    expect(supplier.setFaults({ latencyMs: 50 })).toMatchObject({ outage: true, latencyMs: 50 });
    expect(supplier.setFaults({ recover: true })).toEqual({
      latencyMs: 0,
      errorRate: 0,
      outage: false,
      hang: false,
    });
  });
});
