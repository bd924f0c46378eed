import { Module } from '@nestjs/common';

import { AssessOrder } from './application/assess-payment/assess-order';
import { AssessPaymentHandler } from './application/assess-payment/assess-payment.handler';
import { PaymentConfirmedConsumer } from './application/assess-payment/payment-confirmed.consumer';
import { CloseAuditHandler } from './application/close-audit/close-audit.handler';
import { DecideReviewHandler } from './application/decide-review/decide-review.handler';
import { OrderPlacedConsumer } from './application/record-order-facts/order-placed.consumer';
import { RecordOrderFactsHandler } from './application/record-order-facts/record-order-facts.handler';
import { ReviewSlaWorker } from './application/review-sla/review-sla.worker';
import { loadRiskSettings, RISK_SETTINGS } from './config/risk-settings';
import { AssessmentRepository } from './infrastructure/assessment.repository';
import { AuditQueueRepository } from './infrastructure/audit-queue.repository';
import { OrderFactsRepository } from './infrastructure/order-facts.repository';
import { ParkedPaymentRepository } from './infrastructure/parked-payment.repository';
import { RiskEvents } from './infrastructure/risk-events';
import { AuditsController } from './interface/audits.controller';
import { ReviewsController } from './interface/reviews.controller';

/** Risk assessment of paid orders: rules, pass-first with audit, the manual review queue and its SLA. */
@Module({
  controllers: [OrderPlacedConsumer, PaymentConfirmedConsumer, ReviewsController, AuditsController],
  providers: [
    { provide: RISK_SETTINGS, useFactory: () => loadRiskSettings() },
    OrderFactsRepository,
    ParkedPaymentRepository,
    AssessmentRepository,
    AuditQueueRepository,
    RiskEvents,
    AssessOrder,
    AssessPaymentHandler,
    RecordOrderFactsHandler,
    DecideReviewHandler,
    CloseAuditHandler,
    ReviewSlaWorker,
  ],
})
export class RiskModule {}
