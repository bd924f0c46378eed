import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type OrderPlacedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { OpenIntentHandler } from './open-intent.handler';

@Controller()
export class OrderPlacedConsumer {
  constructor(private readonly handler: OpenIntentHandler) {}

  @EventPattern('order.placed.v1')
  async onOrderPlaced(
    @Payload() event: EventEnvelope<OrderPlacedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.handler.handle(ctx.manager, event.data);
  }
}
