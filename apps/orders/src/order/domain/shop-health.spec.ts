import { alertConditions } from './shop-health';

const limits = { tier2MinOrders: 5, maxDelayRate: 0.02, maxAverageDeliverySeconds: 180 };
const active = (sample: Parameters<typeof alertConditions>[0]) =>
  alertConditions(sample, limits)
    .filter((c) => c.active)
    .map((c) => c.alertKey);

describe('shop health alerts', () => {
  it('raises tier 2 only when MORE than the configured number of orders are late', () => {
    expect(active({ lateTier2: 5, paidInWindow: 1000, lateInWindow: 0 })).toEqual([]);
    expect(active({ lateTier2: 6, paidInWindow: 1000, lateInWindow: 0 })).toEqual(['sla.tier2']);
  });

  it('raises the delay rate above 2 % of paid orders in the window', () => {
    expect(active({ lateTier2: 0, paidInWindow: 100, lateInWindow: 2 })).toEqual([]);
    expect(active({ lateTier2: 0, paidInWindow: 100, lateInWindow: 3 })).toEqual(['shop.delay-rate']);
    expect(active({ lateTier2: 0, paidInWindow: 0, lateInWindow: 0 })).toEqual([]);
  });

  it('raises the average paid→delivered time above 3 minutes', () => {
    expect(active({ lateTier2: 0, paidInWindow: 10, lateInWindow: 0, averageDeliverySeconds: 180 })).toEqual(
      [],
    );
    expect(active({ lateTier2: 0, paidInWindow: 10, lateInWindow: 0, averageDeliverySeconds: 181 })).toEqual([
      'shop.average-delivery-time',
    ]);
  });
});
