import { type Arrival, arrivalWindows, sustainedRate } from './sustained-rate';

/** `perSecond` arrivals a second for `seconds`, from `from` ms, each completed after `lagMs` (or never). */
function arrivals(from: number, seconds: number, perSecond: number, lagMs?: number): Arrival[] {
  return Array.from({ length: seconds * perSecond }, (_, i) => {
    const arrivedAt = from + (i * 1000) / perSecond;
    return { arrivedAt, ...(lagMs === undefined ? {} : { completedAt: arrivedAt + lagMs }) };
  });
}

describe('sustained rate', () => {
  it('is the highest arrival rate of the windows that kept up before the first that did not', () => {
    const ramp = [
      ...arrivals(0, 5, 10, 500),
      ...arrivals(5000, 5, 20, 800),
      ...arrivals(10_000, 5, 40, 30_000), // completions fell behind: lag beyond 10 s
      ...arrivals(15_000, 5, 50, 500), // a lucky window afterwards does not count
      ...arrivals(20_000, 1, 1, 500),
    ];
    expect(sustainedRate(ramp)).toBe(20);
  });

  it('keeps up with up to 5 % of a window failing, not more', () => {
    const window = (failed: number) =>
      arrivals(0, 5, 20, 500).map((a, i) => (i < failed ? { arrivedAt: a.arrivedAt } : a));
    const tail = arrivals(5000, 5, 1, 500);
    expect(sustainedRate([...window(5), ...tail])).toBe(20);
    expect(sustainedRate([...window(6), ...tail])).toBe(0);
  });

  it('leaves out a trailing partial window, and answers 0 for no arrivals', () => {
    expect(sustainedRate([...arrivals(0, 5, 10, 100), ...arrivals(5000, 2, 100, 100)])).toBe(10);
    expect(sustainedRate([])).toBe(0);
  });

  it('shows the windows it judged: arrivals per second and how many kept up', () => {
    const run = [
      ...arrivals(0, 5, 10, 500),
      ...arrivals(5000, 5, 20, 30_000),
      ...arrivals(10_000, 1, 1, 500),
    ];
    expect(arrivalWindows(run)).toEqual([
      { from_s: 0, arrived: 50, arrived_per_s: 10, kept: 50 },
      { from_s: 5, arrived: 100, arrived_per_s: 20, kept: 0 },
    ]);
  });
});
