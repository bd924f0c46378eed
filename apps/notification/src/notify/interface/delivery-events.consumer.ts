import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import {
  type DeliveryResendRequestedV1,
  type DeliverySucceededV1,
  type EventEnvelope,
} from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { PlanGoodsHandler } from '../application/plan-goods.handler';

/** delivery.v1: the goods are ready; the buyer and the merchant are to be told. */
@Controller()
export class DeliveryEventsConsumer {
  constructor(private readonly goods: PlanGoodsHandler) {}

  @EventPattern('delivery.succeeded.v1')
  async onSucceeded(
    @Payload() event: EventEnvelope<DeliverySucceededV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.goods.handle(ctx.manager, event.data);
  }

  @EventPattern('delivery.resend-requested.v1')
  async onResendRequested(
    @Payload() event: EventEnvelope<DeliveryResendRequestedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    const { orderId, deliveryId, keys, requestId, requestedAt } = event.data;
    await this.goods.handle(
      ctx.manager,
      {
        orderId,
        deliveryId,
        keys,
        servedBy: 'resend',
        itemCount: keys.length,
        attempts: 1,
        deliveredAt: requestedAt,
      },
      requestId,
    );
  }
}
