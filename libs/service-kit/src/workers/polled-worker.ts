import { type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';

import { type TickResult, WorkerLoop } from './worker-loop';
import { type WorkWakeups } from './work-wakeups';

/** Where a worker hears of new work: the channel its producers `notifyWork` on. */
export interface WakeOn {
  wakeups: WorkWakeups;
  channel: string;
}

/**
 * A service's background worker: its `tick` runs on a {@link WorkerLoop} from application start until
 * shutdown (which waits for the tick in progress). It runs at once when new work commits — `wake()` in
 * this process, or a NOTIFY on its channel from any process — so `intervalMs` is only the safety net.
 * Subclasses implement only `tick`.
 */
export abstract class PolledWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: WorkerLoop;

  protected constructor(
    name: string,
    intervalMs: number,
    private readonly wakeOn?: WakeOn,
  ) {
    this.loop = new WorkerLoop(name, intervalMs, () => this.tick());
  }

  abstract tick(): Promise<TickResult>;

  async onApplicationBootstrap(): Promise<void> {
    await this.wakeOn?.wakeups.subscribe(this.wakeOn.channel, (payload) => this.heard(payload));
    this.loop.start();
  }

  /**
   * A NOTIFY on the worker's channel (payload as sent), or none (`undefined`) after the wake-up connection
   * was lost and notifies may be missing. Workers whose notifies say what changed override it to note that.
   */
  protected heard(_payload?: string): void {
    this.wake();
  }

  /** New work was just committed: pick it up now instead of at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
