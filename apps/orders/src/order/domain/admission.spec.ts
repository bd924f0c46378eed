import { type AdmissionPolicy, decideAdmission, effectiveBound, retryAfterSeconds } from './admission';

const policy: AdmissionPolicy = {
  maxBacklog: 100,
  minBacklog: 0,
  minRetryAfterSeconds: 1,
  maxRetryAfterSeconds: 30,
};

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

  describe('with a drain-time bound', () => {
    const timed: AdmissionPolicy = { ...policy, maxBacklog: 2000, maxDrainSeconds: 20, minBacklog: 50 };

    it('at the start of a peak, judges by the capacity shown lately, not the quiet recent window', () => {
      // The last 10 s held the quiet before the peak (1/s), but the pipeline finished 40/s an hour ago.
      const start = { backlog: 500, completedPerSecond: 1 };
      expect(decideAdmission(timed, start)).toMatchObject({ admit: false, maxBacklog: 50 });
      expect(decideAdmission(timed, { ...start, capacityPerSecond: 40 })).toEqual({ admit: true });
      expect(effectiveBound(timed, { ...start, capacityPerSecond: 40 })).toBe(800);
      expect(retryAfterSeconds(timed, { backlog: 900, completedPerSecond: 1, capacityPerSecond: 40 })).toBe(
        23,
      );
    });

    it('uses the recent rate when it is higher than the remembered capacity', () => {
      expect(effectiveBound(timed, { backlog: 0, completedPerSecond: 30, capacityPerSecond: 10 })).toBe(600);
    });

    it('sheds once the backlog needs longer than the bound to drain at the recent rate', () => {
      // 10 orders/s finish: 200 orders are 20 s of work
      expect(decideAdmission(timed, { backlog: 200, completedPerSecond: 10 })).toEqual({ admit: true });
      expect(decideAdmission(timed, { backlog: 201, completedPerSecond: 10 })).toMatchObject({
        admit: false,
        maxBacklog: 200,
        retryAfterSeconds: 21,
      });
    });

    it('never sheds below the floor, even when nothing finished yet (a first burst)', () => {
      expect(decideAdmission(timed, { backlog: 50, completedPerSecond: 0 })).toEqual({ admit: true });
      expect(decideAdmission(timed, { backlog: 51, completedPerSecond: 0 })).toMatchObject({
        admit: false,
        maxBacklog: 50,
      });
    });

    it('never admits past the fixed bound, however fast the pipeline finishes', () => {
      expect(effectiveBound(timed, { backlog: 0, completedPerSecond: 1000 })).toBe(2000);
    });

    it('has no bound when shedding is off', () => {
      expect(effectiveBound({ ...timed, maxBacklog: undefined }, { backlog: 0, completedPerSecond: 1 })).toBe(
        undefined,
      );
    });
  });
});
