import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

import { SKU_PATTERN } from '@keyflow/contracts';

import { STAGES } from '../domain/order-view';

import { type OrderStatus } from '../domain/order.state';

export const ORDER_STATUSES: OrderStatus[] = [
  'awaiting-payment',
  'paid',
  'in-review',
  'approved',
  'fulfilling',
  'delivered',
  'completed',
  'cancelled',
  'escalated',
  'refund-requested',
];

/** GET /v1/orders?status=&stage=&sku=&supplier=&stuckFor=&limit=&offset= — stuckFor as seconds or with a unit: 90s, 5m, 2h. */
export class ListOrdersQuery {
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @IsOptional()
  @Matches(/^\d+(s|m|h)?$/, { message: 'stuckFor must look like 300, 90s, 5m or 2h' })
  stuckFor?: string;

  @IsOptional()
  @IsIn(STAGES)
  stage?: string;

  @IsOptional()
  @Matches(SKU_PATTERN, { message: 'sku must be a product code such as STEAM-50' })
  sku?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'supplier must be a supplier id such as primary' })
  supplier?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export function stuckForSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(\d+)(s|m|h)?$/.exec(value)!;
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}
