import {
  commitAction,
  reservationExpiry,
  shouldRelease,
  supplierAvailable,
  supplierReservationFits,
} from './reservation-policy';

describe('reservation policy', () => {
  const now = new Date('2025-01-01T00:00:00.000Z');

  it('holds stock until the order expires, capped by the maximum hold', () => {
    const soon = new Date('2025-01-01T00:05:00.000Z');
    expect(reservationExpiry(soon, now, 1800)).toEqual(soon);
    expect(reservationExpiry(new Date('2025-01-02T00:00:00.000Z'), now, 60)).toEqual(
      new Date('2025-01-01T00:01:00.000Z'),
    );
  });

  it('commits active reservations, re-reserves released or refused ones, ignores committed ones', () => {
    expect(commitAction('active')).toBe('commit');
    expect(commitAction('released')).toBe('re-reserve');
    expect(commitAction('unavailable')).toBe('re-reserve');
    expect(commitAction('committed')).toBe('already-committed');
  });

  it('releases only active reservations', () => {
    expect(shouldRelease('active')).toBe(true);
    for (const status of ['committed', 'released', 'unavailable'] as const)
      expect(shouldRelease(status)).toBe(false);
  });

  it('limits supplier reservations to what the supplier limit leaves, or not at all', () => {
    expect(supplierAvailable(null, 10, 10)).toBeNull();
    expect(supplierAvailable(10, 3, 4)).toBe(3);
    expect(supplierReservationFits(10, 3, 4, 3)).toBe(true);
    expect(supplierReservationFits(10, 3, 4, 4)).toBe(false);
    expect(supplierReservationFits(null, 1000, 1000, 100)).toBe(true);
  });
});
