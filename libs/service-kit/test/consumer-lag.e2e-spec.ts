import { randomUUID } from 'node:crypto';

import {
  ConsumerLagReporter,
  createKafkaClient,
  ensureTopics,
  kafkaSettingsFromEnv,
} from '@keyflow/messaging';
import { metricsRegistry } from '@keyflow/observability';
import { testKafkaBrokers } from '@keyflow/testing';

/**
 * keyflow_kafka_consumer_lag is read from the broker when /metrics is scraped (no timer: an idle service asks
 * the broker nothing). The figure is checked against what the test itself produced and committed.
 */
describe('consumer lag is read at scrape time (real Kafka)', () => {
  const topic = `lag-test-${randomUUID()}`;
  const group = `lag-test-group-${randomUUID()}`;
  const kafka = createKafkaClient({
    ...kafkaSettingsFromEnv('lag-test', { KAFKA_BROKERS: testKafkaBrokers().join(',') }),
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const reporter = new ConsumerLagReporter(kafka, [{ group, topic }]);

  const send = (partition: number, count: number) =>
    producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ partition, key: `k${i}`, value: 'x' })),
    });
  const scrapedLag = async () => {
    const { values } = await metricsRegistry.getSingleMetric('keyflow_kafka_consumer_lag')!.get();
    return Object.fromEntries(
      values.filter((v) => v.labels.group === group).map((v) => [v.labels.partition, v.value]),
    );
  };

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic, numPartitions: 2, replicationFactor: 1 }]);
    await admin.connect();
    await producer.connect();
  });
  afterAll(async () => {
    await reporter.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('shows end offset minus committed offset per partition, fresh at every scrape, and nothing once stopped', async () => {
    await send(0, 5);
    await send(1, 2);
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '3' }] });
    reporter.start();

    expect(await scrapedLag()).toEqual({ '0': 2, '1': 2 });

    await send(1, 4);
    expect(await scrapedLag()).toEqual({ '0': 2, '1': 6 });

    await reporter.stop();
    await send(0, 1);
    expect(await scrapedLag()).toEqual({ '0': 2, '1': 6 });
  });
});
