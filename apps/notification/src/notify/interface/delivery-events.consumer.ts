import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type DeliverySucceededV1, type EventEnvelope } from '@keyflow/contracts';
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
}
