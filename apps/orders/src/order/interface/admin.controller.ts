import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DataSource } from 'typeorm';

import { SKU_PATTERN } from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';
import { RequireScope } from '@keyflow/service-kit';

import { listProducts, upsertProduct } from '../infrastructure/products.repository';
import { rebuildOrderViews } from '../infrastructure/order-view.rebuilder';

export class PutProductDto {
  @IsString()
  @MaxLength(200)
  title!: string;

  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPriceMinor!: number;

  @Length(3, 3)
  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@Controller('v1')
export class AdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
  ) {}

  @Get('products')
  products() {
    return listProducts(this.dataSource.manager);
  }

  /** Sets a product's price (admin). Checkout charges from this list. */
  @Put('products/:sku')
  @RequireScope('admin')
  async putProduct(@Param('sku') sku: string, @Body() body: PutProductDto) {
    if (!SKU_PATTERN.test(sku)) throw new BadRequestException('sku must be a product code such as STEAM-50');
    await upsertProduct(this.dataSource.manager, { sku, ...body, active: body.active ?? true });
    return { sku, ...body, active: body.active ?? true };
  }

  /** Drops the order views and rebuilds them by replaying every Order stream (admin). */
  @Post('admin/read-models/rebuild')
  @HttpCode(200)
  @RequireScope('admin')
  async rebuild() {
    const orders = await rebuildOrderViews(this.dataSource, this.store);
    return { rebuilt: orders };
  }
}
