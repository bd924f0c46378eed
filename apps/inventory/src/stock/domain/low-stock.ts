/**
 * Low-stock alerts fire once per crossing: when available stock falls below the threshold while the
 * alarm is armed, it fires and disarms; it re-arms only once stock is back at or above the threshold.
 * So a run of orders below the threshold raises one alert, not one per order.
 */
export type LowStockTransition = 'cross' | 'rearm' | 'none';

export interface LowStockState {
  armed: boolean;
  threshold: number;
  /** null for unlimited stock (a supplier SKU without a limit), which is never low. */
  available: number | null;
}

export function lowStockTransition({ armed, threshold, available }: LowStockState): LowStockTransition {
  if (available === null) return armed ? 'none' : 'rearm';
  const below = available < threshold;
  if (below && armed) return 'cross';
  if (!below && !armed) return 'rearm';
  return 'none';
}

/** A supplier SKU's stock left under its limit; null (unlimited) when it has none. */
export function supplierAvailable(sku: {
  supplierStockLimit: number | null;
  supplierReserved: number;
  supplierSold: number;
}): number | null {
  return sku.supplierStockLimit === null
    ? null
    : sku.supplierStockLimit - sku.supplierReserved - sku.supplierSold;
}

/**
 * Whether a SKU's stock can ever be below its threshold: not with a threshold of 0, nor for an unlimited
 * supplier SKU. Orders of such a SKU need not tell the low-stock worker that they lowered its stock.
 */
export function canRunLow(sku: {
  source: 'pool' | 'supplier';
  lowStockThreshold: number;
  supplierStockLimit: number | null;
}): boolean {
  return sku.lowStockThreshold > 0 && (sku.source === 'pool' || sku.supplierStockLimit !== null);
}
