/** What a reservation can be in; `unavailable` records a refused reservation so a replay decides the same. */
export type ReservationStatus = 'active' | 'committed' | 'released' | 'unavailable';

/**
 * A reservation lasts until the order's own payment deadline, but never longer than the SKU's (or the
 * service's) maximum hold, so a slow buyer cannot lock scarce keys for long.
 */
export function reservationExpiry(orderExpiresAt: Date, now: Date, maxHoldSeconds: number): Date {
  const cap = now.getTime() + maxHoldSeconds * 1000;
  return new Date(Math.min(orderExpiresAt.getTime(), cap));
}

export type CommitAction = 'commit' | 'already-committed' | 're-reserve';

/**
 * Payment may outlive the hold: a reservation that was released (expired) or refused is reserved again
 * before committing; an active one, even past its expiry but not yet swept, still holds its stock.
 */
export function commitAction(status: ReservationStatus): CommitAction {
  switch (status) {
    case 'active':
      return 'commit';
    case 'committed':
      return 'already-committed';
    case 'released':
    case 'unavailable':
      return 're-reserve';
  }
}

/** Only an active reservation holds stock to give back; anything else is already settled. */
export function shouldRelease(status: ReservationStatus): boolean {
  return status === 'active';
}

/** Available stock of a supplier SKU: unlimited (null) without a limit, else what the limit leaves. */
export function supplierAvailable(limit: number | null, reserved: number, sold: number): number | null {
  return limit === null ? null : Math.max(0, limit - reserved - sold);
}

/** Whether a supplier reservation of `quantity` fits; mirrors the conditional UPDATE that enforces it. */
export function supplierReservationFits(
  limit: number | null,
  reserved: number,
  sold: number,
  quantity: number,
): boolean {
  const available = supplierAvailable(limit, reserved, sold);
  return available === null || available >= quantity;
}
