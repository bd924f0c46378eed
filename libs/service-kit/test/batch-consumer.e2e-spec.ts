import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { consumerGroupFor, deadLetterTopicFor, Topics } from '@keyflow/contracts';
import {
  dropSchema,
  eventually,
  testKafkaBrokers,
  TopicProbe,
  uniqueSchemaName,
  waitForCommittedOffset,
  withPgClient,
} from '@keyflow/testing';

import { SinkProcess } from './fixtures/sink-process';

/**
 * The consumer handles a partition's batch in one transaction. These tests put many order.completed.v1
 * messages (which no pipeline service handles, so other tests never mistake them for orders) on one
 * partition while the sink is stopped, or in one producer request, so they arrive as one Kafka batch.
 * The sink records each in its completions table, whose `tx` column is the id of the transaction that
 * wrote it: commits are counted, not timed.
 */
describe('a consuming service handles a Kafka batch in one transaction (real Kafka, Postgres, separate process)', () => {
  const schema = uniqueSchemaName('batch_sink');
  const service = `batch-sink-${schema.split('_').pop()}`;
  const ordersGroup = consumerGroupFor(service, Topics.orders);
  const port = 3800 + Math.floor(Math.random() * 90);
  const kafka = new Kafka({
    clientId: 'batch-test',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  let sink: SinkProcess;

  const startSink = async (crashAt?: string) => {
    sink = new SinkProcess({ service, schema, port, ...(crashAt ? { crashAt } : {}) });
    await sink.start();
  };

  /** Sends order.completed.v1 for each id to partition 0 in one request; returns the offsets used. */
  const sendToPartitionZero = async (orderIds: string[]) => {
    const [sent] = await producer.send({
      topic: Topics.orders,
      messages: orderIds.map((orderId) => ({
        partition: 0,
        key: orderId,
        value: JSON.stringify({
          specversion: '1.0',
          id: randomUUID(),
          type: 'order.completed.v1',
          source: 'batch-test',
          subject: orderId,
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          correlationid: orderId,
          data: { orderId, completedAt: new Date().toISOString() },
        }),
      })),
    });
    return {
      first: sent!.baseOffset!,
      last: String(BigInt(sent!.baseOffset!) + BigInt(orderIds.length - 1)),
    };
  };

  const effectsOf = (orderIds: string[]) =>
    withPgClient(async (client) => {
      const { rows } = await client.query<{ order_id: string; tx: string }>(
        `SELECT order_id, tx::text AS tx FROM "${schema}".completions WHERE order_id = ANY($1::uuid[]) ORDER BY seq`,
        [orderIds],
      );
      return rows;
    });

  const committedOffset = async (partition: number) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: ordersGroup, topics: [Topics.orders] });
      return BigInt(committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
    } finally {
      await admin.disconnect();
    }
  };

  /** Waits until the sink's orders group has committed everything on the topic so far. */
  const caughtUp = async () => {
    const probe = new TopicProbe([Topics.orders]);
    const [ends] = await probe.endOffsets();
    for (const { partition, offset } of ends!.offsets) {
      if (offset !== '0')
        await waitForCommittedOffset(
          ordersGroup,
          Topics.orders,
          partition,
          String(BigInt(offset) - 1n),
          120000,
        );
    }
  };

  const ids = (count: number) => Array.from({ length: count }, () => randomUUID());

  beforeAll(async () => {
    producer = kafka.producer();
    await producer.connect();
    await startSink(); // reads orders.v1 from the beginning: let it catch up before each scenario
    await caughtUp();
  }, 180000);

  afterAll(async () => {
    await sink?.stop();
    await producer?.disconnect();
    await dropSchema(schema);
  });

  it('isolates a poison message in the middle of a batch: the others once each and in order, the poison dead-lettered once', async () => {
    const dlq = await new TopicProbe([deadLetterTopicFor(ordersGroup)]).start();
    await sink.stop();
    const before = ids(10);
    const poison = `deadbeef${randomUUID().slice(8)}`; // the sink's handler throws for this one
    const after = ids(10);
    const { last } = await sendToPartitionZero([...before, poison, ...after]);
    await startSink();
    await waitForCommittedOffset(ordersGroup, Topics.orders, 0, last, 60000);

    const effects = await effectsOf([...before, poison, ...after]);
    expect(effects.map((e) => e.order_id)).toEqual([...before, ...after]);
    // What came before the poison committed together; the rest went on together in a new transaction.
    expect(new Set(effects.slice(0, 10).map((e) => e.tx)).size).toBe(1);
    expect(new Set(effects.slice(10).map((e) => e.tx)).size).toBe(1);
    expect(effects[0]!.tx).not.toBe(effects[10]!.tx);

    // Dead-lettered once, with its reason, after its own retries; read the DLQ up to its end to be sure.
    const [dlqEnd] = await dlq.endOffsets();
    const end = BigInt(dlqEnd!.offsets[0]!.offset);
    await eventually(async () => (dlq.messages.some((m) => BigInt(m.offset) >= end - 1n) ? true : undefined));
    await dlq.stop();
    const dead = dlq.where((m) => m.key === poison);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers.dlq_reason).toMatch(/^handler failed after 5 attempts: simulated handler bug/);
    expect(dead[0]!.headers.dlq_attempts).toBe('5');
  });

  it('handles a batch of 500 messages with far fewer commits than messages', async () => {
    await sink.stop();
    const orders = ids(500);
    const { last } = await sendToPartitionZero(orders);
    await startSink();
    await waitForCommittedOffset(ordersGroup, Topics.orders, 0, last, 120000);

    const effects = await effectsOf(orders);
    expect(effects.map((e) => e.order_id)).toEqual(orders);
    const transactions = new Set(effects.map((e) => e.tx)).size;
    const span = await withPgClient(async (client) => {
      const { rows } = await client.query(
        `SELECT extract(epoch FROM max(at) - min(at)) * 1000 AS ms FROM "${schema}".completions WHERE order_id = ANY($1::uuid[])`,
        [orders],
      );
      return Math.round(Number(rows[0].ms));
    });
    process.stdout.write(
      `500 messages on one partition → ${transactions} transactions, first to last effect ${span} ms\n`,
    );
    // At most 64 messages per transaction by default: 8 commits, where one per message would be 500.
    expect(transactions).toBeLessThanOrEqual(10);
  });

  it('takes far fewer Postgres commits than messages in a running service (pg_stat_database)', async () => {
    const orders = ids(500);
    const xactCommit = () =>
      withPgClient(async (client) => {
        await new Promise((resolve) => setTimeout(resolve, 1500)); // other sessions flush their stats each second
        const { rows } = await client.query<{ n: string }>(
          `SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`,
        );
        return BigInt(rows[0]!.n);
      });
    const start = await xactCommit();
    const { last } = await sendToPartitionZero(orders);
    await waitForCommittedOffset(ordersGroup, Topics.orders, 0, last, 120000);
    // Everything in the database counts here: the sink's relay, workers and health checks, and these reads.
    const commits = Number((await xactCommit()) - start);
    process.stdout.write(`500 messages handled by a running service → ${commits} commits in the database\n`);
    expect((await effectsOf(orders)).map((e) => e.order_id)).toEqual(orders);
    expect(commits).toBeLessThan(orders.length / 5);
  });

  it('applies nothing twice when killed -9 after a batch commit and before the offset commit', async () => {
    await caughtUp();
    await sink.stop();
    await startSink('consumer.after-commit-before-offset');
    const orders = ids(50);
    const { first, last } = await sendToPartitionZero(orders);
    expect(await sink.exited()).toBe('SIGKILL');

    // The crash really came between the two commits: all effects are in, the offset is not.
    expect((await effectsOf(orders)).map((e) => e.order_id)).toEqual(orders);
    expect(await committedOffset(0)).toBeLessThanOrEqual(BigInt(first));

    await startSink();
    await waitForCommittedOffset(ordersGroup, Topics.orders, 0, last, 60000);
    const effects = await effectsOf(orders);
    expect(effects.map((e) => e.order_id)).toEqual(orders);
    expect(new Set(effects.map((e) => e.tx)).size).toBe(1);
  });
});
