import { type OrderEvent } from './order.events';
import { evolve, initialState, type OrderState, type OrderStatus } from './order.state';

export const STAGES = [
  'payment',
  'stock-reservation',
  'risk',
  'stock-commit',
  'delivery',
  'notification',
] as const;
export type StageName = (typeof STAGES)[number];

export interface StageEntry {
  stage: StageName;
  status: 'waiting' | 'done' | 'failed';
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  /** The provider, supplier or channel that served the stage. */
  servedBy?: string;
  attempts: number;
  notes: string[];
}

/** The read model of one order: its status, stage timeline and what it is waiting for right now. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  sku: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  buyerEmail: string;
  paymentChannel: string;
  placedAt: string;
  expiresAt: string;
  paidAt?: string;
  deliveredAt?: string;
  completedAt?: string;
  currentStage?: StageName;
  waitingReason?: string;
  waitingSince?: string;
  stages: StageEntry[];
  version: number;
}

/** Folds an order's events into its view. Pure, so a rebuild from the stream gives the same result. */
export function buildOrderView(events: OrderEvent[]): OrderView | undefined {
  const first = events[0];
  if (!first || first.type !== 'OrderPlaced') return undefined;
  const placed = first.data;
  const view: OrderView = {
    orderId: placed.orderId,
    status: 'awaiting-payment',
    sku: placed.sku,
    quantity: placed.quantity,
    total: placed.total,
    buyerEmail: placed.buyer.email,
    paymentChannel: placed.paymentChannel,
    placedAt: placed.placedAt,
    expiresAt: placed.expiresAt,
    stages: [],
    version: 0,
  };
  const timeline = new Timeline(view.stages);
  let state: OrderState = initialState();
  let lastSwitch: string | undefined;
  let reviewOverdueSince: string | undefined;
  for (const event of events) {
    state = evolve(state, event);
    view.version += 1;
    switch (event.type) {
      case 'OrderPlaced':
        timeline.start('payment', event.data.placedAt);
        timeline.start('stock-reservation', event.data.placedAt);
        break;
      case 'StockReserved':
        timeline.finish('stock-reservation', event.data.at, 'done');
        break;
      case 'StockUnavailable': {
        const stage = timeline.has('stock-commit') ? 'stock-commit' : 'stock-reservation';
        timeline.finish(stage, event.data.at, 'failed', event.data.reason);
        break;
      }
      case 'PaymentRejected':
        timeline.note('payment', `payment rejected: ${event.data.reason}`, true);
        break;
      case 'PaymentConfirmed':
        timeline.finish('payment', event.data.paidAt, 'done', undefined, event.data.provider);
        view.paidAt = event.data.paidAt;
        timeline.start('risk', event.data.at);
        break;
      case 'RiskReviewRequired':
        timeline.note('risk', `manual review: ${event.data.reason}`);
        break;
      case 'RiskReviewOverdue':
        reviewOverdueSince = event.data.since;
        timeline.note('risk', `review overdue: ${event.data.reason}`);
        break;
      case 'RiskApproved':
        timeline.finish('risk', event.data.at, 'done', undefined, event.data.mode);
        timeline.start('stock-commit', event.data.at);
        break;
      case 'RiskRejected':
        timeline.finish('risk', event.data.at, 'failed', event.data.reason);
        break;
      case 'RiskApprovalReversed':
        timeline.note(
          'risk',
          `audit reversed by ${event.data.by}: ${event.data.reason} (${event.data.outcome === 'refund' ? 'refund requested' : 'delivered keys revoked'})`,
        );
        break;
      case 'StockCommitted':
        timeline.finish('stock-commit', event.data.at, 'done', undefined, event.data.source);
        timeline.start('delivery', event.data.at);
        break;
      case 'DeliveryAttemptFailed':
        timeline.note('delivery', `attempt ${event.data.attempt} failed: ${event.data.reason}`, true);
        break;
      case 'SupplierSwitched':
        lastSwitch = `${event.data.fromSupplier} down, using backup ${event.data.toSupplier}`;
        timeline.note(
          'delivery',
          `switched from ${event.data.fromSupplier} to ${event.data.toSupplier}: ${event.data.reason}`,
        );
        timeline.serve('delivery', event.data.toSupplier);
        break;
      case 'Delivered':
        // The paid → delivered clock stops here: the delay rate, late count and average read this column.
        view.deliveredAt = event.data.at;
        timeline.finish(
          'delivery',
          event.data.at,
          'done',
          undefined,
          event.data.servedBy,
          event.data.attempts,
        );
        timeline.start('notification', event.data.at);
        break;
      case 'DeliveryFailed':
        timeline.finish(
          'delivery',
          event.data.at,
          'failed',
          event.data.reason,
          undefined,
          event.data.attempts,
        );
        break;
      case 'BuyerNotified':
        if (event.data.purpose === 'goods') {
          timeline.finish(
            'notification',
            event.data.at,
            'done',
            event.data.late ? 'sent late, and said so' : undefined,
            event.data.channel,
          );
        } else {
          timeline.note(
            timeline.current() ?? 'payment',
            `buyer told (${event.data.purpose}) by ${event.data.channel}`,
          );
        }
        break;
      case 'NotificationFailed':
        timeline.note('notification', `${event.data.channel} failed: ${event.data.reason}`, true);
        break;
      case 'OrderCompleted':
        view.completedAt = event.data.completedAt;
        break;
      case 'OrderDelayed':
        timeline.note(
          timeline.current() ?? 'payment',
          `late (SLA tier ${event.data.tier}): the buyer was told`,
        );
        break;
      case 'OrderCancelled':
      case 'OrderEscalated':
      case 'OrderRefundRequested':
        break;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }
  view.status = state.status;
  const waiting = waitingReason(state, lastSwitch, reviewOverdueSince);
  view.currentStage = timeline.current();
  if (waiting) {
    view.waitingReason = waiting;
    view.waitingSince = lastEventTime(events) ?? view.placedAt;
    const open = view.stages.filter((s) => s.status === 'waiting');
    if (open.length > 0) view.waitingSince = open.map((s) => s.startedAt).sort()[0];
  }
  return view;
}

/** Operators' words for what the order waits for; undefined when it waits for nothing. */
function waitingReason(
  state: OrderState,
  lastSwitch: string | undefined,
  reviewOverdueSince?: string,
): string | undefined {
  switch (state.status) {
    case 'none':
    case 'completed':
      return undefined;
    case 'awaiting-payment':
      return state.lastPaymentRejection
        ? `waiting for payment (last attempt rejected: ${state.lastPaymentRejection})`
        : 'waiting for payment callback';
    case 'paid':
      return 'waiting for risk assessment';
    case 'in-review':
      return reviewOverdueSince
        ? `in manual risk review, overdue (waiting since ${reviewOverdueSince})`
        : 'in manual risk review';
    case 'approved':
      return 'waiting for stock to be committed';
    case 'fulfilling':
      if (lastSwitch) return `primary supplier ${lastSwitch}`;
      return state.deliveryAttempts > 0
        ? `delivery attempt ${state.deliveryAttempts} failed, retrying`
        : 'delivering';
    case 'delivered':
      return 'sending the goods to the buyer';
    case 'cancelled':
      return undefined;
    case 'escalated':
      return `escalated to a person (${state.action}): ${state.reason}`;
    case 'refund-requested':
      return `refund requested: ${state.reason}`;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

function lastEventTime(events: OrderEvent[]): string | undefined {
  const last = events[events.length - 1]?.data as { at?: string } | undefined;
  return last?.at;
}

class Timeline {
  constructor(private readonly stages: StageEntry[]) {}

  has(stage: StageName): boolean {
    return this.stages.some((s) => s.stage === stage);
  }

  start(stage: StageName, at: string): void {
    if (!this.has(stage))
      this.stages.push({ stage, status: 'waiting', startedAt: at, attempts: 0, notes: [] });
  }

  finish(
    stage: StageName,
    at: string,
    status: 'done' | 'failed',
    note?: string,
    servedBy?: string,
    attempts?: number,
  ): void {
    this.start(stage, at);
    const entry = this.get(stage);
    entry.status = status;
    entry.endedAt = at;
    entry.durationMs = Math.max(0, Date.parse(at) - Date.parse(entry.startedAt));
    if (note) entry.notes.push(note);
    if (servedBy) entry.servedBy = servedBy;
    entry.attempts = attempts ?? Math.max(1, entry.attempts + (status === 'done' ? 1 : 0));
  }

  note(stage: StageName, note: string, countsAsAttempt = false): void {
    if (!this.has(stage)) return;
    const entry = this.get(stage);
    entry.notes.push(note);
    if (countsAsAttempt) entry.attempts += 1;
  }

  serve(stage: StageName, by: string): void {
    if (this.has(stage)) this.get(stage).servedBy = by;
  }

  current(): StageName | undefined {
    const waiting = this.stages.filter((s) => s.status === 'waiting');
    return waiting[waiting.length - 1]?.stage;
  }

  private get(stage: StageName): StageEntry {
    return this.stages.find((s) => s.stage === stage)!;
  }
}
