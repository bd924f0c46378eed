import { FailureLimiter } from './failure-limiter';

describe('FailureLimiter', () => {
  it('blocks a client once it reaches the limit, until its window ends', () => {
    const limiter = new FailureLimiter(3, 60_000);
    for (let i = 0; i < 2; i++) limiter.fail('a', 1000);
    expect(limiter.blockedForMs('a', 1000)).toBeUndefined();
    limiter.fail('a', 1000);
    expect(limiter.blockedForMs('a', 11_000)).toBe(50_000);
    expect(limiter.blockedForMs('a', 61_000)).toBeUndefined();
  });

  it("never blocks another client for one client's failures", () => {
    const limiter = new FailureLimiter(1, 60_000);
    limiter.fail('guesser', 0);
    expect(limiter.blockedForMs('guesser', 1)).toBeGreaterThan(0);
    expect(limiter.blockedForMs('holder', 1)).toBeUndefined();
  });

  it('starts a fresh window after the old one ended', () => {
    const limiter = new FailureLimiter(2, 1000);
    limiter.fail('a', 0);
    limiter.fail('a', 1500);
    expect(limiter.blockedForMs('a', 1500)).toBeUndefined();
  });

  it('keeps at most maxClients windows, dropping expired ones first, then the oldest', () => {
    const limiter = new FailureLimiter(1, 1000, 2);
    limiter.fail('old', 0);
    limiter.fail('b', 500);
    limiter.fail('c', 1200); // 'old' expired at 1000: dropped, 'b' stays
    expect(limiter.blockedForMs('b', 1300)).toBeGreaterThan(0);
    limiter.fail('d', 1300); // full of live windows: the oldest ('b') goes
    expect(limiter.blockedForMs('b', 1300)).toBeUndefined();
    expect(limiter.blockedForMs('c', 1300)).toBeGreaterThan(0);
    expect(limiter.blockedForMs('d', 1300)).toBeGreaterThan(0);
  });
});
