import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { FLAVORS, type Flavor } from './domain/sandbox-payment';

export class FlavorParams {
  @IsIn(FLAVORS)
  flavor!: Flavor;
}

export class PaymentParams extends FlavorParams {
  @IsString()
  @Length(6, 64)
  outTradeNo!: string;
}

export class CreatePaymentDto {
  @IsString()
  @Length(6, 64)
  outTradeNo!: string;

  @IsString()
  @MaxLength(64)
  orderId!: string;

  @IsInt()
  @Min(1)
  amountMinor!: number;

  @Matches(/^[A-Z]{3}$/)
  currency!: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  notifyUrl!: string;

  @IsISO8601({ strict: true })
  expiresAt!: string;
}

export class RefundDto {
  @IsString()
  @Length(6, 64)
  outTradeNo!: string;

  @IsInt()
  @Min(1)
  amountMinor!: number;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class FaultsDto {
  @IsOptional()
  @IsBoolean()
  dropCallbacks?: boolean;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  dropCallbackRate?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  delayMs?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  duplicate?: number;

  @IsOptional()
  @IsBoolean()
  outOfOrder?: boolean;

  @IsOptional()
  @IsBoolean()
  failCreates?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  createDelayMs?: number;
}
