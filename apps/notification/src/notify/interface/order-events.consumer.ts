import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import {
  type EventEnvelope,
  type OrderDelayedV1,
  type OrderEscalatedV1,
  type OrderPlacedV1,
} from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { PlanOperatorNoticeHandler } from '../application/plan-operator-notice.handler';
import { PlanStatusUpdateHandler } from '../application/plan-status-update.handler';
import { RecordOrderFactsHandler } from '../application/record-order-facts.handler';
import { escalatedNotice } from '../domain/operator-notices';

/** orders.v1: buyer facts, SLA tier-1 delays (buyer status update) and escalations (operators). */
@Controller()
export class OrderEventsConsumer {
  constructor(
    private readonly facts: RecordOrderFactsHandler,
    private readonly statusUpdate: PlanStatusUpdateHandler,
    private readonly operators: PlanOperatorNoticeHandler,
  ) {}

  @EventPattern('order.placed.v1')
  async onPlaced(
    @Payload() event: EventEnvelope<OrderPlacedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.facts.handle(ctx.manager, event.data);
  }

  /** The envelope time is when the SLA watch noticed the delay: the update's lateness counts from it. */
  @EventPattern('order.delayed.v1')
  async onDelayed(
    @Payload() event: EventEnvelope<OrderDelayedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.statusUpdate.handle(ctx.manager, event.data, event.time);
  }

  @EventPattern('order.escalated.v1')
  async onEscalated(
    @Payload() event: EventEnvelope<OrderEscalatedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.operators.handle(ctx.manager, escalatedNotice(event.data));
  }
}
