import { type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';

import { WorkerLoop } from './worker-loop';

/**
 * A service's background worker: its `tick` runs on a {@link WorkerLoop} from application start until
 * shutdown (which waits for the tick in progress), and `wake()` runs it at once when new work was just
 * committed. Subclasses implement only `tick`.
 */
export abstract class PolledWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: WorkerLoop;

  protected constructor(name: string, intervalMs: number) {
    this.loop = new WorkerLoop(name, intervalMs, () => this.tick());
  }

  abstract tick(): Promise<'more' | 'idle'>;

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** New work was just committed: pick it up now instead of at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
