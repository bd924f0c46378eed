import { deciderSpec } from '@keyflow/testing';

import { type OrderCommand } from './order.commands';
import { orderDecider } from './order.decider';
import { IllegalTransitionError, OrderAlreadyExistsError, PaymentAmountMismatchError } from './order.errors';
import { type OrderEvent } from './order.events';

const spec = deciderSpec(orderDecider);
const orderId = '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10';
const total = { amountMinor: 5000, currency: 'CNY' };
const T0 = '2026-11-23T10:00:00.000Z';
const T1 = '2026-11-23T10:01:00.000Z';
const EXPIRES = '2026-11-23T10:15:00.000Z';

const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId,
    sku: 'STEAM-50',
    quantity: 1,
    total,
    buyer: { email: 'buyer@example.com' },
    paymentChannel: 'alipay',
    placedAt: T0,
    expiresAt: EXPIRES,
  },
};
const reserved: OrderEvent = {
  type: 'StockReserved',
  data: { reservationId: 'r1', source: 'pool', expiresAt: EXPIRES, at: T0 },
};
const paid: OrderEvent = {
  type: 'PaymentConfirmed',
  data: { paymentId: 'p1', provider: 'alipay', amount: total, paidAt: T1, at: T1 },
};
const approved: OrderEvent = { type: 'RiskApproved', data: { mode: 'rules', at: T1 } };
const committed: OrderEvent = { type: 'StockCommitted', data: { source: 'pool', at: T1 } };
const delivered: OrderEvent = { type: 'Delivered', data: { servedBy: 'pool', attempts: 1, at: T1 } };

const confirmPayment = (amount = total): OrderCommand => ({
  type: 'RecordPaymentConfirmed',
  data: { paymentId: 'p1', provider: 'alipay', amount, paidAt: T1, at: T1 },
});

