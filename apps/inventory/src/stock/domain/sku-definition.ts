import { type StockSource } from '@keyflow/contracts';

/** How a SKU is stocked: the shop's own key pool, or bought from suppliers in failover order. */
export interface SkuDefinition {
  sku: string;
  title: string | null;
  source: StockSource;
  /** Supplier ids, primary first; empty for pool SKUs. */
  suppliers: string[];
  supplierSku: string | null;
  /** How many units the suppliers may sell in total; null means unlimited. */
  supplierStockLimit: number | null;
  lowStockThreshold: number;
  /** Longest hold for this SKU's reservations; null uses the service default. */
  reservationSeconds: number | null;
}

/** Problems with a definition, as messages for a 422 answer; empty when it is valid. */
export function skuDefinitionProblems(definition: SkuDefinition): string[] {
  const problems: string[] = [];
  if (definition.source === 'pool') {
    if (definition.suppliers.length > 0) problems.push('a pool SKU has no suppliers');
    if (definition.supplierSku !== null) problems.push('a pool SKU has no supplierSku');
    if (definition.supplierStockLimit !== null) problems.push('a pool SKU has no supplierStockLimit');
  } else {
    if (definition.suppliers.length === 0) problems.push('a supplier SKU needs at least one supplier');
    if (new Set(definition.suppliers).size !== definition.suppliers.length)
      problems.push('suppliers must not repeat');
    if (!definition.supplierSku) problems.push('a supplier SKU needs supplierSku');
  }
  return problems;
}
