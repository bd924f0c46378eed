import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SKU_PATTERN } from '@keyflow/contracts';
import { RequireScope } from '@keyflow/service-kit';

import { DefineSkuHandler } from '../application/define-sku.handler';
import { InventoryError } from '../domain/inventory.errors';
import { SkuRepository } from '../infrastructure/sku.repository';
import { DefineSkuDto } from './define-sku.dto';
import { answering } from './http-errors';

/** Operator API for SKU definitions (how each SKU is stocked) with their stock levels. */
@Controller('v1/skus')
export class SkusController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly skus: SkuRepository,
    private readonly define: DefineSkuHandler,
  ) {}

  @Put(':sku')
  @RequireScope('admin')
  put(@Param('sku') sku: string, @Body() body: DefineSkuDto) {
    return answering(async () => {
      if (!SKU_PATTERN.test(sku))
        throw new InventoryError('INVENTORY.INVALID_SKU', 'the SKU code is not valid');
      const level = await this.dataSource.transaction((manager) =>
        this.define.define(manager, {
          sku,
          title: body.title ?? null,
          source: body.source,
          suppliers: body.suppliers ?? [],
          supplierSku: body.supplierSku ?? null,
          supplierStockLimit: body.supplierStockLimit ?? null,
          lowStockThreshold: body.lowStockThreshold,
          reservationSeconds: body.reservationSeconds ?? null,
        }),
      );
      return { ...(await this.definition(sku)), stock: level };
    });
  }

  @Get()
  @RequireScope('read')
  async list() {
    const [skus, levels] = await Promise.all([
      this.skus.list(this.dataSource.manager),
      this.skus.levels(this.dataSource.manager),
    ]);
    const bySku = new Map(levels.map((level) => [level.sku, level]));
    return skus.map((sku) => ({ ...publicDefinition(sku), stock: bySku.get(sku.sku) }));
  }

  @Get(':sku')
  @RequireScope('read')
  get(@Param('sku') sku: string) {
    return answering(async () => {
      const [level] = await this.skus.levels(this.dataSource.manager, sku);
      return { ...(await this.definition(sku)), stock: level };
    });
  }

  private async definition(sku: string) {
    const record = await this.skus.find(this.dataSource.manager, sku);
    if (!record) throw new InventoryError('INVENTORY.UNKNOWN_SKU', `${sku} is not defined`);
    return publicDefinition(record);
  }
}

function publicDefinition(record: Awaited<ReturnType<SkuRepository['find']>> & object) {
  const { lowStockArmed: _armed, supplierReserved: _reserved, supplierSold: _sold, ...definition } = record;
  return definition;
}
