import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type OrderRefundRequestedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { RequestRefundHandler } from './request-refund.handler';

@Controller()
export class RefundRequestedConsumer {
  constructor(private readonly handler: RequestRefundHandler) {}

  @EventPattern('order.refund-requested.v1')
  async onRefundRequested(
    @Payload() event: EventEnvelope<OrderRefundRequestedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.handler.handle(ctx.manager, event.data);
  }
}
