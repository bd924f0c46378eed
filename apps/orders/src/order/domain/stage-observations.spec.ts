import { type OrderEvent } from './order.events';
import { buildOrderView } from './order-view';
import { stageObservations } from './stage-observations';

const orderId = '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10';
const total = { amountMinor: 5000, currency: 'CNY' };
const at = (minute: number, second = 0) =>
  `2026-11-23T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

const history: OrderEvent[] = [
  {
    type: 'OrderPlaced',
    data: {
      orderId,
      sku: 'STEAM-50',
      quantity: 1,
      total,
      buyer: { email: 'buyer@example.com' },
      paymentChannel: 'alipay',
      placedAt: at(0),
      expiresAt: at(15),
    },
  },
  { type: 'StockReserved', data: { reservationId: 'r1', source: 'pool', expiresAt: at(15), at: at(0, 1) } },
  {
    type: 'PaymentConfirmed',
    data: { paymentId: 'p1', provider: 'alipay', amount: total, paidAt: at(2), at: at(2, 1) },
  },
  { type: 'RiskApproved', data: { mode: 'pass-first', at: at(2, 3) } },
  { type: 'StockCommitted', data: { source: 'pool', at: at(2, 6) } },
  { type: 'Delivered', data: { servedBy: 'pool', attempts: 1, at: at(2, 10) } },
  { type: 'BuyerNotified', data: { channel: 'email', purpose: 'goods', late: false, at: at(2, 15) } },
  { type: 'OrderCompleted', data: { orderId, completedAt: at(2, 15) } },
];

/** Observations when the events from `from` on are the ones just appended. */
const observedWhenAppending = (from: number, to = history.length) =>
  stageObservations(history.slice(from, to), buildOrderView(history.slice(0, to))!);

describe('stage observations (what the per-stage histograms record)', () => {
  it('gives each finished stage its time from entering to leaving, once, as its fact is appended', () => {
    const observed = [1, 2, 3, 4, 5, 6].flatMap((i) => observedWhenAppending(i, i + 1).stages);
    expect(observed).toEqual([
      { stage: 'stock-reservation', seconds: 1 },
      { stage: 'payment', seconds: 120 },
      { stage: 'risk', seconds: 2 },
      { stage: 'stock-commit', seconds: 3 },
      { stage: 'delivery', seconds: 4 },
      { stage: 'notification', seconds: 5 },
    ]);
  });

  it('measures paid → delivered from the payment time to the delivery, only when the delivery is new', () => {
    expect(observedWhenAppending(5, 6).paidToDeliveredSeconds).toBe(10);
    expect(observedWhenAppending(6).paidToDeliveredSeconds).toBeUndefined();
    expect(observedWhenAppending(2, 5).paidToDeliveredSeconds).toBeUndefined();
  });

  it('observes nothing when nothing new was appended (a redelivered fact)', () => {
    expect(observedWhenAppending(history.length)).toEqual({ stages: [] });
  });

  it('does not count a status update to the buyer as the notification stage', () => {
    const update: OrderEvent = {
      type: 'BuyerNotified',
      data: { channel: 'email', purpose: 'status', late: true, at: at(5) },
    };
    const events = [...history.slice(0, 5), update];
    expect(stageObservations([update], buildOrderView(events)!)).toEqual({ stages: [] });
  });
});
