import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import {
  RiskApproved,
  RiskAuditReversed,
  type RiskAuditReversedV1,
  type RiskApprovedV1,
  RiskRejected,
  type RiskRejectedV1,
  RiskReviewOverdue,
  type RiskReviewOverdueV1,
  RiskReviewRequired,
  type RiskReviewRequiredV1,
  Topics,
} from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';

/**
 * Appends risk-control's public events to the order's risk stream (stream id = subject = order id) on the
 * caller's transaction, so they are published exactly when the state change that caused them commits.
 * Version 'any': the assessments row (locked by the caller) is what serialises decisions on one order.
 */
@Injectable()
export class RiskEvents {
  constructor(private readonly store: EventStore) {}

  approved(manager: EntityManager, data: RiskApprovedV1) {
    return this.append(manager, RiskApproved.type, data);
  }

  reviewRequired(manager: EntityManager, data: RiskReviewRequiredV1) {
    return this.append(manager, RiskReviewRequired.type, data);
  }

  rejected(manager: EntityManager, data: RiskRejectedV1) {
    return this.append(manager, RiskRejected.type, data);
  }

  auditReversed(manager: EntityManager, data: RiskAuditReversedV1) {
    return this.append(manager, RiskAuditReversed.type, data);
  }

  reviewOverdue(manager: EntityManager, data: RiskReviewOverdueV1) {
    return this.append(manager, RiskReviewOverdue.type, data);
  }

  private async append(manager: EntityManager, type: string, data: { orderId: string }): Promise<void> {
    await this.store.append(manager, data.orderId, 'any', [
      { type, topic: Topics.risk, data: { ...data } as Record<string, unknown> },
    ]);
  }
}
