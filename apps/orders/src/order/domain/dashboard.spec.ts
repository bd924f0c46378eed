import { delayMap, windowFigures } from './dashboard';

describe('delay map', () => {
  it('given measured stages, when shaped, then every stage is listed in pipeline order and the slowest named', () => {
    const map = delayMap([
      { stage: 'delivery', count: 4, open: 2, p50: 1200.4, p95: 95000, p99: 99000 },
      { stage: 'payment', count: 5, open: 0, p50: 800, p95: 3000, p99: 4000 },
    ]);
    expect(map.stages.map((s) => s.stage)).toEqual([
      'payment',
      'stock-reservation',
      'risk',
      'stock-commit',
      'delivery',
      'notification',
    ]);
    expect(map.stages[4]).toEqual({
      stage: 'delivery',
      count: 4,
      open: 2,
      p50Ms: 1200,
      p95Ms: 95000,
      p99Ms: 99000,
    });
    expect(map.stages[1]).toEqual({
      stage: 'stock-reservation',
      count: 0,
      open: 0,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
    expect(map.slowest).toBe('delivery');
  });

  it('given nothing measured, then no stage is called slowest', () => {
    expect(delayMap([]).slowest).toBeUndefined();
  });
});

describe('window figures', () => {
  it('given no paid orders, then the delay rate is 0 rather than NaN', () => {
    expect(windowFigures(3600, 0, 0, null)).toEqual({
      windowSeconds: 3600,
      paid: 0,
      late: 0,
      delayRate: 0,
      averageDeliverySeconds: null,
    });
  });

  it('given late orders, then the rate is late over paid', () => {
    expect(windowFigures(3600, 8, 2, 12.345).delayRate).toBe(0.25);
    expect(windowFigures(3600, 8, 2, 12.345).averageDeliverySeconds).toBe(12.3);
  });
});
