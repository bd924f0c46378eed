import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { InventoryError } from '../domain/inventory.errors';
import { type SkuDefinition, skuDefinitionProblems } from '../domain/sku-definition';
import { SkuRepository, type StockLevel } from '../infrastructure/sku.repository';
import { LowStockWatch } from './low-stock/low-stock-watch';

/**
 * Creates or updates a SKU. Its source cannot switch while stock of the old kind exists (keys in the
 * pool, or supplier units reserved/sold), and a supplier limit cannot drop below what is already held.
 */
@Injectable()
export class DefineSkuHandler {
  constructor(
    private readonly skus: SkuRepository,
    private readonly lowStock: LowStockWatch,
  ) {}

  async define(manager: EntityManager, definition: SkuDefinition): Promise<StockLevel> {
    const problems = skuDefinitionProblems(definition);
    if (problems.length > 0)
      throw new InventoryError('INVENTORY.INVALID_SKU', problems.join('; '), { problems });
    // FOR UPDATE also waits for orders in flight that hold the row's KEY SHARE lock (unlimited supplier SKUs).
    const existing = await this.skus.find(manager, definition.sku, { lock: 'update' });
    if (existing) {
      const [level] = await this.skus.levels(manager, definition.sku);
      const held =
        (level?.reserved ?? 0) +
        (level?.sold ?? 0) +
        (existing.source === 'pool' ? (level?.available ?? 0) : 0);
      if (existing.source !== definition.source && held > 0) {
        throw new InventoryError(
          'INVENTORY.SOURCE_CHANGE_REFUSED',
          `${definition.sku} already has ${existing.source} stock; its source cannot change`,
        );
      }
      const inUse = (level?.reserved ?? 0) + (level?.sold ?? 0);
      if (definition.supplierStockLimit !== null && definition.supplierStockLimit < inUse) {
        throw new InventoryError(
          'INVENTORY.INVALID_SKU',
          `supplierStockLimit ${definition.supplierStockLimit} is below the ${inUse} units already reserved or sold`,
        );
      }
    }
    await this.skus.upsert(manager, definition);
    if (definition.source === 'supplier' && definition.supplierStockLimit !== null) {
      await this.skus.recountSupplier(manager, definition.sku); // not kept while it had no limit
    }
    await this.lowStock.evaluate(manager, definition.sku, { fire: false });
    const [level] = await this.skus.levels(manager, definition.sku);
    return level!;
  }
}
