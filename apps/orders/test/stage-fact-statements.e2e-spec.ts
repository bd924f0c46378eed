import { randomUUID } from 'node:crypto';

import { type DataSource, type EntityManager } from 'typeorm';

import { pipelineCatalog } from '@keyflow/contracts';
import { EventStore, messagingTablesMigration } from '@keyflow/messaging';
import { prepareDataSource } from '@keyflow/service-kit';
import { testDatabaseUrl } from '@keyflow/testing';

import { ExecuteOrderCommand } from '../src/order/application/execute-order-command';
import { slaSettingsFromEnv } from '../src/order/application/sla-watch/sla-settings';
import { type OrderCommand } from '../src/order/domain/order.commands';
import { OrderReadModels1732400000000 } from '../src/order/infrastructure/migrations/1732400000000-order-read-models';
import { SlaWatch1732500000000 } from '../src/order/infrastructure/migrations/1732500000000-sla-watch';
import { ParkedFacts1732600000000 } from '../src/order/infrastructure/migrations/1732600000000-parked-facts';
import { AdmissionBacklog1732700000000 } from '../src/order/infrastructure/migrations/1732700000000-admission-backlog';
import { OrderRepository } from '../src/order/infrastructure/order.repository';

const total = { amountMinor: 10000, currency: 'CNY' };
const now = () => new Date().toISOString();

const place = (orderId: string): OrderCommand => ({
  type: 'PlaceOrder',
  data: {
    orderId,
    sku: 'STEAM-100',
    quantity: 1,
    total,
    buyer: { email: 'buyer@example.com' },
    paymentChannel: 'alipay',
    now: now(),
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  },
});
const stockReserved = (): OrderCommand => ({
  type: 'RecordStockReserved',
  data: { reservationId: randomUUID(), source: 'pool', expiresAt: now(), at: now() },
});
const paymentConfirmed = (): OrderCommand => ({
  type: 'RecordPaymentConfirmed',
  data: { paymentId: randomUUID(), provider: 'alipay', amount: total, paidAt: now(), at: now() },
});
const riskApproved = (): OrderCommand => ({ type: 'RecordRiskApproved', data: { mode: 'rules', at: now() } });
const stockCommitted = (): OrderCommand => ({
  type: 'RecordStockCommitted',
  data: { source: 'pool', at: now() },
});
const delivered = (): OrderCommand => ({
  type: 'RecordDelivered',
  data: { servedBy: 'pool', attempts: 1, at: now() },
});
const goodsSent = (): OrderCommand => ({
  type: 'RecordNotificationSent',
  data: { channel: 'email', purpose: 'goods', late: false, at: now() },
});

/**
 * What one stage fact costs orders in Postgres round trips, counted (never timed), on the real schema:
 * every service consumes its facts in a batch transaction, so each statement here is a round trip per fact.
 */
describe('orders: statements per stage fact (real Postgres)', () => {
  let dataSource: DataSource;
  let execute: ExecuteOrderCommand;

  beforeAll(async () => {
    dataSource = await prepareDataSource({
      type: 'postgres',
      url: testDatabaseUrl(),
      schema: 'orders',
      migrationsTableName: 'migrations',
      migrations: [
        messagingTablesMigration('orders'),
        OrderReadModels1732400000000,
        SlaWatch1732500000000,
        ParkedFacts1732600000000,
        AdmissionBacklog1732700000000,
      ],
    });
    const repository = new OrderRepository(
      new EventStore('orders', 'orders', pipelineCatalog),
      slaSettingsFromEnv({}),
    );
    execute = new ExecuteOrderCommand(repository);
  });
  afterAll(() => dataSource?.destroy());

  /** Runs one fact in its own transaction and returns the outcome and the statements it sent. */
  const run = (orderId: string, command: OrderCommand) =>
    dataSource.transaction(async (manager: EntityManager) => {
      const statements: string[] = [];
      const query = manager.query.bind(manager);
      manager.query = ((sql: string, parameters?: unknown[]) => {
        statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
        return query(sql, parameters);
      }) as typeof manager.query;
      const outcome = await execute.execute(manager, orderId, command, { parkIfEarly: true });
      return { outcome, statements };
    });

  const status = async (orderId: string) =>
    (await dataSource.query(`SELECT status FROM orders.order_view WHERE order_id = $1`, [orderId]))[0]
      ?.status;
  const deadlines = async (orderId: string) =>
    (
      await dataSource.query(`SELECT count(*)::int AS n FROM orders.sla_deadlines WHERE order_id = $1`, [
        orderId,
      ])
    )[0].n;
  const parked = async (orderId: string) =>
    (
      await dataSource.query(`SELECT count(*)::int AS n FROM orders.parked_facts WHERE order_id = $1`, [
        orderId,
      ])
    )[0].n;

  it('spends 4 statements on a fact: lock, load (with the parked count), append, view (with SLA deadlines when they change)', async () => {
    const orderId = randomUUID();
    await run(orderId, place(orderId));
    const counts: number[] = [];
    for (const fact of [
      stockReserved,
      paymentConfirmed,
      riskApproved,
      stockCommitted,
      delivered,
      goodsSent,
    ]) {
      const { outcome, statements } = await run(orderId, fact());
      expect(outcome).toHaveProperty('applied');
      counts.push(statements.length);
      if (fact === paymentConfirmed) expect(await deadlines(orderId)).toBe(2);
    }
    // Before: 8 per fact, 9 for the one with two events (a max(version) SELECT, one INSERT per event, the
    // view, a deadline statement on every fact, a second load and the parked SELECT).
    expect(counts).toEqual([4, 4, 4, 4, 4, 4]);
    expect(await status(orderId)).toBe('completed');
    expect(await deadlines(orderId)).toBe(0);
  });

  it('applies a delivery that overtook the stock commit, and records the commit when it arrives', async () => {
    const orderId = randomUUID();
    for (const fact of [place(orderId), stockReserved(), paymentConfirmed(), riskApproved()]) {
      await run(orderId, fact);
    }
    const early = await run(orderId, delivered());
    expect(early.outcome).toHaveProperty('applied');
    expect(await parked(orderId)).toBe(0);
    expect(await status(orderId)).toBe('delivered');
    expect(await deadlines(orderId)).toBe(0);

    const late = await run(orderId, stockCommitted());
    expect(late.outcome).toMatchObject({ applied: [{ type: 'StockCommitted' }] });
    expect(await status(orderId)).toBe('delivered');
    await run(orderId, goodsSent());
    expect(await status(orderId)).toBe('completed');
  });

  it('parks a fact that is early and not provably consistent, and applies it after its predecessor', async () => {
    const orderId = randomUUID();
    await run(orderId, place(orderId));
    const early = await run(orderId, riskApproved());
    expect(early.outcome).toHaveProperty('parked');
    expect(await parked(orderId)).toBe(1);

    const predecessor = await run(orderId, paymentConfirmed());
    expect(predecessor.outcome).toHaveProperty('applied');
    // The load told it there was a parked fact, so it looked, applied it and deleted it.
    expect(
      predecessor.statements.some((s) => s.startsWith('SELECT id, command FROM orders.parked_facts')),
    ).toBe(true);
    expect(await parked(orderId)).toBe(0);
    expect(await status(orderId)).toBe('approved');
  });
});
