import { type Admin, type Kafka } from 'kafkajs';

import { consumerLag } from '@keyflow/observability';

/**
 * Publishes each consumer group's lag per partition (end offset − committed offset) as a gauge, every
 * `intervalMs`. Lag is what an operator watches to see a stage falling behind before orders get late.
 */
export class ConsumerLagReporter {
  private admin?: Admin;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly kafka: Kafka,
    private readonly groups: Array<{ group: string; topic: string }>,
    private readonly intervalMs = 10000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.report().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
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
