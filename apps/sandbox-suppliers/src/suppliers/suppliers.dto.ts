import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class PurchaseDto {
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;

  /** The caller's order reference, kept for nothing but realism. */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  orderRef?: string;
}

export class FaultsDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600000)
  latencyMs?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  errorRate?: number;

  @IsOptional()
  @IsBoolean()
  outage?: boolean;

  @IsOptional()
  @IsBoolean()
  hang?: boolean;

  @IsOptional()
  @IsBoolean()
  recover?: boolean;
}
