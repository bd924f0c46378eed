import { Type } from 'class-transformer';
import {
  IsEmail,
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
import { Money, SKU_PATTERN } from './common';

export class BuyerContact {
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class OrderPlacedV1 {
  @IsUUID()
  orderId!: string;

  @Matches(SKU_PATTERN)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;

  @ValidateNested()
  @Type(() => Money)
  total!: Money;

  @ValidateNested()
  @Type(() => BuyerContact)
  buyer!: BuyerContact;

  @IsString()
  @MaxLength(40)
  paymentChannel!: string;

  @IsISO8601({ strict: true })
  placedAt!: string;

  /** When the stock reservation (and the unpaid order) expires. */
  @IsISO8601({ strict: true })
  expiresAt!: string;
}

export class OrderCancelledV1 {
  @IsUUID()
  orderId!: string;

  @IsIn(['payment-expired', 'stock-unavailable', 'buyer-cancelled', 'operator'])
  reason!: 'payment-expired' | 'stock-unavailable' | 'buyer-cancelled' | 'operator';

  @IsISO8601({ strict: true })
  cancelledAt!: string;
}

export class OrderCompletedV1 {
  @IsUUID()
  orderId!: string;

  @IsISO8601({ strict: true })
  completedAt!: string;
}

export class OrderEscalatedV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @MaxLength(40)
  stage!: string;

  @IsIn(['manual-delivery', 'refund', 'investigate'])
  action!: 'manual-delivery' | 'refund' | 'investigate';

  @IsString()
  @MaxLength(500)
  reason!: string;

  @IsISO8601({ strict: true })
  escalatedAt!: string;
}

export class OrderRefundRequestedV1 {
  @IsUUID()
  orderId!: string;

  @ValidateNested()
  @Type(() => Money)
  amount!: Money;

  @IsString()
  @MaxLength(500)
  reason!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  requestedAt?: string;
}

/** SLA tier 1: a paid order is late; the buyer is told where it waits and when to expect it. */
export class OrderDelayedV1 {
  @IsUUID()
  orderId!: string;

  @IsInt()
  @Min(1)
  @Max(3)
  tier!: number;

  /** The stage the order waits in (payment, risk, stock-commit, delivery, notification). */
  @IsString()
  @MaxLength(40)
  stage!: string;

  @IsString()
  @MaxLength(300)
  waitingReason!: string;

  @IsISO8601({ strict: true })
  paidAt!: string;

  @IsISO8601({ strict: true })
  waitingSince!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  expectedBy?: string;
}

export const OrderPlaced = defineEvent({
  type: 'order.placed.v1',
  topic: Topics.orders,
  payload: OrderPlacedV1,
  description: 'A buyer checked out; stock should be reserved and a payment intent opened.',
});
export const OrderCancelled = defineEvent({
  type: 'order.cancelled.v1',
  topic: Topics.orders,
  payload: OrderCancelledV1,
  description: 'An unpaid order was cancelled; reserved stock must be released.',
});
export const OrderCompleted = defineEvent({
  type: 'order.completed.v1',
  topic: Topics.orders,
  payload: OrderCompletedV1,
  description: 'The goods were delivered and the buyer was told.',
});
export const OrderEscalated = defineEvent({
  type: 'order.escalated.v1',
  topic: Topics.orders,
  payload: OrderEscalatedV1,
  description: 'A paid order needs a person: manual delivery, refund or investigation.',
});
export const OrderRefundRequested = defineEvent({
  type: 'order.refund-requested.v1',
  topic: Topics.orders,
  payload: OrderRefundRequestedV1,
  description: 'A paid order cannot be fulfilled and the payment should be refunded.',
});
export const OrderDelayed = defineEvent({
  type: 'order.delayed.v1',
  topic: Topics.orders,
  payload: OrderDelayedV1,
  description: 'A paid order has waited past an SLA tier; the buyer should get an honest status update.',
});
