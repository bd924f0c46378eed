import { randomUUID } from 'node:crypto';

import { Kafka, logLevel } from 'kafkajs';

/**
 * This machine's ceiling for the messaging alone: `hops` plain kafkajs consumers in a chain, each passing
 * every message on to the next topic with no processing, no database and no outbox (acks=all, idempotent
 * producers, like the services'). Returns messages/s through the whole chain: an order through the pipeline
 * cannot go faster than its hop count allows here.
 */
export async function measureKafkaHopLimit(options: {
  brokers: string[];
  hops: number;
  messages: number;
  partitions?: number;
}): Promise<{ hops: number; messages: number; msgs_per_s: number }> {
  const kafka = new Kafka({
    clientId: 'limit-kafka-hops',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
  });
  const run = randomUUID().slice(0, 8);
  const topics = Array.from({ length: options.hops + 1 }, (_, i) => `limit.${run}.hop${i}`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  const producers = await Promise.all(
    topics.map(async () => {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer;
    }),
  );
  const consumers = [];
  let arrived = 0;
  let resolveDone: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  for (let hop = 0; hop <= options.hops; hop++) {
    const consumer = kafka.consumer({ groupId: `limit-${run}-${hop}`, maxWaitTimeInMs: 20 });
    await consumer.connect();
    await consumer.subscribe({ topic: topics[hop], fromBeginning: true });
    const last = hop === options.hops;
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (last) {
          arrived += batch.messages.length;
          if (arrived >= options.messages) resolveDone();
          return;
        }
        await producers[hop + 1].send({
          topic: topics[hop + 1],
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
        });
      },
    });
    consumers.push(consumer);
  }
  await new Promise((resolve) => setTimeout(resolve, 3000)); // let every group settle before timing
  const began = Date.now();
  const payload = JSON.stringify({ pad: 'x'.repeat(400) }); // about an event envelope's size
  for (let sent = 0; sent < options.messages; sent += 500) {
    const n = Math.min(500, options.messages - sent);
    await producers[0].send({
      topic: topics[0],
      acks: -1,
      messages: Array.from({ length: n }, (_, i) => ({ key: `order-${sent + i}`, value: payload })),
    });
  }
  await done;
  const seconds = (Date.now() - began) / 1000;
  await Promise.all(consumers.map((consumer) => consumer.disconnect()));
  await Promise.all(producers.map((producer) => producer.disconnect()));
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  return {
    hops: options.hops,
    messages: options.messages,
    msgs_per_s: Math.round(options.messages / seconds),
  };
}
