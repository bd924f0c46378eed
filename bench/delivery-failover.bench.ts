/**
 * Delivery latency with the primary supplier healthy, then hanging (no answer at all), on this machine with
 * the real broker and database: delivery and the sandbox suppliers run as separate processes; the test
 * plays inventory, publishing stock.committed.v1 for supplier SKUs at a fixed rate (open model), and times
 * each order from that event to its delivery.succeeded.v1.
 *
 *   npm run bench -- delivery-failover [--orders 200] [--rate 20] [--json FILE]
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

import { Topics } from '@keyflow/contracts';
import { ServiceProcess, testPort, TopicProbe } from '@keyflow/testing';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/keyflow_bench';
const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const admin = new Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const name = new URL(databaseUrl).pathname.slice(1);
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 0) {
    await admin.query(`CREATE DATABASE "${name}"`);
  }
  await admin.end();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('DROP SCHEMA IF EXISTS delivery CASCADE');
  await db.end();

  const deliveryKeys = keyPair();
  const notificationKeys = keyPair();
  const sandbox = new ServiceProcess({
    entry: 'apps/sandbox-suppliers/src/main.ts',
    port: testPort(),
    env: { SANDBOX_SUPPLIERS: 'primary,backup' },
  });
  await sandbox.start();
  const breaker = {
    timeoutMs: 1000,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeoutMs: 30000,
  };
  const delivery = new ServiceProcess({
    entry: 'apps/delivery/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: databaseUrl,
      DELIVERY_SEALING_PRIVATE_KEY: deliveryKeys.privateKey,
      NOTIFICATION_SEALING_PUBLIC_KEY: notificationKeys.publicKey,
      DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DELIVERY_SUPPLIERS: JSON.stringify(
        ['primary', 'backup'].map((id) => ({
          id,
          kind: 'http-json',
          baseUrl: `${sandbox.url}/suppliers/${id}`,
          breaker,
          retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 },
        })),
      ),
      DELIVERY_RETRY_BASE_MS: '500',
      DELIVERY_RETRY_MAX_MS: '2000',
      DELIVERY_MAX_ATTEMPTS: '30',
      // An order whose primary call went unanswered may go to the backup after 5 s (default 60 s).
      DELIVERY_UNKNOWN_OUTCOME_GIVE_UP_MS: '5000',
      DELIVERY_WORKER_INTERVAL_MS: '50',
      KAFKA_LOG_LEVEL: 'error',
    },
  });
  await delivery.start();
  const probe = await new TopicProbe([Topics.delivery]).start();
  const kafka = new Kafka({
    clientId: 'bench-inventory',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();

  const committedAt = new Map<string, number>();
  const commit = async () => {
    const orderId = randomUUID();
    committedAt.set(orderId, Date.now());
    await producer.send({
      topic: Topics.inventory,
      messages: [
        {
          key: orderId,
          value: JSON.stringify({
            specversion: '1.0',
            id: randomUUID(),
            type: 'stock.committed.v1',
            source: 'bench',
            subject: orderId,
            time: new Date().toISOString(),
            datacontenttype: 'application/json',
            correlationid: orderId,
            data: {
              orderId,
              sku: 'GIFT-10',
              quantity: 1,
              reservationId: randomUUID(),
              source: 'supplier',
              suppliers: ['primary', 'backup'],
              supplierSku: 'GIFT-10-UP',
            },
          }),
        },
      ],
    });
    return orderId;
  };
  const run = async (label: string, count: number, rate: number) => {
    const ids: string[] = [];
    const start = Date.now();
    for (let i = 0; i < count; i++) {
      const wait = start + (i * 1000) / rate - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      ids.push(await commit());
    }
    const deadline = Date.now() + 180000;
    const done = () =>
      ids.filter(
        (id) => probe.where((m) => m.key === id && m.headers.ce_type === 'delivery.succeeded.v1').length > 0,
      );
    while (done().length < ids.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const latencies = ids
      .map((id) => {
        const message = probe.where((m) => m.key === id && m.headers.ce_type === 'delivery.succeeded.v1')[0];
        return message ? Date.parse(JSON.parse(message.value!).time) - committedAt.get(id)! : undefined;
      })
      .filter((ms): ms is number => ms !== undefined)
      .sort((a, b) => a - b);
    const switched = ids.filter(
      (id) =>
        probe.where((m) => m.key === id && m.headers.ce_type === 'delivery.supplier-switched.v1').length > 0,
    ).length;
    return {
      scenario: label,
      orders: count,
      delivered: latencies.length,
      undelivered_after_180s: count - latencies.length,
      supplier_switches: switched,
      latency_ms: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1],
      },
    };
  };

  const orders = Number(args.orders);
  const rate = Number(args.rate);
  const steady = await run('primary healthy', orders, rate);
  await fetch(`${sandbox.url}/suppliers/primary/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hang: true }),
  });
  const hanging = await run('primary hanging (no answer)', orders, rate);
  const report = {
    benchmark: 'delivery-failover',
    machine: { cpus: os.cpus().length, mem_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    breaker,
    rate_per_s: rate,
    phases: [steady, hanging],
  };
  console.log(JSON.stringify(report, null, 2));
  if (args.json) {
    fs.mkdirSync(path.dirname(args.json), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
  }
  await producer.disconnect();
  await probe.stop();
  await delivery.stop();
  await sandbox.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
