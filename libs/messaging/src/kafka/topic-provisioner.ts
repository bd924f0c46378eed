import { Logger } from '@nestjs/common';
import { type Admin, type Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
}

/**
 * Creates the topics a service produces to and consumes from (and its dead-letter topics) when they do
 * not exist yet. The broker's auto-creation is off: a typo in a topic name must fail loudly, not create
 * a topic nobody reads.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const logger = new Logger('TopicProvisioner');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = uniqueByTopic(specs).filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) {
      await waitForLeaders(admin, specs);
      return [];
    }
    // Several services start at once on a fresh broker: a concurrent creation, or metadata asked for a topic
    // whose partitions are still being placed, fails this attempt; both settle within moments, so try again.
    const deadline = Date.now() + 30000;
    for (let pending = missing; pending.length > 0;) {
      try {
        await admin.createTopics({ topics: pending, waitForLeaders: true, timeout: 30000 });
        break;
      } catch (error) {
        const now = new Set(await admin.listTopics());
        pending = pending.filter((spec) => !now.has(spec.topic));
        if (pending.length > 0 && Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    // Topics another instance created a moment ago may be listed before their partitions have leaders; a
    // consumer or producer asking for them then gets UNKNOWN_TOPIC_OR_PARTITION. Start only once they serve.
    await waitForLeaders(admin, specs);
    logger.log(`created topics: ${missing.map((spec) => spec.topic).join(', ')}`);
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, specs: TopicSpec[], timeoutMs = 30000): Promise<void> {
  const topics = uniqueByTopic(specs).map((spec) => spec.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (
        metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))
      )
        return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function uniqueByTopic(specs: TopicSpec[]): TopicSpec[] {
  return [...new Map(specs.map((spec) => [spec.topic, spec])).values()];
}