describe('Order decider', () => {
  it('places a new order', () => {
    spec
      .given([])
      .when({
        type: 'PlaceOrder',
        data: { ...placed.data, now: T0 } as Extract<OrderCommand, { type: 'PlaceOrder' }>['data'],
      })
      .then([placed]);
  });

  it('refuses to place the same order twice', () => {
    spec
      .given([placed])
      .when({ type: 'PlaceOrder', data: { ...placed.data, now: T0 } as never })
      .thenThrows(OrderAlreadyExistsError);
  });

  it('records a payment once, even when confirmed again by active query', () => {
    spec.given([placed, reserved]).when(confirmPayment()).then([paid]);
    spec.given([placed, reserved, paid]).when(confirmPayment()).then([]);
  });

  it('accepts stock reserved after the payment (the two stages run in parallel)', () => {
    spec
      .given([placed, paid])
      .when({
        type: 'RecordStockReserved',
        data: { reservationId: 'r1', source: 'pool', expiresAt: EXPIRES, at: T1 },
      })
      .then([
        { type: 'StockReserved', data: { reservationId: 'r1', source: 'pool', expiresAt: EXPIRES, at: T1 } },
      ]);
  });

  it('refuses a payment whose amount differs from the order total', () => {
    spec
      .given([placed])
      .when(confirmPayment({ amountMinor: 1, currency: 'CNY' }))
      .thenThrows(PaymentAmountMismatchError);
  });

  it('refuses delivery before payment, and never applies it', () => {
    spec
      .given([placed, reserved])
      .when({ type: 'RecordDelivered', data: { servedBy: 'pool', attempts: 1, at: T1 } })
      .thenThrows(IllegalTransitionError);
    spec
      .given([placed])
      .when({ type: 'RecordStockCommitted', data: { source: 'pool', at: T1 } })
      .thenThrows(IllegalTransitionError);
  });

  describe('a delivery that overtook the stock commit (inventory.v1 consumed later than delivery.v1)', () => {
    const deliver: OrderCommand = {
      type: 'RecordDelivered',
      data: { servedBy: 'pool', attempts: 1, at: T1 },
    };
    const commit: OrderCommand = { type: 'RecordStockCommitted', data: { source: 'pool', at: T1 } };
    const goodsSent: OrderCommand = {
      type: 'RecordNotificationSent',
      data: { channel: 'email', purpose: 'goods', late: false, at: T1 },
    };

    it('applies the delivery while approved: it proves the stock was committed', () => {
      spec.given([placed, reserved, paid, approved]).when(deliver).then([delivered]);
    });

    it('still refuses a delivery before risk approved the order', () => {
      spec.given([placed, reserved, paid]).when(deliver).thenThrows(IllegalTransitionError);
    });

    it('records the late commit without stepping back, once', () => {
      spec.given([placed, reserved, paid, approved, delivered]).when(commit).then([committed]);
      spec.given([placed, reserved, paid, approved, delivered, committed]).when(commit).then([]);
      // The order is still delivered after the commit: goods sent completes it.
      spec
        .given([placed, reserved, paid, approved, delivered, committed])
        .when(goodsSent)
        .then([
          { type: 'BuyerNotified', data: { channel: 'email', purpose: 'goods', late: false, at: T1 } },
          { type: 'OrderCompleted', data: { orderId, completedAt: T1 } },
        ]);
    });

    it('completes before the commit arrives, and records the commit after completion', () => {
      const notified: OrderEvent = {
        type: 'BuyerNotified',
        data: { channel: 'email', purpose: 'goods', late: false, at: T1 },
      };
      const completed: OrderEvent = { type: 'OrderCompleted', data: { orderId, completedAt: T1 } };
      spec.given([placed, reserved, paid, approved, delivered]).when(goodsSent).then([notified, completed]);
      spec
        .given([placed, reserved, paid, approved, delivered, notified, completed])
        .when(commit)
        .then([committed]);
    });

    it('neither refunds on a late "stock unavailable" nor parks earlier attempts once delivered', () => {
      spec
        .given([placed, reserved, paid, approved, delivered])
        .when({ type: 'RecordStockUnavailable', data: { reason: 'sold out', at: T1 } })
        .then([]);
      spec
        .given([placed, reserved, paid, approved, delivered])
        .when({
          type: 'RecordDeliveryAttemptFailed',
          data: { attempt: 1, reason: 'timeout', at: T1 },
        })
        .then([]);
    });
  });

  it('completes when the buyer has been sent the goods', () => {
    spec
      .given([placed, reserved, paid, approved, committed, delivered])
      .when({
        type: 'RecordNotificationSent',
        data: { channel: 'email', purpose: 'goods', late: false, at: T1 },
      })
      .then([
        { type: 'BuyerNotified', data: { channel: 'email', purpose: 'goods', late: false, at: T1 } },
        { type: 'OrderCompleted', data: { orderId, completedAt: T1 } },
      ]);
  });

  it('refuses "goods sent" before the goods were delivered', () => {
    spec
      .given([placed, reserved, paid, approved, committed])
      .when({
        type: 'RecordNotificationSent',
        data: { channel: 'email', purpose: 'goods', late: false, at: T1 },
      })
      .thenThrows(IllegalTransitionError);
  });

  it('cancels an unpaid order once its reservation expired, not before', () => {
    spec
      .given([placed, reserved])
      .when({ type: 'CancelUnpaidOrder', data: { now: T1 } })
      .then([]);
    spec
      .given([placed, reserved])
      .when({ type: 'CancelUnpaidOrder', data: { now: EXPIRES } })
      .then([{ type: 'OrderCancelled', data: { orderId, reason: 'payment-expired', cancelledAt: EXPIRES } }]);
    spec
      .given([placed, reserved, paid])
      .when({ type: 'CancelUnpaidOrder', data: { now: EXPIRES } })
      .then([]);
  });

  it('still fulfils a payment that arrives after the unpaid order expired', () => {
    const cancelled: OrderEvent = {
      type: 'OrderCancelled',
      data: { orderId, reason: 'payment-expired', cancelledAt: EXPIRES },
    };
    spec.given([placed, cancelled]).when(confirmPayment()).then([paid]);
  });

  it('refunds a paid order whose stock turned out to be unavailable', () => {
    spec
      .given([placed, reserved, paid, approved])
      .when({ type: 'RecordStockUnavailable', data: { reason: 'sold out', at: T1 } })
      .then([
        { type: 'StockUnavailable', data: { reason: 'sold out', at: T1 } },
        {
          type: 'OrderRefundRequested',
          data: { orderId, amount: total, reason: 'stock unavailable: sold out', requestedAt: T1 },
        },
      ]);
  });

  it('cancels an unpaid order when no stock can be reserved', () => {
    spec
      .given([placed])
      .when({ type: 'RecordStockUnavailable', data: { reason: 'sold out', at: T0 } })
      .then([
        { type: 'StockUnavailable', data: { reason: 'sold out', at: T0 } },
        { type: 'OrderCancelled', data: { orderId, reason: 'stock-unavailable', cancelledAt: T0 } },
      ]);
  });

  it('escalates to manual delivery when delivery gives up', () => {
    spec
      .given([placed, reserved, paid, approved, committed])
      .when({ type: 'RecordDeliveryFailed', data: { reason: 'all suppliers down', attempts: 5, at: T1 } })
      .then([
        { type: 'DeliveryFailed', data: { reason: 'all suppliers down', attempts: 5, at: T1 } },
        {
          type: 'OrderEscalated',
          data: {
            orderId,
            stage: 'delivery',
            action: 'manual-delivery',
            reason: 'all suppliers down',
            escalatedAt: T1,
          },
        },
      ]);
  });

  it('refunds when risk control rejects a paid order', () => {
    spec
      .given([placed, paid])
      .when({ type: 'RecordRiskRejected', data: { reason: 'blocked email', at: T1 } })
      .then([
        { type: 'RiskRejected', data: { reason: 'blocked email', at: T1 } },
        {
          type: 'OrderRefundRequested',
          data: { orderId, amount: total, reason: 'risk rejected: blocked email', requestedAt: T1 },
        },
      ]);
  });

  it('notes an overdue review only while the review is open', () => {
    const review: OrderEvent = { type: 'RiskReviewRequired', data: { reason: 'big order', at: T1 } };
    const overdue: OrderCommand = {
      type: 'RecordRiskReviewOverdue',
      data: { since: T1, reason: 'no decision', at: EXPIRES },
    };
    spec
      .given([placed, paid, review])
      .when(overdue)
      .then([{ type: 'RiskReviewOverdue', data: overdue.data }]);
    spec.given([placed, paid, review, approved]).when(overdue).then([]);
  });

  describe('an audit reverses a pass-first approval', () => {
    const reverse: OrderCommand = {
      type: 'ReverseRiskApproval',
      data: { reason: 'stolen card reported', by: 'alice', at: EXPIRES },
    };
    const reversed = (outcome: 'refund' | 'revoke-keys'): OrderEvent => ({
      type: 'RiskApprovalReversed',
      data: { reason: 'stolen card reported', by: 'alice', outcome, at: EXPIRES },
    });
    const refunded: OrderEvent = {
      type: 'OrderRefundRequested',
      data: {
        orderId,
        amount: total,
        reason: 'risk audit reversed by alice: stolen card reported',
        requestedAt: EXPIRES,
      },
    };
    const completed: OrderEvent[] = [
      delivered,
      { type: 'BuyerNotified', data: { channel: 'email', purpose: 'goods', late: false, at: T1 } },
      { type: 'OrderCompleted', data: { orderId, completedAt: T1 } },
    ];

    it('refunds an order whose goods have not reached the buyer', () => {
      spec
        .given([placed, reserved, paid, approved, committed])
        .when(reverse)
        .then([reversed('refund'), refunded]);
    });

    it('revokes the keys of an order already delivered (they cannot be taken back)', () => {
      spec
        .given([placed, reserved, paid, approved, committed, ...completed])
        .when(reverse)
        .then([reversed('revoke-keys')]);
    });

    it('does nothing the second time, whichever way the first went', () => {
      spec
        .given([placed, reserved, paid, approved, committed, reversed('refund'), refunded])
        .when(reverse)
        .then([]);
      spec
        .given([placed, reserved, paid, approved, committed, ...completed, reversed('revoke-keys')])
        .when(reverse)
        .then([]);
    });

    it('refuses to reverse an order that was never paid', () => {
      spec.given([placed]).when(reverse).thenThrows(IllegalTransitionError);
    });
  });

  describe('refund by an operator', () => {
    const refundCommand: OrderCommand = {
      type: 'RefundByOperator',
      data: { reason: 'supplier out for hours', operator: 'alice', now: EXPIRES },
    };
    const refunded: OrderEvent = {
      type: 'OrderRefundRequested',
      data: {
        orderId,
        amount: total,
        reason: 'refunded by operator alice: supplier out for hours',
        requestedAt: EXPIRES,
      },
    };

    it('refunds a paid order stuck before delivery', () => {
      spec.given([placed, reserved, paid, approved, committed]).when(refundCommand).then([refunded]);
    });

    it('answers a second click with nothing new', () => {
      spec.given([placed, reserved, paid, refunded]).when(refundCommand).then([]);
    });

    it('refuses an unpaid order (cancel it instead) and one whose keys the buyer already has', () => {
      spec.given([placed]).when(refundCommand).thenThrows(IllegalTransitionError);
      spec
        .given([placed, reserved, paid, approved, committed, delivered])
        .when(refundCommand)
        .thenThrows(IllegalTransitionError);
    });
  });
});
