import {
  type DeliveryAttemptFailedV1,
  type DeliveryFailedV1,
  type DeliverySucceededV1,
  type EventEnvelope,
  type NotificationFailedV1,
  type NotificationSentV1,
  type PaymentConfirmedV1,
  type PaymentRejectedV1,
  type RiskApprovedV1,
  type RiskAuditReversedV1,
  type RiskRejectedV1,
  type RiskReviewOverdueV1,
  type RiskReviewRequiredV1,
  type StockCommittedV1,
  type StockReservedV1,
  type StockUnavailableV1,
  type SupplierSwitchedV1,
} from '@keyflow/contracts';

import { type OrderCommand } from '../../domain/order.commands';

/**
 * Every stage's integration event as the Order command it means. The fact's time is the event's `time`
 * (when it happened at its source), so the timeline shows real stage durations even when a consumer lags.
 */
export const stageEventCommands = {
  'stock.reserved.v1': (e: EventEnvelope<StockReservedV1>): OrderCommand => ({
    type: 'RecordStockReserved',
    data: {
      reservationId: e.data.reservationId,
      source: e.data.source,
      expiresAt: e.data.expiresAt,
      at: e.time,
    },
  }),
  'stock.unavailable.v1': (e: EventEnvelope<StockUnavailableV1>): OrderCommand => ({
    type: 'RecordStockUnavailable',
    data: { reason: e.data.reason, at: e.time },
  }),
  'payment.confirmed.v1': (e: EventEnvelope<PaymentConfirmedV1>): OrderCommand => ({
    type: 'RecordPaymentConfirmed',
    data: {
      paymentId: e.data.paymentId,
      provider: e.data.provider,
      amount: { ...e.data.amount },
      paidAt: e.data.paidAt,
      at: e.time,
    },
  }),
  'payment.rejected.v1': (e: EventEnvelope<PaymentRejectedV1>): OrderCommand => ({
    type: 'RecordPaymentRejected',
    data: { reason: e.data.reason, at: e.time },
  }),
  'risk.approved.v1': (e: EventEnvelope<RiskApprovedV1>): OrderCommand => ({
    type: 'RecordRiskApproved',
    data: { mode: e.data.mode, ...(e.data.rule ? { rule: e.data.rule } : {}), at: e.time },
  }),
  'risk.review-required.v1': (e: EventEnvelope<RiskReviewRequiredV1>): OrderCommand => ({
    type: 'RecordRiskReviewRequired',
    data: { reason: e.data.reason, at: e.time },
  }),
  'risk.rejected.v1': (e: EventEnvelope<RiskRejectedV1>): OrderCommand => ({
    type: 'RecordRiskRejected',
    data: { reason: e.data.reason, at: e.time },
  }),
  'risk.review-overdue.v1': (e: EventEnvelope<RiskReviewOverdueV1>): OrderCommand => ({
    type: 'RecordRiskReviewOverdue',
    data: { since: e.data.since, reason: e.data.reason, at: e.time },
  }),
  'risk.audit-reversed.v1': (e: EventEnvelope<RiskAuditReversedV1>): OrderCommand => ({
    type: 'ReverseRiskApproval',
    data: { reason: e.data.reason, by: e.data.reversedBy, at: e.time },
  }),
  'stock.committed.v1': (e: EventEnvelope<StockCommittedV1>): OrderCommand => ({
    type: 'RecordStockCommitted',
    data: { source: e.data.source, at: e.time },
  }),
  'delivery.attempt-failed.v1': (e: EventEnvelope<DeliveryAttemptFailedV1>): OrderCommand => ({
    type: 'RecordDeliveryAttemptFailed',
    data: { attempt: e.data.attempt, reason: e.data.reason, at: e.time },
  }),
  'delivery.supplier-switched.v1': (e: EventEnvelope<SupplierSwitchedV1>): OrderCommand => ({
    type: 'RecordSupplierSwitched',
    data: {
      fromSupplier: e.data.fromSupplier,
      toSupplier: e.data.toSupplier,
      reason: e.data.reason,
      at: e.time,
    },
  }),
  'delivery.succeeded.v1': (e: EventEnvelope<DeliverySucceededV1>): OrderCommand => ({
    type: 'RecordDelivered',
    data: { servedBy: e.data.servedBy, attempts: e.data.attempts, at: e.data.deliveredAt },
  }),
  'delivery.failed.v1': (e: EventEnvelope<DeliveryFailedV1>): OrderCommand => ({
    type: 'RecordDeliveryFailed',
    data: { reason: e.data.reason, attempts: e.data.attempts, at: e.time },
  }),
  'notification.sent.v1': (e: EventEnvelope<NotificationSentV1>): OrderCommand => ({
    type: 'RecordNotificationSent',
    data: { channel: e.data.channel, purpose: e.data.purpose, late: e.data.late, at: e.data.sentAt },
  }),
  'notification.failed.v1': (e: EventEnvelope<NotificationFailedV1>): OrderCommand => ({
    type: 'RecordNotificationFailed',
    data: { channel: e.data.channel, purpose: e.data.purpose, reason: e.data.reason, at: e.time },
  }),
} as const;
