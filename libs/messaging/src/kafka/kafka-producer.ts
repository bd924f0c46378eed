import { type IHeaders, type Kafka, Partitioners, type Producer } from 'kafkajs';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string | Buffer | null;
  headers: IHeaders;
}

/**
 * The idempotent producer with acks=all: the broker de-duplicates the producer's own retries and keeps
 * their order, so a retried batch cannot reorder one order's events. One in-flight request keeps that
 * guarantee independent of broker version quirks.
 */
export class KafkaProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    // The default (murmur2, Java-compatible) partitioner: keys land where Java clients would put them.
    // Retries stay bounded (kafkajs warns about it): the relay retries a failed batch itself, and a
    // duplicate that a fresh producer session might add is absorbed by the consumers' inboxes.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  /** Sends records (grouped by topic, order kept within each topic) and resolves once all are acknowledged. */
  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) {
      const list = byTopic.get(record.topic) ?? [];
      list.push(record);
      byTopic.set(record.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }
}
