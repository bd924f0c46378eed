import { type OrderView } from './order-view';

/**
 * When the order ended for its buyer, which starts the clock on their link: delivered (the keys are out)
 * or cancelled. Other orders are still going (escalated ones wait for a person), so their links stay open.
 * A cancellation has no time of its own in the view: its last finished stage, else the payment deadline.
 */
export function orderEndedAt(view: OrderView): string | undefined {
  if (view.deliveredAt || view.completedAt) return view.deliveredAt ?? view.completedAt;
  if (view.status !== 'cancelled') return undefined;
  const ends = view.stages.map((stage) => stage.endedAt).filter((at): at is string => Boolean(at));
  return ends.sort().at(-1) ?? view.expiresAt;
}
