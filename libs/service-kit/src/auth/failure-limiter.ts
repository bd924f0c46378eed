/**
 * Counts failures per client (e.g. wrong order tokens per client address) in fixed windows, and says how
 * long a client that reached the limit must wait. Only failures count, so a client that holds a valid
 * token and never guesses wrong is never limited by this. In memory per process: each replica limits on
 * its own, so a guesser spread over N replicas gets at most N times the limit.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    /** Bounds memory under a spray of addresses: expired windows go first, then the oldest. */
    private readonly maxClients = 100_000,
  ) {}

  /** Milliseconds until this client may try again, or undefined when it may now. */
  blockedForMs(client: string, now: number): number | undefined {
    const window = this.windows.get(client);
    if (!window || window.resetAt <= now || window.count < this.maxFailures) return undefined;
    return window.resetAt - now;
  }

  fail(client: string, now: number): void {
    const window = this.windows.get(client);
    if (window && window.resetAt > now) {
      window.count += 1;
      return;
    }
    this.windows.delete(client);
    if (this.windows.size >= this.maxClients) this.evict(now);
    this.windows.set(client, { count: 1, resetAt: now + this.windowMs });
  }

  private evict(now: number): void {
    for (const [client, window] of this.windows) if (window.resetAt <= now) this.windows.delete(client);
    for (const client of this.windows.keys()) {
      if (this.windows.size < this.maxClients) break;
      this.windows.delete(client);
    }
  }
}
