import { type Admin, type Kafka } from 'kafkajs';

import { consumerLag, readConsumerLagOnScrape } from '@keyflow/observability';

/** A scrape waits this long at most for the broker; past it, the gauge keeps its last reading. */
const READ_TIMEOUT_MS = 3000;

/**
 * Publishes each consumer group's lag per partition (end offset − committed offset) as a gauge, read from the
 * broker when /metrics is scraped: lag is what an operator watches to see a stage falling behind before
 * orders get late, and nobody looks at it between scrapes, so an idle service asks the broker nothing.
 */
export class ConsumerLagReporter {
  private admin?: Admin;
  private unregister?: () => void;
  private reading?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly groups: Array<{ group: string; topic: string }>,
  ) {}

  start(): void {
    this.unregister = readConsumerLagOnScrape(() => this.reportWithin(READ_TIMEOUT_MS));
  }

  async stop(): Promise<void> {
    this.unregister?.();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** One reading at a time (concurrent scrapes share it), given up after `ms`; a failed reading is skipped. */
  private async reportWithin(ms: number): Promise<void> {
    this.reading ??= this.report()
      .catch(() => undefined)
      .finally(() => (this.reading = undefined));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.reading, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  async report(): Promise<void> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    for (const { group, topic } of this.groups) {
      const [ends, [committed]] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId: group, topics: [topic] }),
      ]);
      for (const { partition, high } of ends) {
        const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        const done = BigInt(offset) < 0n ? 0n : BigInt(offset);
        consumerLag.set({ group, topic, partition: String(partition) }, Number(BigInt(high) - done));
      }
    }
  }
}
