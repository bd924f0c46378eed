import { type OrderCommand } from './order.commands';
import {
  IllegalTransitionError,
  OrderAlreadyExistsError,
  OrderNotFoundError,
  PaymentAmountMismatchError,
} from './order.errors';
import { type OrderEvent } from './order.events';
import { type ExistingOrder, evolve, initialState, type OrderState } from './order.state';

/**
 * The Order as a pure decider: decide(command, state) → events. Stage events from other services are
 * commands here ("record that stock was reserved"); a fact the order already knows yields no events (so a
 * payment confirmed twice, by callback and by active query, is recorded once); a fact that cannot happen
 * in the current state throws IllegalTransitionError and is never applied.
 */
export function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  if (command.type === 'PlaceOrder') {
    if (state.status !== 'none') throw new OrderAlreadyExistsError(command.data.orderId);
    const { now, ...order } = command.data;
    return [{ type: 'OrderPlaced', data: { ...order, placedAt: now } }];
  }
  if (state.status === 'none') throw new OrderNotFoundError('(unknown)');
  const order = state;
  const orderId = order.order.orderId;
  const illegal = () => new IllegalTransitionError(orderId, order.status, command.type);
  const isPaid = 'paidAt' in order && order.paidAt !== undefined;

  switch (command.type) {
    case 'RecordStockReserved':
      if (order.stock === 'reserved' || order.stock === 'committed') return [];
      return [{ type: 'StockReserved', data: command.data }];

    case 'RecordStockUnavailable':
      if (order.stock === 'committed' || isTerminal(order) || order.status === 'delivered') return [];
      if (order.status === 'awaiting-payment') {
        return [
          { type: 'StockUnavailable', data: command.data },
          {
            type: 'OrderCancelled',
            data: { orderId, reason: 'stock-unavailable', cancelledAt: command.data.at },
          },
        ];
      }
      if (isPaid) {
        // Paid but nothing to deliver: the buyer gets the money back rather than a silent wait.
        return [
          { type: 'StockUnavailable', data: command.data },
          refund(order, `stock unavailable: ${command.data.reason}`, command.data.at),
        ];
      }
      return [{ type: 'StockUnavailable', data: command.data }];

    case 'RecordPaymentConfirmed': {
      if (isPaid) return [];
      if (order.status !== 'awaiting-payment' && order.status !== 'cancelled') throw illegal();
      const { amount } = command.data;
      if (
        amount.amountMinor !== order.order.total.amountMinor ||
        amount.currency !== order.order.total.currency
      ) {
        throw new PaymentAmountMismatchError(orderId);
      }
      // A late payment for an order cancelled as unpaid is still the buyer's money: fulfil it if we can
      // (inventory re-reserves on approval). Cancelled for any other reason: take it and refund at once.
      if (order.status === 'cancelled' && order.reason !== 'payment-expired') {
        return [
          { type: 'PaymentConfirmed', data: command.data },
          refund(order, `paid after the order was cancelled (${order.reason})`, command.data.at),
        ];
      }
      return [{ type: 'PaymentConfirmed', data: command.data }];
    }

    case 'RecordPaymentRejected':
      if (order.status !== 'awaiting-payment') return [];
      return [{ type: 'PaymentRejected', data: command.data }];

    case 'RecordRiskApproved':
      if (order.status === 'paid' || order.status === 'in-review')
        return [{ type: 'RiskApproved', data: command.data }];
      if (isPaid) return [];
      throw illegal();

    case 'RecordRiskReviewRequired':
      if (order.status === 'paid') return [{ type: 'RiskReviewRequired', data: command.data }];
      if (isPaid) return [];
      throw illegal();

    case 'RecordRiskRejected':
      if (order.status === 'paid' || order.status === 'in-review') {
        return [
          { type: 'RiskRejected', data: command.data },
          refund(order, `risk rejected: ${command.data.reason}`, command.data.at),
        ];
      }
      if (isPaid) return [];
      throw illegal();

    case 'RecordRiskReviewOverdue':
      // Only a review still open is overdue; a decision that crossed the alert on the wire wins.
      return order.status === 'in-review' ? [{ type: 'RiskReviewOverdue', data: command.data }] : [];

    case 'ReverseRiskApproval': {
      // Once per order, whichever way it went; an order already being refunded needs nothing more.
      if (order.approvalReversed || order.status === 'refund-requested') return [];
      const { reason, by, at } = command.data;
      if (isPaid && REFUNDABLE.includes(order.status)) {
        return [
          { type: 'RiskApprovalReversed', data: { reason, by, outcome: 'refund', at } },
          refund(order, `risk audit reversed by ${by}: ${reason}`, at),
        ];
      }
      // The keys are with the buyer and cannot be taken back: they are recorded as revoked, for the shop
      // to void with the platform that issued them.
      if (order.status === 'delivered' || order.status === 'completed') {
        return [{ type: 'RiskApprovalReversed', data: { reason, by, outcome: 'revoke-keys', at } }];
      }
      throw illegal(); // never approved, so there is nothing to reverse
    }

    case 'RecordStockCommitted':
      if (order.status === 'approved') return [{ type: 'StockCommitted', data: command.data }];
      if (order.stock === 'committed') return [];
      // The delivery overtook it (see RecordDelivered): recorded for the timeline, the status stays.
      if (deliveredAhead(order)) return [{ type: 'StockCommitted', data: command.data }];
      throw illegal();

    case 'RecordDeliveryAttemptFailed':
      if (order.status !== 'fulfilling') return expectAfterCommit(order, illegal);
      return [{ type: 'DeliveryAttemptFailed', data: command.data }];

    case 'RecordSupplierSwitched':
      if (order.status !== 'fulfilling') return expectAfterCommit(order, illegal);
      return [{ type: 'SupplierSwitched', data: command.data }];

    case 'RecordDelivered':
      if (order.status === 'fulfilling') return [{ type: 'Delivered', data: command.data }];
      // Delivery starts only once inventory committed the stock, so the delivery itself proves the commit
      // happened; its fact is merely still on its way on inventory.v1 (each topic is consumed at its own
      // pace). Apply it rather than park it; the StockCommitted that follows is recorded without a step back.
      if (order.status === 'approved') return [{ type: 'Delivered', data: command.data }];
      if (order.status === 'delivered' || order.status === 'completed') return [];
      if (order.status === 'escalated' && isPaid) return [{ type: 'Delivered', data: command.data }]; // manual delivery
      throw illegal();

    case 'RecordDeliveryFailed':
      if (order.status !== 'fulfilling') return expectAfterCommit(order, illegal);
      return [
        { type: 'DeliveryFailed', data: command.data },
        {
          type: 'OrderEscalated',
          data: {
            orderId,
            stage: 'delivery',
            action: 'manual-delivery',
            reason: command.data.reason,
            escalatedAt: command.data.at,
          },
        },
      ];

    case 'RecordNotificationSent':
      if (order.status === 'delivered' && command.data.purpose === 'goods') {
        return [
          { type: 'BuyerNotified', data: command.data },
          { type: 'OrderCompleted', data: { orderId, completedAt: command.data.at } },
        ];
      }
      if (command.data.purpose === 'goods') {
        if (order.status === 'completed') return [];
        throw illegal(); // the goods cannot reach the buyer before they were delivered
      }
      // Status updates and apologies are recorded on the timeline but change no state.
      return [{ type: 'BuyerNotified', data: command.data }];

    case 'RecordNotificationFailed':
      if (order.status === 'delivered' && command.data.purpose === 'goods') {
        return [
          { type: 'NotificationFailed', data: command.data },
          {
            type: 'OrderEscalated',
            data: {
              orderId,
              stage: 'notification',
              action: 'investigate',
              reason: command.data.reason,
              escalatedAt: command.data.at,
            },
          },
        ];
      }
      return [{ type: 'NotificationFailed', data: command.data }];

    case 'CancelUnpaidOrder':
      if (order.status !== 'awaiting-payment') return [];
      if (Date.parse(command.data.now) < Date.parse(order.order.expiresAt)) return [];
      return [
        {
          type: 'OrderCancelled',
          data: { orderId, reason: 'payment-expired', cancelledAt: command.data.now },
        },
      ];

    case 'NoticeDelay': {
      if (!isPaid || !AWAITING_DELIVERY.includes(order.status)) return [];
      if ((order.noticedTiers ?? []).includes(command.data.tier)) return [];
      const { now: _now, ...notice } = command.data;
      return [
        { type: 'OrderDelayed', data: { orderId, ...notice, paidAt: (order as { paidAt: string }).paidAt } },
      ];
    }

    case 'EscalateLateOrder': {
      if (!isPaid || !AWAITING_DELIVERY.includes(order.status)) return [];
      const stage =
        order.status === 'fulfilling' ? 'delivery' : order.status === 'approved' ? 'stock-commit' : 'risk';
      return command.data.action === 'refund'
        ? [refund(order, command.data.reason, command.data.now)]
        : [
            {
              type: 'OrderEscalated',
              data: {
                orderId,
                stage,
                action: 'manual-delivery',
                reason: command.data.reason,
                escalatedAt: command.data.now,
              },
            },
          ];
    }

    case 'RefundByOperator': {
      // Once the keys are with the buyer a refund is the shop's call outside the pipeline (the keys cannot
      // be taken back); before that, any paid order may be refunded, escalated ones included.
      if (order.status === 'refund-requested') return [];
      if (!isPaid || !REFUNDABLE.includes(order.status)) throw illegal();
      const { reason, operator, now } = command.data;
      return [refund(order, `refunded by operator ${operator}: ${reason}`, now)];
    }

    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** Paid and not yet delivered: the statuses the SLA watch cares about. */
const AWAITING_DELIVERY: string[] = ['paid', 'in-review', 'approved', 'fulfilling'];

/** Paid, keys not yet with the buyer: what an operator may refund. */
const REFUNDABLE: string[] = [...AWAITING_DELIVERY, 'escalated'];

function refund(order: ExistingOrder, reason: string, at: string): OrderEvent {
  return {
    type: 'OrderRefundRequested',
    data: { orderId: order.order.orderId, amount: order.order.total, reason, requestedAt: at },
  };
}

function isTerminal(order: ExistingOrder): boolean {
  return ['completed', 'cancelled', 'refund-requested'].includes(order.status);
}

/**
 * Delivery facts before stock was committed mean the stages are out of order: refuse them. Once the
 * delivery itself is recorded, an earlier attempt's fact adds nothing (Delivered carries the attempts).
 */
function expectAfterCommit(order: ExistingOrder, illegal: () => Error): OrderEvent[] {
  if (order.stock === 'committed' || order.status === 'delivered' || order.status === 'completed') return [];
  throw illegal();
}

/** Delivered (or completed) before the stock commit was seen: the commit's fact is still due. */
function deliveredAhead(order: ExistingOrder): boolean {
  return (order.status === 'delivered' || order.status === 'completed') && order.stock !== 'committed';
}

export const orderDecider = { decide, evolve, initialState };
