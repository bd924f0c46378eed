import {
  emptyMilestones,
  type ObservedEvent,
  outcomeOf,
  paidToNotifiedMs,
  recordEvent,
  stageDurations,
} from './order-milestones';

const at = (
  type: string,
  time: number,
  data: Record<string, unknown> = {},
  id = `${type}@${time}`,
): ObservedEvent => ({
  id,
  type,
  time,
  data,
});

describe('order milestones', () => {
  it('given a full happy path, when folded, then every stage is timed from the previous milestone', () => {
    const order = emptyMilestones();
    for (const event of [
      at('order.placed.v1', 1000),
      at('payment.confirmed.v1', 1500, { confirmedBy: 'callback' }),
      at('risk.approved.v1', 1520),
      at('stock.committed.v1', 1560),
      at('delivery.succeeded.v1', 1700),
      at('notification.sent.v1', 1800, { purpose: 'goods', notificationId: 'n1' }),
    ])
      recordEvent(order, event);
    expect(stageDurations(order)).toEqual({ risk: 20, inventory: 40, delivery: 140, notification: 100 });
    expect(paidToNotifiedMs(order)).toBe(300);
    expect(outcomeOf(order)).toBe('completed');
  });

  it('given the same delivery event twice (an outbox republish), then it counts as one delivery', () => {
    const order = emptyMilestones();
    recordEvent(order, at('delivery.succeeded.v1', 10, {}, 'd1'));
    recordEvent(order, at('delivery.succeeded.v1', 10, {}, 'd1'));
    expect(order.deliveries.size).toBe(1);
  });

  it('given two distinct deliveries, then the order was delivered twice', () => {
    const order = emptyMilestones();
    recordEvent(order, at('delivery.succeeded.v1', 10, {}, 'd1'));
    recordEvent(order, at('delivery.succeeded.v1', 20, {}, 'd2'));
    expect(order.deliveries.size).toBe(2);
    expect(order.delivered).toBe(10);
  });

  it('given a status update email, then the buyer is not counted as notified of the goods', () => {
    const order = emptyMilestones();
    recordEvent(order, at('payment.confirmed.v1', 1));
    recordEvent(order, at('notification.sent.v1', 5, { purpose: 'status-update', notificationId: 'n1' }));
    expect(order.notified).toBeUndefined();
    expect(outcomeOf(order)).toBe('in-flight');
  });

  it('given an escalation after payment, then the order stopped visibly rather than being lost', () => {
    const order = emptyMilestones();
    recordEvent(order, at('payment.confirmed.v1', 1, { confirmedBy: 'active-query' }));
    recordEvent(order, at('order.escalated.v1', 9));
    expect(order.confirmedBy).toBe('active-query');
    expect(outcomeOf(order)).toBe('stopped');
  });

  it('given nothing was seen, then the order is unpaid', () => {
    expect(outcomeOf(undefined)).toBe('unpaid');
  });
});
