import { type Money, type OrderEvent } from './order.events';

/** What every existing order knows about itself. */
export interface OrderFacts {
  orderId: string;
  sku: string;
  quantity: number;
  total: Money;
  paymentChannel: string;
  placedAt: string;
  expiresAt: string;
}

export type StockStatus = 'pending' | 'reserved' | 'unavailable' | 'committed';

interface Existing {
  order: OrderFacts;
  stock: StockStatus;
  /** SLA tiers the buyer was already told about, so each notice goes out once. */
  noticedTiers?: number[];
  /** An audit reversed the pass-first approval (so a second reversal changes nothing). */
  approvalReversed?: boolean;
}

/**
 * The order's lifecycle as a union keyed on status: a state that cannot happen cannot be written down
 * (an order is never "delivered" without having been paid, because `delivered` requires `paidAt`).
 */
export type OrderState =
  | { status: 'none' }
  | (Existing & { status: 'awaiting-payment'; lastPaymentRejection?: string })
  | (Existing & { status: 'paid'; paidAt: string })
  | (Existing & { status: 'in-review'; paidAt: string })
  | (Existing & { status: 'approved'; paidAt: string })
  | (Existing & { status: 'fulfilling'; paidAt: string; deliveryAttempts: number })
  | (Existing & { status: 'delivered'; paidAt: string; deliveredAt: string })
  | (Existing & { status: 'completed'; paidAt: string; deliveredAt: string })
  | (Existing & { status: 'cancelled'; reason: string })
  | (Existing & { status: 'escalated'; paidAt?: string; action: string; reason: string })
  | (Existing & { status: 'refund-requested'; paidAt: string; reason: string });

export type OrderStatus = OrderState['status'];
export type ExistingOrder = Exclude<OrderState, { status: 'none' }>;

export const initialState = (): OrderState => ({ status: 'none' });

/** Folds one event into the state. Pure; also used to rebuild state from the stream. */
export function evolve(state: OrderState, event: OrderEvent): OrderState {
  const next = evolveStatus(state, event);
  // What the buyer was told survives status changes, so each SLA notice goes out once per order.
  if (state.status === 'none' || next.status === 'none') return next;
  let carried = next;
  if (state.noticedTiers && !next.noticedTiers) carried = { ...carried, noticedTiers: state.noticedTiers };
  if (state.approvalReversed && !next.approvalReversed) carried = { ...carried, approvalReversed: true };
  return carried;
}

function evolveStatus(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { buyer: _buyer, ...facts } = event.data;
    return { status: 'awaiting-payment', order: facts, stock: 'pending' };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'StockReserved':
      return state.stock === 'pending' || state.stock === 'unavailable'
        ? { ...state, stock: 'reserved' }
        : state;
    case 'StockUnavailable':
      return { ...state, stock: 'unavailable' };
    case 'PaymentConfirmed':
      return { status: 'paid', order: state.order, stock: state.stock, paidAt: event.data.paidAt };
    case 'PaymentRejected':
      return state.status === 'awaiting-payment'
        ? { ...state, lastPaymentRejection: event.data.reason }
        : state;
    case 'RiskApproved':
      return 'paidAt' in state && state.paidAt
        ? { status: 'approved', order: state.order, stock: state.stock, paidAt: state.paidAt }
        : state;
    case 'RiskReviewRequired':
      return 'paidAt' in state && state.paidAt
        ? { status: 'in-review', order: state.order, stock: state.stock, paidAt: state.paidAt }
        : state;
    case 'RiskRejected':
    case 'RiskReviewOverdue':
      return state;
    case 'RiskApprovalReversed':
      return { ...state, approvalReversed: true };
    case 'OrderDelayed':
      return { ...state, noticedTiers: [...(state.noticedTiers ?? []), event.data.tier] };
    case 'StockCommitted':
      // After a delivery that overtook it, the commit is only recorded: the order does not step back.
      if (state.status === 'delivered' || state.status === 'completed')
        return { ...state, stock: 'committed' };
      return 'paidAt' in state && state.paidAt
        ? {
            status: 'fulfilling',
            order: state.order,
            stock: 'committed',
            paidAt: state.paidAt,
            deliveryAttempts: 0,
          }
        : state;
    case 'DeliveryAttemptFailed':
      return state.status === 'fulfilling' ? { ...state, deliveryAttempts: event.data.attempt } : state;
    case 'SupplierSwitched':
      return state;
    case 'Delivered':
      return 'paidAt' in state && state.paidAt
        ? {
            status: 'delivered',
            order: state.order,
            stock: state.stock,
            paidAt: state.paidAt,
            deliveredAt: event.data.at,
          }
        : state;
    case 'DeliveryFailed':
    case 'BuyerNotified':
    case 'NotificationFailed':
      return state;
    case 'OrderCompleted':
      return state.status === 'delivered' ? { ...state, status: 'completed' } : state;
    case 'OrderCancelled':
      return { status: 'cancelled', order: state.order, stock: state.stock, reason: event.data.reason };
    case 'OrderEscalated':
      return {
        status: 'escalated',
        order: state.order,
        stock: state.stock,
        ...('paidAt' in state && state.paidAt ? { paidAt: state.paidAt } : {}),
        action: event.data.action,
        reason: event.data.reason,
      };
    case 'OrderRefundRequested':
      return {
        status: 'refund-requested',
        order: state.order,
        stock: state.stock,
        paidAt: 'paidAt' in state && state.paidAt ? state.paidAt : event.data.requestedAt,
        reason: event.data.reason,
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
