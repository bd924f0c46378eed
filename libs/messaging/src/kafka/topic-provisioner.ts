import { Logger } from '@nestjs/common';
import { type Kafka } from 'kafkajs';

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
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: 30000 });
    } catch (error) {
      // Another instance created some of them at the same moment: fine, as long as they now exist.
      const now = new Set(await admin.listTopics());
      const stillMissing = missing.filter((spec) => !now.has(spec.topic));
      if (stillMissing.length > 0) throw error;
    }
    logger.log(`created topics: ${missing.map((spec) => spec.topic).join(', ')}`);
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

function uniqueByTopic(specs: TopicSpec[]): TopicSpec[] {
  return [...new Map(specs.map((spec) => [spec.topic, spec])).values()];
}
