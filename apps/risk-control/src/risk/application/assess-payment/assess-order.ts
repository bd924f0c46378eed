import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { RISK_SETTINGS, type RiskSettings } from '../../config/risk-settings';
import { assess, type RiskDecision } from '../../domain/assessment';
import { decidedInMs } from '../../domain/decision-latency';
import { type OrderFacts } from '../../domain/order-facts';
import { AssessmentRepository } from '../../infrastructure/assessment.repository';
import { AuditQueueRepository } from '../../infrastructure/audit-queue.repository';
import { OrderFactsRepository } from '../../infrastructure/order-facts.repository';
import { type ConfirmedPayment } from '../../infrastructure/parked-payment.repository';
import { RiskEvents } from '../../infrastructure/risk-events';

/**
 * Assesses one paid order whose facts are known, on the caller's transaction: velocity counts from the
 * database → pure rule evaluation → the assessment row (+ audit queue for pass-first) → the outcome event.
 * An order already assessed (a second PaymentConfirmed for it) keeps its first outcome.
 */
@Injectable()
export class AssessOrder {
  private readonly logger = new Logger('RiskAssessment');

  constructor(
    private readonly facts: OrderFactsRepository,
    private readonly assessments: AssessmentRepository,
    private readonly audits: AuditQueueRepository,
    private readonly events: RiskEvents,
    @Inject(RISK_SETTINGS) private readonly settings: RiskSettings,
  ) {}

  async assess(
    manager: EntityManager,
    order: OrderFacts,
    payment: ConfirmedPayment,
  ): Promise<RiskDecision | undefined> {
    const { rules } = this.settings;
    const history = await this.facts.history(manager, order, rules.velocity.windowSeconds);
    const decision = assess(order, history, rules);
    const assessmentId = randomUUID();
    const assessedAt = new Date().toISOString();
    const inserted = await this.assessments.insert(manager, {
      orderId: order.orderId,
      assessmentId,
      decision,
      paymentConfirmedAt: payment.confirmedAt,
      assessedAt,
    });
    if (!inserted) {
      this.logger.log(
        `order ${order.orderId} was assessed already; payment ${payment.paymentId} changes nothing`,
      );
      return undefined;
    }
    const common = {
      orderId: order.orderId,
      assessmentId,
      score: decision.score,
      rule: decision.rule,
      decidedInMs: decidedInMs(payment.confirmedAt, assessedAt),
    };
    switch (decision.outcome) {
      case 'approve':
        if (decision.mode === 'pass-first') {
          await this.audits.enqueue(manager, { ...common, findings: decision.findings });
        }
        await this.events.approved(manager, { ...common, mode: decision.mode });
        break;
      case 'review':
        await this.events.reviewRequired(manager, { ...common, reason: decision.reason });
        break;
      case 'reject':
        await this.events.rejected(manager, { ...common, reason: decision.reason });
        break;
      default: {
        const _exhaustive: never = decision;
        return _exhaustive;
      }
    }
    this.logger.log(
      `order ${order.orderId}: ${decision.outcome} by ${decision.rule} (score ${decision.score})`,
    );
    return decision;
  }
}
