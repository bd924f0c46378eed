import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { defineEvent } from '../event-catalog';
import { Topics } from '../topics';
import { SealedCardKey } from './stock.events';

class DeliveryFact {
  @IsUUID()
  orderId!: string;

  @IsUUID()
  deliveryId!: string;
}

export class DeliverySucceededV1 extends DeliveryFact {
  /** `pool` for the shop's own keys, otherwise the supplier that issued them. */
  @IsString()
  @MaxLength(64)
  servedBy!: string;

  @IsInt()
  @Min(1)
  itemCount!: number;

  @IsInt()
  @Min(1)
  attempts!: number;

  @IsISO8601({ strict: true })
  deliveredAt!: string;

  /**
   * The delivered keys sealed for the notification service (libs/sealed-box with notification's public
   * key), so it can send them to the buyer; nobody else on the topic can open them.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SealedCardKey)
  keys?: SealedCardKey[];
}

export class DeliveryAttemptFailedV1 extends DeliveryFact {
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsString()
  @MaxLength(500)
  reason!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  nextAttemptAt?: string;
}

export class SupplierSwitchedV1 extends DeliveryFact {
  @IsString()
  @MaxLength(64)
  fromSupplier!: string;

  @IsString()
  @MaxLength(64)
  toSupplier!: string;

  @IsString()
  @MaxLength(500)
  reason!: string;
}

export class DeliveryFailedV1 extends DeliveryFact {
  @IsInt()
  @Min(1)
  attempts!: number;

  @IsString()
  @MaxLength(500)
  reason!: string;
}

/**
 * An operator asked to send the already delivered keys to the buyer again (never a new purchase, never
 * other keys): the very same keys, sealed for notification. One event per accepted request.
 */
export class DeliveryResendRequestedV1 extends DeliveryFact {
  @IsUUID()
  requestId!: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SealedCardKey)
  keys!: SealedCardKey[];
}

export const DeliverySucceeded = defineEvent({
  type: 'delivery.succeeded.v1',
  topic: Topics.delivery,
  payload: DeliverySucceededV1,
  description:
    'The keys are ready for the buyer: held encrypted by delivery, and on Kafka only sealed for notification.',
});
export const DeliveryAttemptFailed = defineEvent({
  type: 'delivery.attempt-failed.v1',
  topic: Topics.delivery,
  payload: DeliveryAttemptFailedV1,
  description: 'Every supplier failed this attempt; another is scheduled.',
});
export const SupplierSwitched = defineEvent({
  type: 'delivery.supplier-switched.v1',
  topic: Topics.delivery,
  payload: SupplierSwitchedV1,
  description: 'Delivery failed over from one supplier to the next.',
});
export const DeliveryFailed = defineEvent({
  type: 'delivery.failed.v1',
  topic: Topics.delivery,
  payload: DeliveryFailedV1,
  description: 'Delivery gave up after its attempt limit; the order is escalated.',
});
export const DeliveryResendRequested = defineEvent({
  type: 'delivery.resend-requested.v1',
  topic: Topics.delivery,
  payload: DeliveryResendRequestedV1,
  description: 'Send the delivered keys to the buyer again (manual re-delivery of a delivered order).',
});
