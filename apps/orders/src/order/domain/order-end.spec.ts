import { orderEndedAt } from './order-end';
import { type OrderView } from './order-view';

const view = (overrides: Partial<OrderView>): OrderView => ({
  orderId: 'o',
  status: 'awaiting-payment',
  sku: 'S',
  quantity: 1,
  total: { amountMinor: 100, currency: 'CNY' },
  buyerEmail: 'b@example.com',
  paymentChannel: 'alipay',
  placedAt: '2026-11-27T00:00:00.000Z',
  expiresAt: '2026-11-27T00:15:00.000Z',
  stages: [],
  version: 1,
  ...overrides,
});

describe('orderEndedAt', () => {
  it('is open while the order is going, escalated included', () => {
    expect(orderEndedAt(view({}))).toBeUndefined();
    expect(orderEndedAt(view({ status: 'escalated', paidAt: '2026-11-27T00:01:00.000Z' }))).toBeUndefined();
  });

  it('ends when the keys were delivered, completed or not', () => {
    const deliveredAt = '2026-11-27T00:02:00.000Z';
    expect(orderEndedAt(view({ status: 'delivered', deliveredAt }))).toBe(deliveredAt);
    expect(
      orderEndedAt(view({ status: 'completed', deliveredAt, completedAt: '2026-11-27T00:03:00.000Z' })),
    ).toBe(deliveredAt);
  });

  it('ends a cancelled order at its last finished stage, or at its payment deadline', () => {
    expect(orderEndedAt(view({ status: 'cancelled' }))).toBe('2026-11-27T00:15:00.000Z');
    const stages = [
      {
        stage: 'payment',
        status: 'failed',
        startedAt: 'x',
        endedAt: '2026-11-27T00:05:00.000Z',
        attempts: 1,
        notes: [],
      },
      {
        stage: 'stock',
        status: 'done',
        startedAt: 'x',
        endedAt: '2026-11-27T00:01:00.000Z',
        attempts: 1,
        notes: [],
      },
    ] as OrderView['stages'];
    expect(orderEndedAt(view({ status: 'cancelled', stages }))).toBe('2026-11-27T00:05:00.000Z');
  });
});
