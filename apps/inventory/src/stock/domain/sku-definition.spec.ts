import { type SkuDefinition, skuDefinitionProblems } from './sku-definition';

const pool: SkuDefinition = {
  sku: 'STEAM-50',
  title: null,
  source: 'pool',
  suppliers: [],
  supplierSku: null,
  supplierStockLimit: null,
  lowStockThreshold: 5,
  reservationSeconds: null,
};

describe('SKU definition', () => {
  it('accepts a pool SKU and a supplier SKU with an ordered supplier list', () => {
    expect(skuDefinitionProblems(pool)).toEqual([]);
    expect(
      skuDefinitionProblems({
        ...pool,
        source: 'supplier',
        suppliers: ['acme', 'backup'],
        supplierSku: 'X-1',
      }),
    ).toEqual([]);
  });

  it('refuses suppliers on pool SKUs and supplier SKUs without a route', () => {
    expect(skuDefinitionProblems({ ...pool, suppliers: ['acme'] })).toHaveLength(1);
    expect(skuDefinitionProblems({ ...pool, source: 'supplier' })).toEqual([
      'a supplier SKU needs at least one supplier',
      'a supplier SKU needs supplierSku',
    ]);
    expect(
      skuDefinitionProblems({ ...pool, source: 'supplier', suppliers: ['a', 'a'], supplierSku: 'X' }),
    ).toEqual(['suppliers must not repeat']);
  });
});
