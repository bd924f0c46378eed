import {
  type AlertRaisedV1,
  type AlertResolvedV1,
  type OrderEscalatedV1,
  type RiskReviewOverdueV1,
  type StockLowV1,
} from '@keyflow/contracts';

import { type OperatorNotice } from './templates/operator-notice';

/**
 * Operator-facing events turned into notices, each with the subject it is about and a dedupe key: the
 * same event redelivered maps to the same key (told once), a new occurrence (another crossing, another
 * raise of the same alert) to a new one.
 */
export interface PlannedOperatorNotice {
  orderId?: string;
  subject: string;
  dedupeKey: string;
  notice: OperatorNotice;
}

export function escalatedNotice(e: OrderEscalatedV1): PlannedOperatorNotice {
  return {
    orderId: e.orderId,
    subject: e.orderId,
    dedupeKey: `escalated:${e.action}:${e.escalatedAt}`,
    notice: {
      severity: 'critical',
      headline: `Order ${e.orderId} needs a person: ${e.action}`,
      lines: [`Stage: ${e.stage}`, `Reason: ${e.reason}`],
      eventTime: e.escalatedAt,
    },
  };
}

export function reviewOverdueNotice(e: RiskReviewOverdueV1, eventTime: string): PlannedOperatorNotice {
  return {
    orderId: e.orderId,
    subject: e.orderId,
    dedupeKey: `review-overdue:${e.assessmentId}`,
    notice: {
      severity: 'warning',
      headline: `Order ${e.orderId} has waited in manual risk review too long`,
      lines: [`In review since ${e.since}`, `Reason: ${e.reason}`],
      eventTime,
    },
  };
}

export function stockLowNotice(e: StockLowV1, eventId: string, eventTime: string): PlannedOperatorNotice {
  return {
    subject: e.sku,
    dedupeKey: `stock-low:${eventId}`,
    notice: {
      severity: e.available === 0 ? 'critical' : 'warning',
      headline: `Stock of ${e.sku} is low: ${e.available} left (threshold ${e.threshold})`,
      lines: ['Import keys or check the supplier route.'],
      eventTime,
    },
  };
}

export function alertRaisedNotice(e: AlertRaisedV1): PlannedOperatorNotice {
  return {
    subject: e.alertKey,
    dedupeKey: `raised:${e.raisedAt}`,
    notice: {
      severity: e.severity,
      headline: `Alert ${e.alertKey}: ${e.summary}`,
      lines: e.details ? [`Details: ${JSON.stringify(e.details).slice(0, 500)}`] : [],
      eventTime: e.raisedAt,
    },
  };
}

export function alertResolvedNotice(e: AlertResolvedV1): PlannedOperatorNotice {
  return {
    subject: e.alertKey,
    dedupeKey: `resolved:${e.resolvedAt}`,
    notice: {
      severity: 'info',
      headline: `Resolved ${e.alertKey}: ${e.summary}`,
      lines: [],
      eventTime: e.resolvedAt,
    },
  };
}
