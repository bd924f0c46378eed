import { Logger } from '@nestjs/common';

/**
 * Runs one worker's `tick` every `intervalMs` (at once again when a tick reports a full batch), one
 * tick at a time. A failing tick is logged and retried next round; the work itself is durable in the
 * database, so stopping or crashing between ticks loses nothing.
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
    private readonly tick: () => Promise<'more' | 'idle'>,
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
    let next: 'more' | 'idle' = 'idle';
    try {
      next = await this.tick();
    } catch (error) {
      this.logger.error(`tick failed: ${(error as Error).message}`);
    }
    const again = next === 'more' || this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.intervalMs);
  }
}
