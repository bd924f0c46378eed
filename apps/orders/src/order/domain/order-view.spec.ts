import { type OrderEvent } from './order.events';
import { buildOrderView } from './order-view';

const orderId = '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10';
const total = { amountMinor: 5000, currency: 'CNY' };
const at = (minute: number, second = 0) =>
  `2026-11-23T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

const placed: OrderEvent = {
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
};
const untilCommitted: OrderEvent[] = [
  placed,
  {
    type: 'StockReserved',
    data: { reservationId: 'r1', source: 'supplier', expiresAt: at(15), at: at(0, 1) },
  },
  {
    type: 'PaymentConfirmed',
    data: { paymentId: 'p1', provider: 'alipay', amount: total, paidAt: at(2), at: at(2) },
  },
  { type: 'RiskApproved', data: { mode: 'pass-first', at: at(2, 1) } },
  { type: 'StockCommitted', data: { source: 'supplier', at: at(2, 2) } },
];

describe('order view (status and stage timeline)', () => {
  it('times each stage from its start to its end and says who served it', () => {
    const view = buildOrderView([
      ...untilCommitted,
      { type: 'Delivered', data: { servedBy: 'supplier-a', attempts: 1, at: at(2, 5) } },
      { type: 'BuyerNotified', data: { channel: 'email', purpose: 'goods', late: false, at: at(2, 6) } },
      { type: 'OrderCompleted', data: { orderId, completedAt: at(2, 6) } },
    ])!;
    expect(view.status).toBe('completed');
    expect(view.waitingReason).toBeUndefined();
    expect(view.stages.map((s) => [s.stage, s.status, s.durationMs, s.servedBy])).toEqual([
      ['payment', 'done', 120_000, 'alipay'],
      ['stock-reservation', 'done', 1000, undefined],
      ['risk', 'done', 1000, 'pass-first'],
      ['stock-commit', 'done', 1000, 'supplier'],
      ['delivery', 'done', 3000, 'supplier-a'],
      ['notification', 'done', 1000, 'email'],
    ]);
    expect(view.completedAt).toBe(at(2, 6));
    // The paid → delivered clock: paid at 10:02:00, delivered at 10:02:05 (the delay rate reads these two).
    expect([view.paidAt, view.deliveredAt]).toEqual([at(2), at(2, 5)]);
  });

  it('has no delivery time while the order is undelivered', () => {
    expect(buildOrderView(untilCommitted)!.deliveredAt).toBeUndefined();
  });

  it('shows every stage done when the delivery was recorded before the stock commit it followed', () => {
    const [commit, ...untilApproved] = [untilCommitted[4]!, ...untilCommitted.slice(0, 4)];
    const view = buildOrderView([
      ...untilApproved,
      { type: 'Delivered', data: { servedBy: 'supplier-a', attempts: 1, at: at(2, 5) } },
      { type: 'BuyerNotified', data: { channel: 'email', purpose: 'goods', late: false, at: at(2, 6) } },
      { type: 'OrderCompleted', data: { orderId, completedAt: at(2, 6) } },
      commit,
    ])!;
    expect(view.status).toBe('completed');
    expect(view.currentStage).toBeUndefined();
    expect(view.stages.map((s) => [s.stage, s.status])).toEqual([
      ['payment', 'done'],
      ['stock-reservation', 'done'],
      ['risk', 'done'],
      ['stock-commit', 'done'],
      ['delivery', 'done'],
      ['notification', 'done'],
    ]);
  });

  it('says the order waits for the payment callback until it is paid', () => {
    const view = buildOrderView([placed])!;
    expect(view).toMatchObject({
      status: 'awaiting-payment',
      waitingReason: 'waiting for payment callback',
      waitingSince: at(0),
    });
  });

  it('explains a delivery running on the backup supplier, with retries counted', () => {
    const view = buildOrderView([
      ...untilCommitted,
      { type: 'DeliveryAttemptFailed', data: { attempt: 1, reason: 'timeout', at: at(3) } },
      {
        type: 'SupplierSwitched',
        data: { fromSupplier: 'supplier-a', toSupplier: 'supplier-b', reason: 'breaker open', at: at(3, 1) },
      },
    ])!;
    expect(view.currentStage).toBe('delivery');
    expect(view.waitingReason).toBe('primary supplier supplier-a down, using backup supplier-b');
    const delivery = view.stages.find((s) => s.stage === 'delivery')!;
    expect(delivery).toMatchObject({ status: 'waiting', servedBy: 'supplier-b', attempts: 1 });
    expect(view.waitingSince).toBe(at(2, 2));
  });

  it('shows a manual risk review as the waiting reason', () => {
    const view = buildOrderView([
      placed,
      {
        type: 'PaymentConfirmed',
        data: { paymentId: 'p1', provider: 'alipay', amount: total, paidAt: at(1), at: at(1) },
      },
      { type: 'RiskReviewRequired', data: { reason: 'amount over 500', at: at(1, 1) } },
    ])!;
    expect(view).toMatchObject({
      status: 'in-review',
      waitingReason: 'in manual risk review',
      currentStage: 'risk',
    });
  });

  it('has no view without the OrderPlaced that starts a stream', () => {
    expect(buildOrderView([])).toBeUndefined();
  });
});
