import type { DrivenOrder } from '../driver/order-driver';
import { emptyMilestones, type OrderMilestones, recordEvent } from '../observe/order-milestones';
import { peakRate, stillMoving, summarize } from './load-summary';

function milestones(events: Array<[string, number, Record<string, unknown>?, string?]>): OrderMilestones {
  const order = emptyMilestones();
  for (const [type, time, data, id] of events)
    recordEvent(order, { id: id ?? `${type}${time}`, type, time, data: data ?? {} });
  return order;
}

const driven = (orderId: string, extra: Partial<DrivenOrder> = {}): DrivenOrder => ({
  orderId,
  sku: 'STEAM-100',
  checkoutAt: 0,
  placedAt: 1,
  paidAt: 2,
  ...extra,
});

describe('load summary', () => {
  const done = milestones([
    ['order.placed.v1', 1],
    ['payment.confirmed.v1', 10, { confirmedBy: 'active-query' }],
    ['risk.approved.v1', 12],
    ['stock.committed.v1', 15],
    ['delivery.supplier-switched.v1', 16],
    ['delivery.succeeded.v1', 30],
    ['notification.sent.v1', 40, { purpose: 'goods', notificationId: 'n1' }],
  ]);
  const twice = milestones([
    ['payment.confirmed.v1', 10],
    ['delivery.succeeded.v1', 30, {}, 'a'],
    ['delivery.succeeded.v1', 31, {}, 'b'],
    ['notification.sent.v1', 40, { purpose: 'goods', notificationId: 'n1' }],
    ['notification.sent.v1', 41, { purpose: 'goods', notificationId: 'n2' }],
  ]);
  const stuck = milestones([['payment.confirmed.v1', 10]]);
  const escalated = milestones([
    ['payment.confirmed.v1', 10],
    ['order.escalated.v1', 99],
  ]);
  const observed = new Map([
    ['done', done],
    ['twice', twice],
    ['stuck', stuck],
    ['escalated', escalated],
  ]);
  const orders = [
    driven('done'),
    driven('twice'),
    driven('stuck'),
    driven('escalated'),
    driven('never-confirmed'),
    { sku: 'STEAM-100', checkoutAt: 0, error: 'checkout HTTP 503: down' },
  ];

  it('given buyers and what the topics said, then lost, twice, stopped and recovered are counted apart', () => {
    const summary = summarize(orders, (id) => observed.get(id));
    expect(summary).toMatchObject({
      orders: 6,
      placed: 5,
      paid: 4,
      completed: 2,
      stopped: { 'order.escalated.v1': 1 },
      lost: 2,
      duplicated: 1,
      duplicate_goods_emails: 1,
      supplier_switches: 1,
      callbacks_recovered_by_active_query: 1,
      buyer_errors: 1,
    });
    expect(summary.lost_order_ids.sort()).toEqual(['never-confirmed', 'stuck']);
    expect(summary.e2e_ms).toMatchObject({ p50: 30, max: 30, count: 2 });
    expect(summary.stages_ms.delivery).toMatchObject({ p50: 15, count: 1 });
  });

  it('given buyers shed at checkout, then those who gave up count as shed, not as buyer errors or lost', () => {
    const withShed = [
      ...orders,
      { sku: 'STEAM-100', checkoutAt: 0, shedRetries: 3, gaveUpShed: true },
      driven('done', { shedRetries: 1 }), // shed once, got in on the next try
    ];
    const summary = summarize(withShed, (id) => observed.get(id));
    expect(summary).toMatchObject({ shed: 1, shed_responses: 5, buyer_errors: 1, lost: 2, placed: 6 });
  });

  it('given paid orders, then those neither completed nor ended visibly are paid_not_completed', () => {
    // stuck: confirmed, nothing since; never-confirmed: the buyer paid, the pipeline never said so.
    // escalated is ended (a person has it); done and twice reached their buyers.
    expect(summarize(orders, (id) => observed.get(id)).paid_not_completed).toBe(2);
    const ended = new Map([
      ...observed,
      [
        'stuck',
        milestones([
          ['payment.confirmed.v1', 10],
          ['order.refund-requested.v1', 50],
        ]),
      ],
    ]);
    expect(summarize(orders, (id) => ended.get(id)).paid_not_completed).toBe(1);
  });

  it('given paid orders still on their way, then the run keeps waiting for them', () => {
    expect(stillMoving(orders, (id) => observed.get(id))).toBe(2);
  });
});

describe('peak rate', () => {
  it('given a burst inside a quiet run, then the burst sets the peak', () => {
    const times = [0, 6000, 6100, 6200, 6300, 6400, 20000];
    expect(peakRate(times, 5000)).toBe(1);
    expect(peakRate([0, 1000, 2000, 3000, 4000, 4999, 5000], 5000)).toBe(1.2);
    expect(peakRate([], 5000)).toBe(0);
  });
});
