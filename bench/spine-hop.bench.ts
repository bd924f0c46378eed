/**
 * One hop of the messaging spine, measured on this machine with the real broker and database:
 *   append (own transaction, like a service's state change) → outbox relay (NOTIFY-woken) → Kafka →
 *   TopicConsumer (inbox insert + handler in one transaction, offset after commit).
 * Reports events/s at saturation and p50/p95/p99 append→consume latency at a fixed arrival rate.
 *
 *   npm run bench -- spine-hop [--events 20000] [--rate 500] [--seconds 10] [--concurrency 16] [--json FILE]
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { IsInt } from 'class-validator';

import { defineEvent, EventCatalog, type TopicName } from '@keyflow/contracts';
import {
  createKafkaClient,
  ensureTopics,
  EventStore,
  KafkaProducer,
  kafkaSettingsFromEnv,
  messagingTablesMigration,
  OutboxRelay,
  TopicConsumer,
} from '@keyflow/messaging';

import { prepareDataSource } from '../libs/service-kit/src/database/prepare-data-source';

class BenchPinged {
  @IsInt()
  seq!: number;
}

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    json: { type: 'string' },
  },
});

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/keyflow';
const runId = randomUUID().slice(0, 8);
const schema = `bench_${runId}`;
const topic = `bench.spine-${runId}.v1` as TopicName;
const catalog = new EventCatalog([
  defineEvent({ type: 'bench.pinged.v1', topic, payload: BenchPinged, description: 'benchmark event' }),
]);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const settings = kafkaSettingsFromEnv('bench-spine');
  const kafka = createKafkaClient(settings);
  await ensureTopics(kafka, [{ topic, numPartitions: settings.topicPartitions, replicationFactor: 1 }]);
  const dataSource = await prepareDataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    migrations: [messagingTablesMigration(schema)],
    extra: { max: 20 },
  });
  const store = new EventStore(schema, 'bench');
  const producer = new KafkaProducer(kafka);
  const relay = new OutboxRelay({ schema, database: { connectionString: databaseUrl }, producer });

  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  let consumed = 0;
  let onConsumed: (() => void) | undefined;
  const consumer = new TopicConsumer({
    kafka,
    topic,
    groupId: `bench-${runId}`,
    deadLetterTopic: `bench-${runId}.dlq`,
    schema,
    dataSource,
    catalog,
    producer,
    maxAttempts: 3,
    retryBaseMs: 50,
    retryMaxMs: 1000,
    handlers: new Map([
      [
        'bench.pinged.v1',
        async (envelope) => {
          const start = appendedAt.get(envelope.subject);
          if (start !== undefined) latencies.push(performance.now() - start);
          consumed += 1;
          onConsumed?.();
        },
      ],
    ]),
  });

  const append = async (seq: number) => {
    const id = randomUUID();
    await dataSource.transaction(async (manager) => {
      await store.append(manager, id, 'no-stream', [{ type: 'bench.pinged.v1', topic, data: { seq } }]);
    });
    appendedAt.set(id, performance.now());
  };
  const waitForConsumed = (target: number, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${consumed}/${target} consumed in time`)),
        timeoutMs,
      );
      onConsumed = () => {
        if (consumed >= target) {
          clearTimeout(timer);
          resolve();
        }
      };
      onConsumed();
    });

  relay.start();
  await consumer.start();
  await append(0); // warm-up: connections, group join, first fetch
  await waitForConsumed(1, 60000);
  latencies.length = 0;

  // 1. Latency at a fixed arrival rate (open model: arrivals do not wait for completions).
  const rate = Number(args.rate);
  const seconds = Number(args.seconds);
  const latencyEvents = rate * seconds;
  const base = consumed;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < latencyEvents; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(append(i));
  }
  await Promise.all(inFlight);
  await waitForConsumed(base + latencyEvents, 120000);
  const sorted = [...latencies].sort((a, b) => a - b);
  latencies.length = 0;

  // 2. Throughput at saturation: append as fast as `concurrency` writers can, until all are consumed.
  const total = Number(args.events);
  const concurrency = Number(args.concurrency);
  const satBase = consumed;
  const satStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await append(next++);
    }),
  );
  const appendSeconds = (performance.now() - satStart) / 1000;
  await waitForConsumed(satBase + total, 300000);
  const satSeconds = (performance.now() - satStart) / 1000;
  const satSorted = [...latencies].sort((a, b) => a - b);

  const report = {
    scenario: 'spine-hop',
    machine: { cpus: os.cpus().length, mem_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    fixed_rate: {
      rate_per_s: rate,
      events: latencyEvents,
      latency_ms: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? NaN),
      },
    },
    saturation: {
      events: total,
      writers: concurrency,
      append_per_s: Math.round(total / appendSeconds),
      end_to_end_per_s: Math.round(total / satSeconds),
      latency_ms: { p50: round(percentile(satSorted, 50)), p99: round(percentile(satSorted, 99)) },
    },
    partitions: settings.topicPartitions,
  };
  console.log(JSON.stringify(report, null, 2));
  if (args.json) {
    fs.mkdirSync(path.dirname(args.json), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
  }

  await consumer.stop();
  await relay.stop();
  await producer.disconnect();
  await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
  await dataSource.destroy();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups([`bench-${runId}`]).catch(() => undefined);
  await admin.disconnect();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
