import { Logger } from '@nestjs/common';

/**
 * What a tick found: `more` (a full batch: run again at once), `idle` (wait for a wake-up or the interval),
 * or when its next known work falls due (e.g. a retry scheduled in 5 s), so the loop sleeps until then
 * instead of polling for it.
 */
const MIN_DUE_DELAY_MS = 10;

export type TickResult = 'more' | 'idle' | { nextDueInMs: number };

/**
 * Runs one worker's `tick` every `intervalMs` (at once again when a tick reports a full batch, sooner when
 * it names the time its next work falls due), one tick at a time. A failing tick is logged and retried next
 * round; the work itself is durable in the database, so stopping or crashing between ticks loses nothing.
 */
export class WorkerLoop {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private wakeRequested = false;

  constructor(
    name: string,
    private readonly intervalMs: number,
    private readonly tick: () => Promise<TickResult>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Runs a tick now rather than at the next interval, because new work was just committed. A tick in
   * progress is followed at once by another; the interval stays as the safety net for work from elsewhere
   * (another replica, a restart).
   */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async runOnce(): Promise<void> {
    let next: TickResult = 'idle';
    try {
      next = await this.tick();
    } catch (error) {
      this.logger.error(`tick failed: ${(error as Error).message}`);
    }
    const again = next === 'more' || this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : delayAfter(next, this.intervalMs));
  }
}

/**
 * The interval, or sooner when the tick knows when its next work falls due (never quite at once: work due
 * already but not claimable, e.g. locked by a replica's claim in flight, must not spin the loop).
 */
export function delayAfter(result: TickResult, intervalMs: number): number {
  if (typeof result !== 'object') return intervalMs;
  return Math.min(intervalMs, Math.max(MIN_DUE_DELAY_MS, Math.ceil(result.nextDueInMs)));
}
