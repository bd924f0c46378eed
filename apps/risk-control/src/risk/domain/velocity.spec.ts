import { velocityVerdict, velocityWindow } from './velocity';

describe('velocity window', () => {
  it('ends at the order placement and reaches back the window length', () => {
    expect(velocityWindow('2026-11-23T10:00:00.000Z', 3600)).toEqual({
      from: '2026-11-23T09:00:00.000Z',
      to: '2026-11-23T10:00:00.000Z',
    });
  });

  it('does not depend on when the assessment runs', () => {
    const first = velocityWindow('2026-11-23T10:00:00.000Z', 60);
    const replayed = velocityWindow('2026-11-23T10:00:00.000Z', 60);
    expect(replayed).toEqual(first);
  });

  it.each([
    // [other orders in the window, limits, expected verdict]
    [0, { reviewAbove: 3, rejectAbove: 6 }, undefined],
    [2, { reviewAbove: 3, rejectAbove: 6 }, undefined],
    [3, { reviewAbove: 3, rejectAbove: 6 }, 'review'],
    [5, { reviewAbove: 3, rejectAbove: 6 }, 'review'],
    [6, { reviewAbove: 3, rejectAbove: 6 }, 'reject'],
    [100, { reviewAbove: 3 }, 'review'],
    [100, { rejectAbove: 6 }, 'reject'],
    [100, {}, undefined],
    [100, undefined, undefined],
  ] as const)('%i other orders with %j → %s', (others, limits, expected) => {
    expect(velocityVerdict(others, limits)?.verdict).toBe(expected);
  });

  it('counts the assessed order itself: N allowed orders pass, the N+1th does not', () => {
    expect(velocityVerdict(2, { reviewAbove: 3 })).toBeUndefined();
    expect(velocityVerdict(3, { reviewAbove: 3 })).toEqual({ verdict: 'review', count: 4, limit: 3 });
  });
});
