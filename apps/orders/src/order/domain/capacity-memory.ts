/**
 * The best completion rate the pipeline has shown within the last `memoryMs`: a sliding-window maximum over
 * the rates admission reads (at most one a cache period, only while checkouts come). Pure and in memory; the
 * caller seeds it from the read model when it holds nothing (a restart, or a quiet spell longer than the
 * memory), so the first checkouts of a peak are judged by what the pipeline did last time it was busy.
 */
export class CapacityMemory {
  /** Readings with strictly falling rates, oldest first: the first is the window's maximum. */
  private readonly readings: Array<{ at: number; perSecond: number }> = [];

  constructor(private readonly memoryMs: number) {}

  remember(perSecond: number, at: number): void {
    while (this.readings.length > 0 && this.readings[this.readings.length - 1]!.perSecond <= perSecond)
      this.readings.pop();
    this.readings.push({ at, perSecond });
  }

  /** The best rate remembered at `at`, or undefined when nothing within the memory is left. */
  best(at: number): number | undefined {
    while (this.readings.length > 0 && at - this.readings[0]!.at > this.memoryMs) this.readings.shift();
    return this.readings[0]?.perSecond;
  }
}
