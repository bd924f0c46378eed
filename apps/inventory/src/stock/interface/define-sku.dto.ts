import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { STOCK_SOURCES, type StockSource } from '@keyflow/contracts';

/** PUT /v1/skus/:sku — the whole definition (create or replace). */
export class DefineSkuDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @IsIn(STOCK_SOURCES)
  source!: StockSource;

  /** Supplier ids, primary first, then backups in failover order. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { each: true })
  suppliers?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  supplierSku?: string;

  /** Total units the suppliers may sell; omit or null for unlimited. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  supplierStockLimit?: number | null;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  lowStockThreshold!: number;

  /** Longest hold of a reservation for this SKU; omit for the service default. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  reservationSeconds?: number;
}
