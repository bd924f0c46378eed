import { AsyncLocalStorage } from 'node:async_hooks';

export interface BatchWriterOptions {
  /**
   * How long the first item of a batch waits for company before the batch is written. Items that arrive
   * while a write is in flight do not wait at all: they form the next batch as soon as it ends.
   */
  lingerMs?: number;
  /** Most items in one write. */
  maxBatch?: number;
}

/** Runs `work` in the async context (trace, order of the log lines) its item was submitted from. */
export type InItsContext = <R>(index: number, work: () => R) => R;

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
  /** The submitter's async context (OpenTelemetry's and the log's order), captured at submit. */
  runInContext: <R>(work: () => R) => R;
}

/**
 * Group commit for a worker's writes. Workers run their outside calls concurrently and each call ends with a
 * write (an outcome, a "started" mark); written one by one, every job costs a commit. Items submitted
 * together are written in one `write` call instead — one transaction, one commit — and each submitter's
 * promise settles when its own item is committed, so code after `await submit(…)` may rely on it.
 * A batch that fails is written again item by item, so one bad item fails alone and its neighbours commit.
 *
 * Whose work is the batch? Each item's own: items of different orders share a transaction, but the events
 * and log lines written for one item must belong to that item's order and trace (an event carries the trace
 * context it was appended in). So `write` gets `inItsContext(index, work)`, which runs the work for item
 * `index` in the context it was submitted from; the batch itself runs in the writer's neutral context (the
 * one it was made in), never in whichever submitter happened to start it.
 */
export class BatchWriter<T> {
  private readonly lingerMs: number;
  private readonly maxBatch: number;
  private queue: Array<Pending<T>> = [];
  private timer?: NodeJS.Timeout;
  private writing = false;

  constructor(
    private readonly write: (items: T[], inItsContext: InItsContext) => Promise<void>,
    options: BatchWriterOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 0;
    this.maxBatch = options.maxBatch ?? 100;
    this.runNeutral = AsyncLocalStorage.snapshot();
  }

  private readonly runNeutral: <R>(work: () => R) => R;

  /** Resolves once the item is committed; rejects with the error of its own (single-item) write. */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject, runInContext: AsyncLocalStorage.snapshot() });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing) return; // the write in flight starts the next batch when it ends
    if (this.queue.length >= this.maxBatch) {
      this.startWrite();
      return;
    }
    this.timer ??= setTimeout(() => this.startWrite(), this.lingerMs);
  }

  private startWrite(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.writing = true;
    void this.runNeutral(() => this.writeBatch(batch)).finally(() => {
      this.writing = false;
      if (this.queue.length > 0) this.startWrite(); // they waited through a write already
    });
  }

  private async writeBatch(batch: Array<Pending<T>>): Promise<void> {
    try {
      await this.write(
        batch.map((pending) => pending.item),
        (index, work) => batch[index]!.runInContext(work),
      );
      batch.forEach((pending) => pending.resolve());
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
    }
    for (const pending of batch) {
      try {
        await this.write([pending.item], (_index, work) => pending.runInContext(work));
        pending.resolve();
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
