import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { ExecuteOrderCommand } from '../application/execute-order-command';
import { stageEventCommands } from '../application/record-stage-event/stage-event-commands';

type StageEventType = keyof typeof stageEventCommands;

/** Every stage's event becomes a fact on the Order stream, in the consumer's (inbox) transaction. */
@Controller()
export class StageEventsConsumer {
  constructor(private readonly execute: ExecuteOrderCommand) {}

  private async record(
    type: StageEventType,
    event: EventEnvelope<{ orderId: string }>,
    ctx: KafkaEventContext,
  ): Promise<void> {
    const toCommand = stageEventCommands[type] as (
      e: EventEnvelope<{ orderId: string }>,
    ) => ReturnType<(typeof stageEventCommands)[StageEventType]>;
    await this.execute.execute(ctx.manager, event.data.orderId, toCommand(event), {
      parkIfEarly: true,
      afterCommit: (fn) => ctx.afterCommit(fn),
    });
  }

  @EventPattern('stock.reserved.v1')
  stockReserved(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('stock.reserved.v1', e, ctx);
  }

  @EventPattern('stock.unavailable.v1')
  stockUnavailable(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('stock.unavailable.v1', e, ctx);
  }

  @EventPattern('payment.confirmed.v1')
  paymentConfirmed(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('payment.confirmed.v1', e, ctx);
  }

  @EventPattern('payment.rejected.v1')
  paymentRejected(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('payment.rejected.v1', e, ctx);
  }

  @EventPattern('risk.approved.v1')
  riskApproved(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('risk.approved.v1', e, ctx);
  }

  @EventPattern('risk.review-required.v1')
  riskReviewRequired(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('risk.review-required.v1', e, ctx);
  }

  @EventPattern('risk.rejected.v1')
  riskRejected(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('risk.rejected.v1', e, ctx);
  }

  @EventPattern('risk.review-overdue.v1')
  riskReviewOverdue(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('risk.review-overdue.v1', e, ctx);
  }

  @EventPattern('risk.audit-reversed.v1')
  riskAuditReversed(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('risk.audit-reversed.v1', e, ctx);
  }

  @EventPattern('stock.committed.v1')
  stockCommitted(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('stock.committed.v1', e, ctx);
  }

  @EventPattern('delivery.attempt-failed.v1')
  deliveryAttemptFailed(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('delivery.attempt-failed.v1', e, ctx);
  }

  @EventPattern('delivery.supplier-switched.v1')
  supplierSwitched(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('delivery.supplier-switched.v1', e, ctx);
  }

  @EventPattern('delivery.succeeded.v1')
  deliverySucceeded(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('delivery.succeeded.v1', e, ctx);
  }

  @EventPattern('delivery.failed.v1')
  deliveryFailed(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('delivery.failed.v1', e, ctx);
  }

  @EventPattern('notification.sent.v1')
  notificationSent(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('notification.sent.v1', e, ctx);
  }

  @EventPattern('notification.failed.v1')
  notificationFailed(@Payload() e: EventEnvelope<{ orderId: string }>, @Ctx() ctx: KafkaEventContext) {
    return this.record('notification.failed.v1', e, ctx);
  }
}
