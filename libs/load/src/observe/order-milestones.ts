/**
 * What the topics said about each order, reduced to the milestones a shop owner asks about: when it was
 * paid, approved, committed, delivered, the buyer told. Pure: fed one event at a time by the observer.
 */

/** The stages of a paid order, each measured from the previous milestone's event time to its own. */
export const STAGES = ['risk', 'inventory', 'delivery', 'notification'] as const;
export type Stage = (typeof STAGES)[number];

export interface ObservedEvent {
  id: string;
  type: string;
  /** Envelope time (when the emitting service recorded the fact), ms since epoch. */
  time: number;
  data: Record<string, unknown>;
}

export interface OrderMilestones {
  placed?: number;
  paymentConfirmed?: number;
  /** The payment's own paid time (payment.confirmed.v1 data.paidAt), ms: where the shop's delay clock starts. */
  paidAt?: number;
  /** The delivery's own time (delivery.succeeded.v1 data.deliveredAt), ms: where the delay clock stops. */
  deliveredAt?: number;
  confirmedBy?: string;
  riskApproved?: number;
  stockCommitted?: number;
  delivered?: number;
  notified?: number;
  completed?: number;
  /** Why the order stopped short (escalated, cancelled, rejected…), with the event type that said so. */
  stopped?: string;
  /** The order event that ended the order (completed, escalated to a person, refund requested, cancelled). */
  terminal?: string;
  /** Distinct delivery.succeeded.v1 event ids: more than one means the order was delivered twice. */
  deliveries: Set<string>;
  /** Distinct goods notifications: more than one means the buyer was sent the goods twice. */
  goodsNotifications: Set<string>;
  supplierSwitches: number;
}

/** orders' own events that end an order: nothing more will happen to it without a person. */
const TERMINAL_EVENTS = new Set([
  'order.completed.v1',
  'order.escalated.v1',
  'order.refund-requested.v1',
  'order.cancelled.v1',
]);

const STOPPING_EVENTS = new Set([
  'order.cancelled.v1',
  'order.escalated.v1',
  'risk.rejected.v1',
  'risk.review-required.v1',
  'stock.unavailable.v1',
  'delivery.failed.v1',
  'payment.rejected.v1',
]);

export function emptyMilestones(): OrderMilestones {
  return { deliveries: new Set(), goodsNotifications: new Set(), supplierSwitches: 0 };
}

/** Folds one event into the order's milestones; the first time of each milestone wins (redeliveries repeat). */
export function recordEvent(order: OrderMilestones, event: ObservedEvent): void {
  const first = (
    key:
      | 'placed'
      | 'paymentConfirmed'
      | 'riskApproved'
      | 'stockCommitted'
      | 'delivered'
      | 'notified'
      | 'completed',
  ) => {
    if (order[key] === undefined || event.time < order[key]) order[key] = event.time;
  };
  if (TERMINAL_EVENTS.has(event.type)) order.terminal ??= event.type;
  switch (event.type) {
    case 'order.placed.v1':
      return first('placed');
    case 'payment.confirmed.v1':
      if (order.paymentConfirmed === undefined)
        order.confirmedBy = String(event.data.confirmedBy ?? 'callback');
      order.paidAt ??= dataTime(event.data.paidAt);
      return first('paymentConfirmed');
    case 'risk.approved.v1':
      return first('riskApproved');
    case 'stock.committed.v1':
      return first('stockCommitted');
    case 'delivery.succeeded.v1':
      order.deliveries.add(event.id);
      order.deliveredAt ??= dataTime(event.data.deliveredAt);
      return first('delivered');
    case 'delivery.supplier-switched.v1':
      order.supplierSwitches += 1;
      return;
    case 'notification.sent.v1':
      if (event.data.purpose === 'goods') {
        order.goodsNotifications.add(String(event.data.notificationId ?? event.id));
        first('notified');
      }
      return;
    case 'order.completed.v1':
      return first('completed');
    default:
      if (STOPPING_EVENTS.has(event.type)) order.stopped ??= event.type;
  }
}

function dataTime(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** Milliseconds each stage took, for the stages this order has finished. */
export function stageDurations(order: OrderMilestones): Partial<Record<Stage, number>> {
  const between = (from?: number, to?: number) =>
    from !== undefined && to !== undefined ? Math.max(0, to - from) : undefined;
  const durations: Partial<Record<Stage, number>> = {
    risk: between(order.paymentConfirmed, order.riskApproved),
    // Inventory commits on approval; a payment confirmed before risk approves is measured from approval.
    inventory: between(order.riskApproved, order.stockCommitted),
    delivery: between(order.stockCommitted, order.delivered),
    notification: between(order.delivered, order.notified),
  };
  return Object.fromEntries(Object.entries(durations).filter(([, ms]) => ms !== undefined));
}

/** Payment accepted (the callback or the active query) → the buyer has the goods in the inbox. */
export function paidToNotifiedMs(order: OrderMilestones): number | undefined {
  return order.paymentConfirmed !== undefined && order.notified !== undefined
    ? Math.max(0, order.notified - order.paymentConfirmed)
    : undefined;
}

/** Paid, yet neither the goods reached the buyer nor did the order end visibly: the promise not kept. */
export function paidNotCompleted(order: OrderMilestones | undefined, buyerPaid: boolean): boolean {
  const paid = order?.paymentConfirmed !== undefined || buyerPaid;
  return paid && order?.notified === undefined && order?.terminal === undefined;
}

export type OrderOutcome = 'completed' | 'stopped' | 'in-flight' | 'unpaid';

/** Where a driven order stands: done, stopped visibly (escalated, rejected…), still moving, or never paid. */
export function outcomeOf(order: OrderMilestones | undefined): OrderOutcome {
  if (!order || order.paymentConfirmed === undefined) return order?.stopped ? 'stopped' : 'unpaid';
  if (order.notified !== undefined) return 'completed';
  return order.stopped ? 'stopped' : 'in-flight';
}
