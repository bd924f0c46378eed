import { afterFailedAttempt } from './attempt-policy';
import { countsAgainstBreaker, kindOfStatus, SupplierFailure } from './supplier-failure';

describe('retry classification', () => {
  it('retries 5xx, 429 and 408 but not other 4xx', () => {
    expect([500, 502, 503, 504, 429, 408].map(kindOfStatus)).toEqual(Array(6).fill('retryable'));
    expect([400, 401, 404, 409, 422].map(kindOfStatus)).toEqual(Array(5).fill('rejected'));
  });

  it('keeps refusals for good out of the breaker’s failure count', () => {
    expect(countsAgainstBreaker(new SupplierFailure('rejected', 'p', 'HTTP 422'))).toBe(false);
    expect(countsAgainstBreaker(new SupplierFailure('retryable', 'p', 'HTTP 503'))).toBe(true);
    expect(countsAgainstBreaker(new SupplierFailure('unknown-outcome', 'p', 'timeout'))).toBe(true);
  });
});

describe('after a failed attempt', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60000 };
  const now = new Date('2025-01-01T00:00:00.000Z');

  it('schedules the next attempt with backoff until the limit, then gives up', () => {
    expect(afterFailedAttempt(1, policy, now, () => 1)).toEqual({
      kind: 'retry',
      nextAttemptAt: '2025-01-01T00:00:01.000Z',
    });
    expect(afterFailedAttempt(2, policy, now, () => 1)).toEqual({
      kind: 'retry',
      nextAttemptAt: '2025-01-01T00:00:02.000Z',
    });
    expect(afterFailedAttempt(3, policy, now)).toEqual({ kind: 'give-up' });
  });
});
