import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

/** Money is always an integer count of the currency's minor unit (fen, cents) plus an ISO 4217 code. */
export class Money {
  @IsInt()
  @Min(0)
  @Max(100_000_000_00)
  amountMinor!: number;

  @IsString()
  @Length(3, 3)
  @Matches(/^[A-Z]{3}$/)
  currency!: string;
}

export const STOCK_SOURCES = ['pool', 'supplier'] as const;
export type StockSource = (typeof STOCK_SOURCES)[number];

export class StockSourceField {
  @IsIn(STOCK_SOURCES)
  source!: StockSource;
}

/** SKU codes are shop-defined; keep them printable and short so they are safe in keys, logs and URLs. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
