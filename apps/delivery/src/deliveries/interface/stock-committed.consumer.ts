import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type StockCommittedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { RecordDeliveryHandler } from '../application/record-delivery.handler';

/** inventory.v1: committed stock is delivered (pool) or queued for the supplier workers. */
@Controller()
export class StockCommittedConsumer {
  constructor(private readonly record: RecordDeliveryHandler) {}

  @EventPattern('stock.committed.v1')
  async onStockCommitted(
    @Payload() event: EventEnvelope<StockCommittedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.record.handle(ctx.manager, event.data, new Date());
  }
}
