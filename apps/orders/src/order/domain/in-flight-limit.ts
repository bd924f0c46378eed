/**
 * A cap on the checkouts one process works on at once. The backlog bound (see admission.ts) protects the
 * pipeline; this protects the process itself: past its CPU, every extra request in flight only makes all of
 * them slower, until none answers within a buyer's patience (measured at 200 arrivals/s on two cores: the
 * checkout endpoint stopped accepting connections and buyers saw "no answer for 90 s"). Refusing at the door
 * costs next to nothing and keeps the answers that are given fast.
 */
export class InFlightLimit {
  private current = 0;

  /** `max` undefined: no cap. */
  constructor(private readonly max: number | undefined) {}

  get inFlight(): number {
    return this.current;
  }

  /** Takes a place if one is free; the caller must `leave()` exactly once when it got one. */
  tryEnter(): boolean {
    if (this.max !== undefined && this.current >= this.max) return false;
    this.current += 1;
    return true;
  }

  leave(): void {
    this.current = Math.max(0, this.current - 1);
  }
}
