/** A SKU whose low-stock alarm is due for a look, and whether a change that lowered its stock asked for it. */
export interface DueCheck {
  sku: string;
  /** false when only raises (releases, expiries) asked: such a look may re-arm the alarm, never fire it. */
  mayFire: boolean;
}

/**
 * Which SKUs need their low-stock alarm evaluated, at most once per `minGapMs` each. Stock changes only
 * note the SKU; however many orders note it within the gap, it is evaluated once after it. A SKU noted
 * again while it is being evaluated stays pending, so a change committed after the count is never lost.
 */
export class LowStockChecks {
  private readonly pending = new Map<string, boolean>();
  private readonly lastCheckedAt = new Map<string, number>();

  constructor(private readonly minGapMs: number) {}

  note(sku: string, mayFire: boolean): void {
    this.pending.set(sku, (this.pending.get(sku) ?? false) || mayFire);
  }

  /** Takes the pending SKUs whose last check is at least the gap ago, and counts them as checked at `now`. */
  takeDue(now: number): DueCheck[] {
    const due: DueCheck[] = [];
    for (const [sku, mayFire] of this.pending) {
      if (this.waitMs(sku, now) > 0) continue;
      this.pending.delete(sku);
      this.lastCheckedAt.set(sku, now);
      due.push({ sku, mayFire });
    }
    for (const [sku, at] of this.lastCheckedAt) {
      // A check older than the gap holds nothing back: forget it, so the map stays as small as the peak.
      if (now - at >= this.minGapMs && !this.pending.has(sku)) this.lastCheckedAt.delete(sku);
    }
    return due;
  }

  /** How long until the next pending SKU falls due (0: now); undefined when nothing is pending. */
  nextDueInMs(now: number): number | undefined {
    let next: number | undefined;
    for (const sku of this.pending.keys()) next = Math.min(next ?? Infinity, this.waitMs(sku, now));
    return next;
  }

  private waitMs(sku: string, now: number): number {
    const last = this.lastCheckedAt.get(sku);
    return last === undefined ? 0 : Math.max(0, last + this.minGapMs - now);
  }
}
