import { sessionExpiry } from './stripe-provider.client';

describe('Stripe Checkout session expiry', () => {
  const now = 1_900_000_000;

  it('is the end of the payment window when Stripe accepts it', () => {
    expect(sessionExpiry(now + 3600, now)).toBe(now + 3600);
  });

  it('stretches a window shorter than Stripe’s 30 minutes, to the same value for retries a minute apart', () => {
    const first = sessionExpiry(now + 15 * 60, now + 10);
    expect(first - (now + 10)).toBeGreaterThanOrEqual(31 * 60);
    expect(sessionExpiry(now + 15 * 60, now + 70)).toBe(first);
  });

  it('cuts a window longer than Stripe’s 24 hours', () => {
    expect(sessionExpiry(now + 48 * 3600, now) - now).toBeLessThanOrEqual(23 * 3600);
  });
});
