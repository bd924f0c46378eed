import { Topics } from '@keyflow/contracts';
import { type NewEvent, type StoredEvent } from '@keyflow/messaging';

import { type OrderEvent, type OrderEventType } from '../domain/order.events';

/**
 * How Order domain events are stored. The five public ones keep their contract's wire name and go to
 * orders.v1 (their payload is the contract's); the stage facts stay inside orders under internal names.
 */
const STORED_AS: Record<OrderEventType, { type: string; public: boolean }> = {
  OrderPlaced: { type: 'order.placed.v1', public: true },
  OrderCancelled: { type: 'order.cancelled.v1', public: true },
  OrderCompleted: { type: 'order.completed.v1', public: true },
  OrderEscalated: { type: 'order.escalated.v1', public: true },
  OrderRefundRequested: { type: 'order.refund-requested.v1', public: true },
  OrderDelayed: { type: 'order.delayed.v1', public: true },
  StockReserved: { type: 'orders.stock-reserved.v1', public: false },
  StockUnavailable: { type: 'orders.stock-unavailable.v1', public: false },
  PaymentConfirmed: { type: 'orders.payment-confirmed.v1', public: false },
  PaymentRejected: { type: 'orders.payment-rejected.v1', public: false },
  RiskApproved: { type: 'orders.risk-approved.v1', public: false },
  RiskReviewRequired: { type: 'orders.risk-review-required.v1', public: false },
  RiskRejected: { type: 'orders.risk-rejected.v1', public: false },
  RiskReviewOverdue: { type: 'orders.risk-review-overdue.v1', public: false },
  RiskApprovalReversed: { type: 'orders.risk-approval-reversed.v1', public: false },
  StockCommitted: { type: 'orders.stock-committed.v1', public: false },
  DeliveryAttemptFailed: { type: 'orders.delivery-attempt-failed.v1', public: false },
  SupplierSwitched: { type: 'orders.supplier-switched.v1', public: false },
  Delivered: { type: 'orders.delivered.v1', public: false },
  DeliveryFailed: { type: 'orders.delivery-failed.v1', public: false },
  BuyerNotified: { type: 'orders.buyer-notified.v1', public: false },
  NotificationFailed: { type: 'orders.notification-failed.v1', public: false },
};

const DOMAIN_TYPE_OF = new Map(
  Object.entries(STORED_AS).map(([domain, { type }]) => [type, domain as OrderEventType]),
);

export function toNewEvent(event: OrderEvent): NewEvent {
  const stored = STORED_AS[event.type];
  return { type: stored.type, data: event.data, ...(stored.public ? { topic: Topics.orders } : {}) };
}

export function toOrderEvent(stored: StoredEvent): OrderEvent {
  const type = DOMAIN_TYPE_OF.get(stored.type);
  if (!type) throw new Error(`unknown event type ${stored.type} in an Order stream`);
  return { type, data: stored.data } as OrderEvent;
}
