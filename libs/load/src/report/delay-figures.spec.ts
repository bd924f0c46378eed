import { emptyMilestones, type OrderMilestones } from '../observe/order-milestones';
import { delayAgreement, formatDelayComparison, measureDelay } from './delay-figures';

const order = (paidAt?: number, deliveredAt?: number, terminal?: string): OrderMilestones => ({
  ...emptyMilestones(),
  paidAt,
  deliveredAt,
  terminal,
});

describe('delay figures measured by the load', () => {
  const now = 1_000_000;

  it('judges a delivered order by its own delivery time, however long ago it was paid', () => {
    const figures = measureDelay([order(0, 4_000), order(10_000, 16_000)], 300, now);
    expect(figures).toEqual({
      paid: 2,
      late: 0,
      late_after_s: 300,
      delay_rate: 0,
      average_paid_to_delivered_s: 5,
    });
  });

  it('counts late the orders delivered past the threshold and those still waiting past it', () => {
    const figures = measureDelay(
      [
        order(0, 301_000),
        order(now - 400_000),
        order(now - 10_000),
        order(0, undefined, 'order.refund-requested.v1'),
        order(),
      ],
      300,
      now,
    );
    expect(figures).toMatchObject({ paid: 4, late: 2, delay_rate: 0.5, average_paid_to_delivered_s: 301 });
  });

  it('says where the console and the load disagree, and that they agree when they do', () => {
    const measured = measureDelay([order(0, 4_000)], 300, now);
    const shown = { window: { paid: 1, late: 0, delayRate: 0, averageDeliverySeconds: 4 }, alerts: [] };
    expect(delayAgreement(measured, shown)).toEqual([]);
    expect(formatDelayComparison(measured, shown)).toContain('they agree');
    const wrong = { window: { paid: 1, late: 1, delayRate: 1, averageDeliverySeconds: null }, alerts: [] };
    expect(delayAgreement(measured, wrong)).toEqual([
      'late 1 in the console, 0 measured',
      'delay rate 100.0 % in the console, 0.0 % measured',
      'average – in the console, 4.0 s measured',
    ]);
  });
});
