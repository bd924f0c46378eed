import { randomUUID } from 'node:crypto';

import { DataSource, type EntityManager } from 'typeorm';

import { type OrderPlacedV1, type OrderRefundRequestedV1, Topics } from '@keyflow/contracts';
import {
  createKafkaClient,
  EventStore,
  KafkaProducer,
  kafkaSettingsFromEnv,
  messagingTablesMigration,
  OutboxRelay,
} from '@keyflow/messaging';

import { testDatabaseUrl } from './test-infrastructure';

/**
 * Plays the orders service in tests of its consumers: a schema of its own with the event store and an
 * outbox relay publishing to orders.v1 — exactly the path real order events take, without the domain.
 */
export class OrderSource {
  dataSource!: DataSource;
  store!: EventStore;
  relay!: OutboxRelay;
  producer!: KafkaProducer;

  constructor(readonly schema: string) {}

  async start({ relay = true } = {}): Promise<this> {
    this.dataSource = new DataSource({
      type: 'postgres',
      url: testDatabaseUrl(),
      schema: this.schema,
      migrations: [messagingTablesMigration(this.schema)],
    });
    await this.dataSource.initialize();
    await this.dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.dataSource.runMigrations();
    this.store = new EventStore(this.schema, 'test-orders');
    this.producer = new KafkaProducer(createKafkaClient(kafkaSettingsFromEnv('test-orders')));
    this.relay = new OutboxRelay({
      schema: this.schema,
      database: { connectionString: testDatabaseUrl() },
      producer: this.producer,
    });
    if (relay) this.relay.start();
    return this;
  }

  /** Appends OrderPlaced in the caller's transaction (so a test can roll it back). */
  async placeOrder(manager: EntityManager, overrides: Partial<OrderPlacedV1> = {}): Promise<OrderPlacedV1> {
    const order = { ...orderPlaced(overrides.orderId ?? randomUUID()), ...overrides };
    await this.store.append(manager, order.orderId, 'no-stream', [
      { type: 'order.placed.v1', topic: Topics.orders, data: { ...order } },
    ]);
    return order;
  }

  /** Places an order in its own committed transaction and returns what was placed. */
  placeOrderCommitted(overrides: Partial<OrderPlacedV1> = {}): Promise<OrderPlacedV1> {
    return this.dataSource.transaction((manager) => this.placeOrder(manager, overrides));
  }

  async requestRefund(request: OrderRefundRequestedV1): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.store.append(manager, request.orderId, 'any', [
        { type: 'order.refund-requested.v1', topic: Topics.orders, data: { ...request } },
      ]),
    );
  }

  async unpublishedCount(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM "${this.schema}".events WHERE published_at IS NULL`,
    );
    return row.n;
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.producer.disconnect().catch(() => undefined);
    await this.dataSource.destroy();
  }
}

export function orderPlaced(orderId: string): OrderPlacedV1 {
  const now = new Date();
  return {
    orderId,
    sku: 'STEAM-50',
    quantity: 1,
    total: { amountMinor: 5000, currency: 'CNY' },
    buyer: { email: 'buyer@example.com' },
    paymentChannel: 'alipay',
    placedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString(),
  };
}
