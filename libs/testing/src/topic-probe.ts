import { randomUUID } from 'node:crypto';

import { type Consumer, Kafka, logLevel, type KafkaMessage } from 'kafkajs';

import { ensureTopics, kafkaSettingsFromEnv } from '@keyflow/messaging';

import { eventually, testKafkaBrokers } from './test-infrastructure';

export interface TopicOffsets {
  topic: string;
  offsets: Array<{ partition: number; offset: string }>;
}

export interface ProbedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads what arrives on topics from the moment it starts: the current end offsets are taken first and
 * the probe seeks there, so nothing produced after start() is missed and nothing older is read.
 */
export class TopicProbe {
  readonly messages: ProbedMessage[] = [];
  private readonly kafka = new Kafka({
    clientId: 'topic-probe',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  private consumer?: Consumer;
  private readonly listeners: Array<(message: ProbedMessage) => void> = [];

  /** `keep: false` only calls the listeners (a long load run need not hold every message in memory). */
  constructor(
    private readonly topics: string[],
    private readonly options: { keep?: boolean } = {},
  ) {}

  /** Called for every message as it arrives, in partition order. */
  onMessage(listener: (message: ProbedMessage) => void): this {
    this.listeners.push(listener);
    return this;
  }

  /** The current end offsets of the topics: pass them to start() to read from this moment on. */
  async endOffsets(): Promise<TopicOffsets[]> {
    // On a fresh broker the services may not have created their topics yet: create them the same way.
    const settings = kafkaSettingsFromEnv('topic-probe');
    await ensureTopics(
      this.kafka,
      this.topics.map((topic) => ({
        topic,
        numPartitions: settings.topicPartitions,
        replicationFactor: settings.replicationFactor,
      })),
    );
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await Promise.all(
        this.topics.map(async (topic) => ({
          topic,
          offsets: (await admin.fetchTopicOffsets(topic)).map(({ partition, offset }) => ({
            partition,
            offset,
          })),
        })),
      );
    } finally {
      await admin.disconnect();
    }
  }

  async start(from?: TopicOffsets[]): Promise<this> {
    const ends = from ?? (await this.endOffsets());

    this.consumer = this.kafka.consumer({ groupId: `probe-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const probed = toProbed(topic, partition, message);
        if (this.options.keep !== false) this.messages.push(probed);
        for (const listener of this.listeners) listener(probed);
      },
    });
    for (const { topic, offsets } of ends) {
      for (const { partition, offset } of offsets) this.consumer.seek({ topic, partition, offset });
    }
    return this;
  }

  where(predicate: (message: ProbedMessage) => boolean): ProbedMessage[] {
    return this.messages.filter(predicate);
  }

  async waitFor(
    predicate: (message: ProbedMessage) => boolean,
    count: number,
    timeoutMs = 20000,
  ): Promise<ProbedMessage[]> {
    return eventually(
      async () => {
        const found = this.where(predicate);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, what: `${count} matching messages on ${this.topics.join(', ')}` },
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function toProbed(topic: string, partition: number, message: KafkaMessage): ProbedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}

/** Waits until a consumer group has committed past `offset` on a partition: proof it processed it. */
export async function waitForCommittedOffset(
  groupId: string,
  topic: string,
  partition: number,
  offset: string,
  timeoutMs = 30000,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'offset-probe',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const entry = committed?.partitions.find((p) => p.partition === partition);
        return entry && BigInt(entry.offset) > BigInt(offset) ? true : undefined;
      },
      { timeoutMs, what: `group ${groupId} to commit past ${topic}[${partition}]@${offset}` },
    );
  } finally {
    await admin.disconnect();
  }
}
