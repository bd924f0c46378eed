import { randomUUID } from 'node:crypto';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  eventually,
  freePorts,
  payLinkTestKeys,
  ServiceProcess,
  testDatabaseUrl,
  withPgClient,
} from '@keyflow/testing';

import { Upstream } from './upstream';

const admin = generateApiKey('admission-admin', ['admin']);
const total = { amountMinor: 5000, currency: 'CNY' };

/**
 * Admission control with a bound of one order of backlog (paid but unfinished, or placed but not taken up):
 * two paid orders and a placed one close checkout to new buyers (503 + Retry-After), never to a buyer
 * replaying an accepted checkout, and finishing one paid order and taking up the placed one opens it again.
 */
describe('orders admission control at checkout', () => {
  /** Made in beforeAll, on a port the kernel says is free (a random one clashed with a busy box's ports). */
  let orders: ServiceProcess;
  const ordersOn = (port: number) =>
    new ServiceProcess({
      entry: 'apps/orders/src/main.ts',
      port,
      env: {
        DATABASE_URL: testDatabaseUrl(),
        OPERATOR_API_KEYS: formatApiKeyRecord(admin.record),
        // Required since checkout signs its pay URL; orders refuses to start without it.
        PAY_LINK_SIGNING_KEY: payLinkTestKeys().signingKey,
        ADMISSION_MAX_BACKLOG: '1',
        ADMISSION_BACKLOG_CACHE_MS: '200',
        ADMISSION_MAX_RETRY_AFTER_SECONDS: '20',
      },
    });
  const upstream = new Upstream();

  const http = (path: string, init: RequestInit = {}, headers: Record<string, string> = {}) =>
    fetch(`${orders.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.key}`, ...headers },
    });
  const checkout = (n: number, key = `admission-${randomUUID()}`) =>
    http(
      '/v1/orders',
      {
        method: 'POST',
        body: JSON.stringify({
          sku: 'ADMIT-1',
          quantity: 1,
          email: `b${n}@example.com`,
          paymentChannel: 'alipay',
        }),
      },
      { 'idempotency-key': key },
    );
  const viewOf = async (orderId: string) =>
    (await (await http(`/v1/orders/${orderId}/timeline`)).json()) as {
      status: string;
      currentStage?: string;
    };
  const waitForStatus = (orderId: string, status: string) =>
    eventually(async () => ((await viewOf(orderId)).status === status ? true : undefined), {
      what: `order ${orderId} to be ${status}`,
    });
  const waitForStage = (orderId: string, stage: string) =>
    eventually(async () => ((await viewOf(orderId)).currentStage === stage ? true : undefined), {
      what: `order ${orderId} to wait in ${stage}`,
    });
  /** The backlog reading is cached for 200 ms (ADMISSION_BACKLOG_CACHE_MS): let the last one expire. */
  const expireReading = () => new Promise((resolve) => setTimeout(resolve, 300));
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${orders.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return Number(line?.split(' ').pop());
  };
  const now = () => new Date().toISOString();
  const pay = (orderId: string) =>
    upstream.publish(
      'payment.confirmed.v1',
      orderId,
      {
        paymentId: `pay-${orderId}`,
        provider: 'alipay',
        providerTradeNo: `t-${orderId}`,
        amount: total,
        paidAt: now(),
      },
      now(),
    );

  const reserve = (orderId: string) =>
    upstream.publish(
      'stock.reserved.v1',
      orderId,
      {
        sku: 'ADMIT-1',
        quantity: 1,
        reservationId: randomUUID(),
        source: 'supplier',
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      },
      now(),
    );

  /** The rest of the pipeline, played: approved, committed, delivered, buyer told → completed. */
  async function finish(orderId: string): Promise<void> {
    const deliveryId = randomUUID();
    await upstream.publish(
      'risk.approved.v1',
      orderId,
      { assessmentId: randomUUID(), score: 1, mode: 'pass-first' },
      now(),
    );
    await waitForStatus(orderId, 'approved');
    await upstream.publish(
      'stock.committed.v1',
      orderId,
      { sku: 'ADMIT-1', quantity: 1, reservationId: randomUUID(), source: 'supplier', suppliers: ['sup-a'] },
      now(),
    );
    await waitForStatus(orderId, 'fulfilling');
    await upstream.publish(
      'delivery.succeeded.v1',
      orderId,
      { deliveryId, servedBy: 'sup-a', itemCount: 1, attempts: 1, deliveredAt: now() },
      now(),
    );
    await waitForStatus(orderId, 'delivered');
    await upstream.publish(
      'notification.sent.v1',
      orderId,
      {
        notificationId: randomUUID(),
        channel: 'email',
        purpose: 'goods',
        attempts: 1,
        sentAt: now(),
        late: false,
      },
      now(),
    );
    await waitForStatus(orderId, 'completed');
  }

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS orders CASCADE'));
    orders = ordersOn((await freePorts(1))[0]!);
    await orders.start();
    await upstream.start();
    const put = await http('/v1/products/ADMIT-1', {
      method: 'PUT',
      body: JSON.stringify({ title: 'Admission test card', unitPriceMinor: 5000, currency: 'CNY' }),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await upstream.stop();
    await orders?.stop();
  });

  it('sheds new checkouts past the bound with 503 + Retry-After, replays accepted ones, admits again once drained', async () => {
    const placed = async (n: number, key?: string) => {
      const response = await checkout(n, key);
      expect(response.status).toBe(201);
      return ((await response.json()) as { orderId: string }).orderId;
    };
    const firstKey = `admission-first-${randomUUID()}`;
    const firstId = await placed(1, firstKey);
    const secondId = await placed(2);
    // Taken up by the pipeline (reserved) and not paid, e.g. an abandoned cart: no longer owed work.
    await reserve(firstId);
    await reserve(secondId);
    await waitForStage(firstId, 'payment');
    await waitForStage(secondId, 'payment');
    await expireReading();
    // Placed, not yet taken up: counts (1, within the bound of 1).
    const unprocessedId = await placed(3);

    await pay(firstId);
    await pay(secondId);
    await waitForStatus(firstId, 'paid');
    await waitForStatus(secondId, 'paid');

    // Two paid orders unfinished and one placed order not taken up: 3 > 1, a new buyer is shed.
    await expireReading();
    const lateKey = `admission-late-${randomUUID()}`;
    const shed = await checkout(4, lateKey);
    expect(shed.status).toBe(503);
    // Nothing completed yet: no honest estimate, so the longest Retry-After configured.
    expect(shed.headers.get('retry-after')).toBe('20');
    expect(await shed.json()).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      code: 'CHECKOUT.BUSY',
      retryAfterSeconds: 20,
    });
    expect(await metric('keyflow_admission_backlog')).toBe(3);
    expect(await metric('keyflow_checkouts_shed_total')).toBeGreaterThanOrEqual(1);

    // The buyer whose checkout was accepted before still gets their order when their browser retries.
    const replay = await checkout(1, firstKey);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { orderId: string }).orderId).toBe(firstId);

    // One paid order finishes and the placed one is taken up: the backlog is back within the bound, and the
    // shed buyer's retry (same key: a shed checkout claimed nothing) is accepted as a new order.
    await finish(firstId);
    await reserve(unprocessedId);
    await waitForStage(unprocessedId, 'payment');
    const admitted = await eventually(
      async () => {
        const response = await checkout(4, lateKey);
        return response.status === 201 ? response : undefined;
      },
      { what: 'checkout to admit again' },
    );
    expect(((await admitted.json()) as { orderId: string }).orderId).not.toBe(firstId);
  });
});
