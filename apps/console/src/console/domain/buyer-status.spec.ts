import { type BuyerOrderView, buyerStatus } from './buyer-status';

const promises = { usualSeconds: 300, escalateSeconds: 1800 };
const PAID = '2026-11-23T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(PAID) + minutes * 60_000);
const view = (overrides: Partial<BuyerOrderView> = {}): BuyerOrderView => ({
  orderId: 'o-1',
  status: 'fulfilling',
  sku: 'STEAM-100',
  quantity: 1,
  total: { amountMinor: 10000, currency: 'CNY' },
  placedAt: PAID,
  paidAt: PAID,
  stages: [
    { stage: 'payment', status: 'done', startedAt: PAID, endedAt: PAID },
    { stage: 'delivery', status: 'waiting', startedAt: PAID },
  ],
  ...overrides,
});
const keys = { delivered: true, deliveredAt: PAID, keys: [{ keyId: 'k1', code: 'AAAA-BBBB' }] };

describe('buyer status', () => {
  it('given a paid order within the usual time, then it promises the usual time in plain words', () => {
    const status = buyerStatus(view(), { delivered: false }, at(1), promises);
    expect(status).toMatchObject({ headline: 'On its way', expectedBy: at(5).toISOString() });
    expect(status.steps).toEqual([
      { label: 'Payment received', state: 'done', at: PAID },
      { label: 'Getting your code', state: 'now', at: PAID },
    ]);
    expect(status.keys).toBeUndefined();
  });

  it('given the usual time passed, then it promises the time a person takes over', () => {
    expect(buyerStatus(view(), undefined, at(7), promises)).toMatchObject({
      headline: 'Taking longer than usual',
      expectedBy: at(30).toISOString(),
    });
  });

  it('given even that passed, then it promises no time and says a person is on it', () => {
    const status = buyerStatus(view(), undefined, at(31), promises);
    expect(status.expectedBy).toBeUndefined();
    expect(status.headline).toMatch(/person is on it/);
  });

  it('given delivery has keys, then they are shown only once orders agrees the order is delivered', () => {
    expect(buyerStatus(view({ status: 'completed' }), keys, at(2), promises).keys).toEqual(keys.keys);
    expect(buyerStatus(view({ status: 'fulfilling' }), keys, at(2), promises).keys).toBeUndefined();
    expect(
      buyerStatus(view({ status: 'completed' }), { delivered: false }, at(2), promises).keys,
    ).toBeUndefined();
  });

  it('given an unpaid order, then it says until when to pay and promises nothing', () => {
    const status = buyerStatus(
      view({ status: 'awaiting-payment', paidAt: undefined, expiresAt: at(15).toISOString() }),
      undefined,
      at(1),
      promises,
    );
    expect(status.expectedBy).toBeUndefined();
    expect(status.note).toContain(at(15).toISOString());
  });
});
