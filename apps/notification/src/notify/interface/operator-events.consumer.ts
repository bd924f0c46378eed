import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import {
  type AlertRaisedV1,
  type AlertResolvedV1,
  type EventEnvelope,
  type RiskReviewOverdueV1,
  type StockLowV1,
} from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { PlanOperatorNoticeHandler } from '../application/plan-operator-notice.handler';
import {
  alertRaisedNotice,
  alertResolvedNotice,
  reviewOverdueNotice,
  stockLowNotice,
} from '../domain/operator-notices';

/** What operators must hear about: low stock, overdue reviews, raised and resolved alerts. */
@Controller()
export class OperatorEventsConsumer {
  constructor(private readonly operators: PlanOperatorNoticeHandler) {}

  @EventPattern('stock.low.v1')
  async onStockLow(
    @Payload() event: EventEnvelope<StockLowV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.operators.handle(ctx.manager, stockLowNotice(event.data, event.id, event.time));
  }

  @EventPattern('risk.review-overdue.v1')
  async onReviewOverdue(
    @Payload() event: EventEnvelope<RiskReviewOverdueV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.operators.handle(ctx.manager, reviewOverdueNotice(event.data, event.time));
  }

  @EventPattern('alert.raised.v1')
  async onAlertRaised(
    @Payload() event: EventEnvelope<AlertRaisedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.operators.handle(ctx.manager, alertRaisedNotice(event.data));
  }

  @EventPattern('alert.resolved.v1')
  async onAlertResolved(
    @Payload() event: EventEnvelope<AlertResolvedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.operators.handle(ctx.manager, alertResolvedNotice(event.data));
  }
}
