import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { Topics } from '@keyflow/contracts';
import { OutboxRelay } from '@keyflow/messaging';
import {
  dropSchema,
  eventually,
  OrderSource,
  testDatabaseUrl,
  TopicProbe,
  uniqueSchemaName,
} from '@keyflow/testing';

const kafkaScript = path.resolve(__dirname, '../../../scripts/kafka.sh');
const kafka = (command: 'stop' | 'start') => execFileSync('bash', [kafkaScript, command], { stdio: 'pipe' });

describe('outbox relay (real Postgres and Kafka)', () => {
  const schema = uniqueSchemaName('relay_test');
  let source: OrderSource;
  let probe: TopicProbe;

  beforeAll(async () => {
    source = await new OrderSource(schema).start();
    probe = await new TopicProbe([Topics.orders]).start();
  });

  afterAll(async () => {
    await probe?.stop();
    await source?.stop();
    await dropSchema(schema);
  });

  const eventsFor = (orderId: string) => probe.where((m) => m.key === orderId);

  it('never publishes an event whose transaction rolled back, and publishes a committed one once', async () => {
    let rolledBack = '';
    await expect(
      source.dataSource.transaction(async (manager) => {
        rolledBack = (await source.placeOrder(manager)).orderId;
        throw new Error('checkout failed after the append');
      }),
    ).rejects.toThrow('checkout failed');
    const committed = (await source.placeOrderCommitted()).orderId;

    await probe.waitFor((m) => m.key === committed, 1);
    // The relay publishes in order and has moved past the point where the rolled-back row would be.
    await eventually(async () => ((await source.unpublishedCount()) === 0 ? true : undefined));
    expect(eventsFor(rolledBack)).toHaveLength(0);
    expect(eventsFor(committed)).toHaveLength(1);
    const envelope = JSON.parse(eventsFor(committed)[0]!.value!);
    expect(envelope).toMatchObject({ specversion: '1.0', type: 'order.placed.v1', subject: committed });
    expect(eventsFor(committed)[0]!.headers.ce_type).toBe('order.placed.v1');
  });

  it('delivers everything, in order per order id, after the relay was down while events piled up and Kafka restarted', async () => {
    await source.relay.stop();
    const ends = await probe.endOffsets();
    const orders: string[] = [];
    for (let i = 0; i < 10; i++) {
      const orderId = (await source.placeOrderCommitted()).orderId;
      orders.push(orderId);
      // Four more events on each order's stream, appended in separate transactions.
      for (let version = 2; version <= 5; version++) {
        await source.dataSource.transaction((manager) =>
          source.store.append(manager, orderId, version - 1, [
            {
              type: 'order.cancelled.v1',
              topic: Topics.orders,
              data: { orderId, reason: 'operator', cancelledAt: new Date().toISOString(), seq: version },
            },
          ]),
        );
      }
    }
    expect(await source.unpublishedCount()).toBe(50);

    kafka('stop');
    source.relay.start(); // publishing fails while the broker is down; the relay keeps its rows and retries
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await source.unpublishedCount()).toBe(50);
    kafka('start');

    await eventually(async () => ((await source.unpublishedCount()) === 0 ? true : undefined), {
      timeoutMs: 60000,
      what: 'the relay to drain the backlog after Kafka came back',
    });
    await probe.stop();
    probe = await new TopicProbe([Topics.orders]).start(ends);
    await probe.waitFor((m) => orders.includes(m.key!), 50, 30000);
    for (const orderId of orders) {
      const sequence = eventsFor(orderId).map((m) => JSON.parse(m.value!).data.seq ?? 1);
      // At-least-once: a retried batch may appear twice, but never out of order.
      const distinct = sequence.filter((seq, i) => i === 0 || seq !== sequence[i - 1]);
      expect(distinct).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('lets a standby relay take over when the active one goes away', async () => {
    const standby = new OutboxRelay({
      schema,
      database: { connectionString: testDatabaseUrl() },
      producer: (source as unknown as { producer: ConstructorParameters<typeof OutboxRelay>[0]['producer'] })
        .producer,
      standbyRetryMs: 200,
    });
    standby.start();
    try {
      await eventually(async () => (standby.currentState === 'standby' ? true : undefined));
      expect(source.relay.currentState).toBe('active');

      await source.relay.stop();
      await eventually(async () => (standby.currentState === 'active' ? true : undefined), {
        what: 'takeover',
      });
      const orderId = (await source.placeOrderCommitted()).orderId;
      await probe.waitFor((m) => m.key === orderId, 1);
      expect(standby.publishedCount).toBeGreaterThanOrEqual(1);
    } finally {
      await standby.stop();
      source.relay.start();
    }
  });
});
