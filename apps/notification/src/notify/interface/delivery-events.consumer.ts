import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import {
  type DeliveryResendRequestedV1,
  type DeliverySucceededV1,
  type EventEnvelope,
} from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { PlanGoodsHandler } from '../application/plan-goods.handler';
import { SendNotificationsWorker } from '../application/send-notifications.worker';

/** delivery.v1: the goods are ready; the buyer and the merchant are to be told. */
@Controller()
export class DeliveryEventsConsumer {
  constructor(
    private readonly goods: PlanGoodsHandler,
    private readonly sender: SendNotificationsWorker,
  ) {}

  @EventPattern('delivery.succeeded.v1')
  async onSucceeded(
    @Payload() event: EventEnvelope<DeliverySucceededV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.goods.handle(ctx.manager, event.data);
    // The buyer is waiting for the goods: send now, not at the sender's next poll.
    ctx.afterCommit(() => this.sender.wake());
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
    ctx.afterCommit(() => this.sender.wake());
  }
}
