import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type OrderPlacedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { OpenIntentHandler } from './open-intent.handler';

@Controller()
export class OrderPlacedConsumer {
  constructor(private readonly handler: OpenIntentHandler) {}

  /**
   * Does not wake the creation worker: the buyer's pay URL creates the payment in its own request, and
   * the worker's next poll takes the orders whose buyer has not come (see OpenIntentHandler).
   */
  @EventPattern('order.placed.v1')
  async onOrderPlaced(
    @Payload() event: EventEnvelope<OrderPlacedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.handler.handle(ctx.manager, event.data);
  }
}
