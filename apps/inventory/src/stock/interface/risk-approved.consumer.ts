import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type RiskApprovedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { CommitStockHandler } from '../application/commit-stock.handler';

/** risk.v1: a paid and approved order's reservation is committed (sold). */
@Controller()
export class RiskApprovedConsumer {
  constructor(private readonly commit: CommitStockHandler) {}

  @EventPattern('risk.approved.v1')
  async onRiskApproved(
    @Payload() event: EventEnvelope<RiskApprovedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.commit.handle(ctx.manager, event.data.orderId);
  }
}
