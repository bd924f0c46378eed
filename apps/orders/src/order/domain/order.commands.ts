import { type Money } from './order.events';

/** Commands carry their own time (`now` / the fact's time), so decide() stays pure. */
export type OrderCommand =
  | {
      type: 'PlaceOrder';
      data: {
        orderId: string;
        sku: string;
        quantity: number;
        total: Money;
        buyer: { email: string };
        paymentChannel: string;
        now: string;
        expiresAt: string;
      };
    }
  | {
      type: 'RecordStockReserved';
      data: { reservationId: string; source: string; expiresAt: string; at: string };
    }
  | { type: 'RecordStockUnavailable'; data: { reason: string; at: string } }
  | {
      type: 'RecordPaymentConfirmed';
      data: { paymentId: string; provider: string; amount: Money; paidAt: string; at: string };
    }
  | { type: 'RecordPaymentRejected'; data: { reason: string; at: string } }
  | { type: 'RecordRiskApproved'; data: { mode: string; rule?: string; at: string } }
  | { type: 'RecordRiskReviewRequired'; data: { reason: string; at: string } }
  | { type: 'RecordRiskRejected'; data: { reason: string; at: string } }
  | { type: 'RecordRiskReviewOverdue'; data: { since: string; reason: string; at: string } }
  /** An audit reversed the pass-first approval: refund before delivery, revoke the keys after it. */
  | { type: 'ReverseRiskApproval'; data: { reason: string; by: string; at: string } }
  | { type: 'RecordStockCommitted'; data: { source: string; at: string } }
  | { type: 'RecordDeliveryAttemptFailed'; data: { attempt: number; reason: string; at: string } }
  | {
      type: 'RecordSupplierSwitched';
      data: { fromSupplier: string; toSupplier: string; reason: string; at: string };
    }
  | { type: 'RecordDelivered'; data: { servedBy: string; attempts: number; at: string } }
  | { type: 'RecordDeliveryFailed'; data: { reason: string; attempts: number; at: string } }
  | { type: 'RecordNotificationSent'; data: { channel: string; purpose: string; late: boolean; at: string } }
  | {
      type: 'RecordNotificationFailed';
      data: { channel: string; purpose: string; reason: string; at: string };
    }
  | { type: 'CancelUnpaidOrder'; data: { now: string } }
  /** SLA tier 1 (and any later buyer notice): tell the buyer where the paid order waits. */
  | {
      type: 'NoticeDelay';
      data: {
        tier: number;
        stage: string;
        waitingReason: string;
        waitingSince: string;
        expectedBy?: string;
        now: string;
      };
    }
  /** SLA tier 3: a paid order still undelivered goes to a person, or is refunded when the shop prefers. */
  | {
      type: 'EscalateLateOrder';
      data: { action: 'manual-delivery' | 'refund'; reason: string; now: string };
    }
  | RefundCommand;

/** An operator refunds a paid order that has not reached the buyer (the console's refund action). */
export type RefundCommand = {
  type: 'RefundByOperator';
  data: { reason: string; operator: string; now: string };
};

export type OrderCommandType = OrderCommand['type'];
