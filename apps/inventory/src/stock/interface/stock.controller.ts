import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RequireScope } from '@keyflow/service-kit';

import { SkuRepository } from '../infrastructure/sku.repository';

/** Stock levels for operators: every SKU, and the ones below their low-stock threshold. */
@Controller('v1/stock')
export class StockController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly skus: SkuRepository,
  ) {}

  @Get()
  @RequireScope('read')
  levels() {
    return this.skus.levels(this.dataSource.manager);
  }

  @Get('low')
  @RequireScope('read')
  async low() {
    return (await this.skus.levels(this.dataSource.manager)).filter((level) => level.low);
  }
}
