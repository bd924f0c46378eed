import { EventCatalog } from './event-catalog';
import * as alert from './events/alert.events';
import * as delivery from './events/delivery.events';
import * as notification from './events/notification.events';
import * as order from './events/order.events';
import * as payment from './events/payment.events';
import * as risk from './events/risk.events';
import * as stock from './events/stock.events';

/** Every event type of the pipeline, declared once. The AsyncAPI document is generated from this. */
export const PIPELINE_EVENTS = [
  order.OrderPlaced,
  order.OrderCancelled,
  order.OrderCompleted,
  order.OrderEscalated,
  order.OrderRefundRequested,
  order.OrderDelayed,
  payment.PaymentConfirmed,
  payment.PaymentRejected,
  payment.PaymentRefunded,
  stock.StockReserved,
  stock.StockUnavailable,
  stock.StockCommitted,
  stock.StockReleased,
  stock.StockLow,
  risk.RiskApproved,
  risk.RiskReviewRequired,
  risk.RiskRejected,
  risk.RiskReviewOverdue,
  risk.RiskAuditReversed,
  delivery.DeliverySucceeded,
  delivery.DeliveryAttemptFailed,
  delivery.SupplierSwitched,
  delivery.DeliveryFailed,
  delivery.DeliveryResendRequested,
  notification.NotificationSent,
  notification.NotificationFailed,
  alert.AlertRaised,
  alert.AlertResolved,
];

export const pipelineCatalog = new EventCatalog(PIPELINE_EVENTS);
