import { cpuSecondsOf, cpuTicksOfStat } from './process-cpu';

describe('process CPU from /proc', () => {
  it('reads utime + stime, counting fields from the last parenthesis of the command name', () => {
    const stat =
      '4242 (node (orders) x) S 1 4242 4242 0 -1 4194304 9000 0 12 0 1234 567 0 0 20 0 11 0 100 1000000 5000';
    expect(cpuTicksOfStat(stat)).toBe(1234 + 567);
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => cpuTicksOfStat('nonsense')).toThrow(/not a \/proc/);
  });

  it('reads this very process, which has used some CPU, and nothing for a pid that does not exist', () => {
    expect(cpuSecondsOf(process.pid)).toBeGreaterThan(0);
    expect(cpuSecondsOf(2 ** 30)).toBeUndefined();
  });
});
