import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import {
  type EventEnvelope,
  type OrderCancelledV1,
  type OrderPlacedV1,
  type OrderRefundRequestedV1,
} from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { ReleaseStockHandler } from '../application/release-stock.handler';
import { ReserveStockHandler } from '../application/reserve-stock.handler';

/**
 * orders.v1: reserve on OrderPlaced; release on OrderCancelled and on OrderRefundRequested (an order that will
 * not be fulfilled should not hold stock until its reservation expires). Effects on the consumer's transaction.
 */
@Controller()
export class OrderEventsConsumer {
  constructor(
    private readonly reserve: ReserveStockHandler,
    private readonly release: ReleaseStockHandler,
  ) {}

  @EventPattern('order.placed.v1')
  async onOrderPlaced(
    @Payload() event: EventEnvelope<OrderPlacedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.reserve.handle(ctx.manager, event.data);
  }

  @EventPattern('order.cancelled.v1')
  async onOrderCancelled(
    @Payload() event: EventEnvelope<OrderCancelledV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.release.releaseOrder(ctx.manager, event.data.orderId, `order-cancelled: ${event.data.reason}`);
  }

  @EventPattern('order.refund-requested.v1')
  async onRefundRequested(
    @Payload() event: EventEnvelope<OrderRefundRequestedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.release.releaseOrder(
      ctx.manager,
      event.data.orderId,
      `refund-requested: ${event.data.reason}`,
    );
  }
}
