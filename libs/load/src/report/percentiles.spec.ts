import { percentiles } from './percentiles';

describe('percentiles', () => {
  it('given no samples, then there is nothing to report', () => {
    expect(percentiles([])).toBeUndefined();
  });

  it('given 1..100, then nearest rank gives observed values', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100, count: 100 });
  });

  it('given one slow outlier among few samples, then p99 is that outlier', () => {
    expect(percentiles([5, 5, 5, 900])).toMatchObject({ p50: 5, p99: 900, max: 900 });
  });
});
