import { type OrderEvent } from './order.events';
import { type OrderView, type StageName } from './order-view';

export interface StageObservations {
  /** Stages the new events finished successfully, with the time spent in each (entered → left). */
  stages: Array<{ stage: StageName; seconds: number }>;
  /** Set when the new events delivered the order: paid → delivered. */
  paidToDeliveredSeconds?: number;
}

/** The stage each fact finishes, when it finishes one (the timeline in order-view.ts says the same). */
function finishedStage(event: OrderEvent): StageName | undefined {
  switch (event.type) {
    case 'PaymentConfirmed':
      return 'payment';
    case 'StockReserved':
      return 'stock-reservation';
    case 'RiskApproved':
      return 'risk';
    case 'StockCommitted':
      return 'stock-commit';
    case 'Delivered':
      return 'delivery';
    case 'BuyerNotified':
      return event.data.purpose === 'goods' ? 'notification' : undefined;
    default:
      return undefined;
  }
}

/**
 * What the metrics learn from events just appended to an order, read from the order's view after them.
 * Only newly appended events count: the decider never appends a fact the order already knows, so each
 * stage of each order is observed once, however often its fact is redelivered or replayed.
 */
export function stageObservations(newEvents: readonly OrderEvent[], view: OrderView): StageObservations {
  const stages: StageObservations['stages'] = [];
  for (const event of newEvents) {
    const stage = finishedStage(event);
    if (!stage) continue;
    const entry = view.stages.find((s) => s.stage === stage);
    if (entry?.status === 'done' && entry.durationMs !== undefined) {
      stages.push({ stage, seconds: entry.durationMs / 1000 });
    }
  }
  const delivered = newEvents.find((e) => e.type === 'Delivered');
  if (!delivered || !view.paidAt) return { stages };
  const seconds = Math.max(0, Date.parse(delivered.data.at) - Date.parse(view.paidAt)) / 1000;
  return { stages, paidToDeliveredSeconds: seconds };
}
