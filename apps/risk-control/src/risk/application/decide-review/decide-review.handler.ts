import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { decidedInMs } from '../../domain/decision-latency';
import { decideReview, type ReviewCommand } from '../../domain/review.policy';
import { AssessmentRepository } from '../../infrastructure/assessment.repository';
import { RiskEvents } from '../../infrastructure/risk-events';

/**
 * A person's decision on a review, in one transaction: lock the review, let the policy allow it (once),
 * record who decided and why, append risk.approved.v1 (mode 'manual') or risk.rejected.v1. The latency
 * includes the wait in review, which is what the buyer experienced.
 */
@Injectable()
export class DecideReviewHandler {
  private readonly logger = new Logger('ManualReview');

  constructor(
    private readonly dataSource: DataSource,
    private readonly assessments: AssessmentRepository,
    private readonly events: RiskEvents,
  ) {}

  async handle(orderId: string, command: ReviewCommand) {
    return this.dataSource.transaction(async (manager) => {
      const review = await this.assessments.lockReview(manager, orderId);
      const { status } = decideReview(orderId, review, command);
      await this.assessments.recordDecision(manager, orderId, {
        status,
        by: command.by,
        reason: command.reason,
        at: command.now,
      });
      const common = {
        orderId,
        assessmentId: review!.assessmentId,
        score: review!.score,
        rule: 'manual-review',
        decidedInMs: decidedInMs(review!.paymentConfirmedAt, command.now),
      };
      if (status === 'approved') await this.events.approved(manager, { ...common, mode: 'manual' });
      else await this.events.rejected(manager, { ...common, reason: `manual review: ${command.reason}` });
      this.logger.log(`order ${orderId}: review ${status} by ${command.by}`);
      return {
        orderId,
        status,
        decidedBy: command.by,
        decidedAt: command.now,
        decidedInMs: common.decidedInMs,
      };
    });
  }
}
