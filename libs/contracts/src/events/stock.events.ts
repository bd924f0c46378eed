import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineEvent } from '../event-catalog';
import { Topics } from '../topics';
import { SKU_PATTERN, STOCK_SOURCES, type StockSource } from './common';

class StockLine {
  @IsUUID()
  orderId!: string;

  @Matches(SKU_PATTERN)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class StockReservedV1 extends StockLine {
  @IsUUID()
  reservationId!: string;

  @IsIn(STOCK_SOURCES)
  source!: StockSource;

  @IsISO8601({ strict: true })
  expiresAt!: string;
}

export class StockUnavailableV1 extends StockLine {
  @IsString()
  @MaxLength(500)
  reason!: string;
}

/**
 * A pool key sealed for delivery: the ciphertext is wrapped for the delivery service, never plaintext
 * on Kafka. `keyId` identifies the pool entry so a key is never handed to two orders.
 */
export class SealedCardKey {
  @IsUUID()
  keyId!: string;

  @IsString()
  @MaxLength(4096)
  sealed!: string;
}

export class StockCommittedV1 extends StockLine {
  @IsUUID()
  reservationId!: string;

  @IsIn(STOCK_SOURCES)
  source!: StockSource;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SealedCardKey)
  keys?: SealedCardKey[];

  /** Supplier ids in failover order (primary first) for supplier-sourced SKUs. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  suppliers?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  supplierSku?: string;
}

export class StockReleasedV1 extends StockLine {
  @IsUUID()
  reservationId!: string;

  @IsString()
  @MaxLength(200)
  reason!: string;
}

export class StockLowV1 {
  @Matches(SKU_PATTERN)
  sku!: string;

  @IsInt()
  @Min(0)
  available!: number;

  @IsInt()
  @Min(0)
  threshold!: number;
}

export const StockReserved = defineEvent({
  type: 'stock.reserved.v1',
  topic: Topics.inventory,
  payload: StockReservedV1,
  description: 'Stock for an order is held until expiresAt.',
});
export const StockUnavailable = defineEvent({
  type: 'stock.unavailable.v1',
  topic: Topics.inventory,
  payload: StockUnavailableV1,
  description: 'Stock for an order could not be reserved or committed.',
});
export const StockCommitted = defineEvent({
  type: 'stock.committed.v1',
  topic: Topics.inventory,
  payload: StockCommittedV1,
  description: 'Reserved stock is sold to the order: sealed pool keys, or the supplier route to buy from.',
});
export const StockReleased = defineEvent({
  type: 'stock.released.v1',
  topic: Topics.inventory,
  payload: StockReleasedV1,
  description: 'A reservation was released back to available stock.',
});
export const StockLow = defineEvent({
  type: 'stock.low.v1',
  topic: Topics.inventory,
  payload: StockLowV1,
  description: 'Available stock of a SKU fell below its threshold (once per crossing). Subject is the SKU.',
  subject: 'SKU',
});
