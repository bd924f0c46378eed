/**
 * The Order stream's domain events. Times are ISO strings taken from the fact itself (the stage event's
 * `time`), so the stream records when things happened, not when orders heard of them.
 * Four of them are public and published on orders.v1 with the same payload: OrderPlaced, OrderCancelled,
 * OrderCompleted, OrderEscalated and OrderRefundRequested (see order-event-types.ts).
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

export type OrderEvent =
  | {
      type: 'OrderPlaced';
      data: {
        orderId: string;
        sku: string;
        quantity: number;
        total: Money;
        buyer: { email: string };
        paymentChannel: string;
        placedAt: string;
        expiresAt: string;
      };
    }
  | { type: 'StockReserved'; data: { reservationId: string; source: string; expiresAt: string; at: string } }
  | { type: 'StockUnavailable'; data: { reason: string; at: string } }
  | {
      type: 'PaymentConfirmed';
      data: { paymentId: string; provider: string; amount: Money; paidAt: string; at: string };
    }
  | { type: 'PaymentRejected'; data: { reason: string; at: string } }
  | { type: 'RiskApproved'; data: { mode: string; rule?: string; at: string } }
  | { type: 'RiskReviewRequired'; data: { reason: string; at: string } }
  | { type: 'RiskRejected'; data: { reason: string; at: string } }
  | { type: 'RiskReviewOverdue'; data: { since: string; reason: string; at: string } }
  | {
      type: 'RiskApprovalReversed';
      data: { reason: string; by: string; outcome: 'refund' | 'revoke-keys'; at: string };
    }
  | { type: 'StockCommitted'; data: { source: string; at: string } }
  | { type: 'DeliveryAttemptFailed'; data: { attempt: number; reason: string; at: string } }
  | {
      type: 'SupplierSwitched';
      data: { fromSupplier: string; toSupplier: string; reason: string; at: string };
    }
  | { type: 'Delivered'; data: { servedBy: string; attempts: number; at: string } }
  | { type: 'DeliveryFailed'; data: { reason: string; attempts: number; at: string } }
  | { type: 'BuyerNotified'; data: { channel: string; purpose: string; late: boolean; at: string } }
  | { type: 'NotificationFailed'; data: { channel: string; purpose: string; reason: string; at: string } }
  | { type: 'OrderCompleted'; data: { orderId: string; completedAt: string } }
  | {
      type: 'OrderCancelled';
      data: {
        orderId: string;
        reason: 'payment-expired' | 'stock-unavailable' | 'buyer-cancelled' | 'operator';
        cancelledAt: string;
      };
    }
  | {
      type: 'OrderEscalated';
      data: {
        orderId: string;
        stage: string;
        action: 'manual-delivery' | 'refund' | 'investigate';
        reason: string;
        escalatedAt: string;
      };
    }
  | {
      type: 'OrderRefundRequested';
      data: { orderId: string; amount: Money; reason: string; requestedAt: string };
    }
  | {
      type: 'OrderDelayed';
      data: {
        orderId: string;
        tier: number;
        stage: string;
        waitingReason: string;
        paidAt: string;
        waitingSince: string;
        expectedBy?: string;
      };
    };

export type OrderEventType = OrderEvent['type'];
export type OrderEventOf<T extends OrderEventType> = Extract<OrderEvent, { type: T }>;
