import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 1000 };

  it('doubles the ceiling per retry up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 10].map((retry) => backoffDelay(retry, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('jitters within the upper half of the ceiling, never retrying at once', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
  });

  it('spreads a crowd of retries instead of sending them back together', () => {
    const delays = new Set(Array.from({ length: 200 }, () => backoffDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(50);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });

  it('stays finite and capped for absurd retry counts and treats retry 0 as the first', () => {
    expect(backoffDelay(1e9, policy, () => 1)).toBe(1000);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
  });
});
