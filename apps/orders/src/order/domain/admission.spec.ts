import { type AdmissionPolicy, decideAdmission, retryAfterSeconds } from './admission';

const policy: AdmissionPolicy = { maxBacklog: 100, minRetryAfterSeconds: 1, maxRetryAfterSeconds: 30 };

describe('admission at checkout', () => {
  it('admits up to and including the bound, sheds one past it', () => {
    expect(decideAdmission(policy, { backlog: 100, completedPerSecond: 10 })).toEqual({ admit: true });
    expect(decideAdmission(policy, { backlog: 101, completedPerSecond: 10 })).toEqual({
      admit: false,
      retryAfterSeconds: 11,
      backlog: 101,
      maxBacklog: 100,
    });
  });

  it('never sheds without a bound, however large the backlog', () => {
    const open = { ...policy, maxBacklog: undefined };
    expect(decideAdmission(open, { backlog: 1e9, completedPerSecond: 0 })).toEqual({ admit: true });
  });

  it('asks the buyer back after the backlog at the recent completion rate has drained, rounded up', () => {
    expect(retryAfterSeconds(policy, { backlog: 150, completedPerSecond: 20 })).toBe(8);
    expect(retryAfterSeconds(policy, { backlog: 150, completedPerSecond: 50 })).toBe(3);
  });

  it('keeps Retry-After within its bounds: at least the minimum, at most the maximum', () => {
    expect(retryAfterSeconds(policy, { backlog: 101, completedPerSecond: 1000 })).toBe(1);
    expect(retryAfterSeconds(policy, { backlog: 5000, completedPerSecond: 2 })).toBe(30);
    expect(
      retryAfterSeconds({ ...policy, minRetryAfterSeconds: 5 }, { backlog: 101, completedPerSecond: 1000 }),
    ).toBe(5);
  });

  it('answers the longest wait when nothing completed recently (no honest estimate)', () => {
    expect(retryAfterSeconds(policy, { backlog: 101, completedPerSecond: 0 })).toBe(30);
  });
});
