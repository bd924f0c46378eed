import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RISK_SETTINGS, type RiskSettings } from '../../config/risk-settings';
import { isOverdue } from '../../domain/review.policy';
import { AssessmentRepository } from '../../infrastructure/assessment.repository';
import { RiskEvents } from '../../infrastructure/risk-events';
import { PolledWorker, type TickResult } from '@keyflow/service-kit';

const BATCH = 20;
const MIN_GAP_MS = 1000;

/**
 * So no order sits in review silently: a pending review older than RISK_REVIEW_SLA_SECONDS raises
 * risk.review-overdue.v1 once. Claimed with SKIP LOCKED (instances share the work), flagged in the same
 * transaction as the appended event, so a crash either does both or neither. Between ticks it sleeps until
 * the next pending review falls overdue; a review opened meanwhile is found by the RISK_WORKER_POLL_MS poll.
 */
@Injectable()
export class ReviewSlaWorker extends PolledWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly assessments: AssessmentRepository,
    private readonly events: RiskEvents,
    @Inject(RISK_SETTINGS) private readonly settings: RiskSettings,
  ) {
    super('ReviewSlaWorker', settings.workerPollMs);
  }

  async tick(): Promise<TickResult> {
    const sla = this.settings.reviewSlaSeconds;
    const { claimed, next } = await this.dataSource.transaction(async (manager) => {
      const overdue = await this.assessments.claimOverdue(manager, sla, BATCH);
      const now = new Date().toISOString();
      for (const review of overdue.filter((r) => isOverdue(r, sla, now))) {
        await this.events.reviewOverdue(manager, {
          orderId: review.orderId,
          assessmentId: review.assessmentId,
          since: review.since,
          slaSeconds: sla,
          reason: `in manual review for more than ${sla} s (${review.rule}: ${review.reason})`.slice(0, 500),
        });
        await this.assessments.markOverdueNotified(manager, review.orderId, now);
      }
      const next = overdue.length < BATCH ? await this.assessments.nextOverdueInMs(manager, sla) : 0;
      return { claimed: overdue.length, next };
    });
    if (claimed === BATCH) return 'more';
    // At least a second apart: reviews falling overdue one after another share a tick.
    return next === undefined ? 'idle' : { nextDueInMs: Math.max(next, MIN_GAP_MS) };
  }
}
