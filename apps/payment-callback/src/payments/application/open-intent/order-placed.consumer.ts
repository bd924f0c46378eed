import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type OrderPlacedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { OpenIntentHandler } from './open-intent.handler';
import { CreateAtProviderWorker } from '../create-at-provider/create-at-provider.worker';

@Controller()
export class OrderPlacedConsumer {
  constructor(
    private readonly handler: OpenIntentHandler,
    private readonly creator: CreateAtProviderWorker,
  ) {}

  @EventPattern('order.placed.v1')
  async onOrderPlaced(
    @Payload() event: EventEnvelope<OrderPlacedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.handler.handle(ctx.manager, event.data);
    // The buyer is waiting on the pay URL: create the payment at the provider now, not at the next poll.
    ctx.afterCommit(() => this.creator.wake());
  }
}
