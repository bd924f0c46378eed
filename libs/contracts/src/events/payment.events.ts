import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';

import { defineEvent } from '../event-catalog';
import { Topics } from '../topics';
import { Money } from './common';

export const PAYMENT_CONFIRMATION_SOURCES = ['callback', 'active-query'] as const;
export type PaymentConfirmationSource = (typeof PAYMENT_CONFIRMATION_SOURCES)[number];

export class PaymentConfirmedV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @MaxLength(64)
  paymentId!: string;

  @IsString()
  @MaxLength(40)
  provider!: string;

  /** The provider's own transaction number, for reconciliation. */
  @IsString()
  @MaxLength(128)
  providerTradeNo!: string;

  @ValidateNested()
  @Type(() => Money)
  amount!: Money;

  @IsISO8601({ strict: true })
  paidAt!: string;

  /** How the payment became known: the provider's callback, or our active query of the provider. */
  @IsOptional()
  @IsIn(PAYMENT_CONFIRMATION_SOURCES)
  confirmedBy?: PaymentConfirmationSource;
}

export class PaymentRejectedV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @MaxLength(64)
  paymentId!: string;

  @IsString()
  @MaxLength(500)
  reason!: string;
}

export class PaymentRefundedV1 {
  @IsUUID()
  orderId!: string;

  @IsString()
  @MaxLength(64)
  paymentId!: string;

  @ValidateNested()
  @Type(() => Money)
  amount!: Money;

  @IsISO8601({ strict: true })
  refundedAt!: string;
}

export const PaymentConfirmed = defineEvent({
  type: 'payment.confirmed.v1',
  topic: Topics.payments,
  payload: PaymentConfirmedV1,
  description: 'A verified provider callback (or active query) confirmed the full amount was paid.',
});
export const PaymentRejected = defineEvent({
  type: 'payment.rejected.v1',
  topic: Topics.payments,
  payload: PaymentRejectedV1,
  description: 'The provider reported the payment failed, or the paid amount did not match.',
});
export const PaymentRefunded = defineEvent({
  type: 'payment.refunded.v1',
  topic: Topics.payments,
  payload: PaymentRefundedV1,
  description: 'The payment was refunded to the buyer.',
});
