/**
 * Which event types each pipeline service consumes (its `@EventPattern` handlers). The AsyncAPI document
 * derives its receive operations, consumer groups and dead-letter channels from this; a spec compares it
 * with the handlers in apps/, so it cannot drift from what the services really read.
 */
export const PIPELINE_SUBSCRIPTIONS: Readonly<Record<string, readonly string[]>> = {
  'payment-callback': ['order.placed.v1', 'order.refund-requested.v1'],
  inventory: ['order.cancelled.v1', 'order.placed.v1', 'order.refund-requested.v1', 'risk.approved.v1'],
  'risk-control': ['order.placed.v1', 'payment.confirmed.v1'],
  delivery: ['stock.committed.v1'],
  notification: [
    'alert.raised.v1',
    'alert.resolved.v1',
    'delivery.resend-requested.v1',
    'delivery.succeeded.v1',
    'order.delayed.v1',
    'order.escalated.v1',
    'order.placed.v1',
    'risk.review-overdue.v1',
    'stock.low.v1',
  ],
  orders: [
    'delivery.attempt-failed.v1',
    'delivery.failed.v1',
    'delivery.succeeded.v1',
    'delivery.supplier-switched.v1',
    'notification.failed.v1',
    'notification.sent.v1',
    'payment.confirmed.v1',
    'payment.rejected.v1',
    'risk.approved.v1',
    'risk.audit-reversed.v1',
    'risk.rejected.v1',
    'risk.review-overdue.v1',
    'risk.review-required.v1',
    'stock.committed.v1',
    'stock.reserved.v1',
    'stock.unavailable.v1',
  ],
};
