import { randomUUID } from 'node:crypto';

import { Topics } from '@keyflow/contracts';
import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  eventually,
  payLinkTestKeys,
  ServiceProcess,
  testDatabaseUrl,
  testPort,
  TopicProbe,
  withPgClient,
} from '@keyflow/testing';

import { Upstream } from './upstream';

const operator = generateApiKey('e2e-operator', ['operate']);
const reader = generateApiKey('e2e-reader', ['read']);
const total = { amountMinor: 5000, currency: 'CNY' };
const json = (response: Response): Promise<any> => response.json();

const payLink = payLinkTestKeys();

/** The console's read APIs (overview, delay map, stuck-order filters) and the operator's refund. */
describe('orders: operator console APIs', () => {
  const orders = new ServiceProcess({
    entry: 'apps/orders/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: [operator.record, reader.record].map(formatApiKeyRecord).join(';'),
      SLA_TIER1_SECONDS: '300',
      PAY_LINK_SIGNING_KEY: payLink.signingKey,
    },
  });
  const upstream = new Upstream();
  let probe: TopicProbe;
  const http = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${orders.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      },
    });
  const checkout = async () =>
    (
      await json(
        await http('/v1/orders', {
          method: 'POST',
          body: JSON.stringify({
            sku: 'STEAM-100',
            quantity: 1,
            email: 'buyer@example.com',
            paymentChannel: 'alipay',
          }),
        }),
      )
    ).orderId as string;
  const statusOf = (orderId: string, status: string) =>
    eventually(async () => {
      const view = await json(await http(`/v1/orders/${orderId}/timeline`, { key: reader.key }));
      return view.status === status ? view : undefined;
    });

  /** An order paid ten minutes ago, stuck in delivery after the primary supplier failed. */
  async function stuckInDelivery(): Promise<string> {
    const orderId = await checkout();
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
    await upstream.publish(
      'stock.reserved.v1',
      orderId,
      {
        sku: 'STEAM-100',
        quantity: 1,
        reservationId: randomUUID(),
        source: 'supplier',
        expiresAt: ago(-900),
      },
      ago(600),
    );
    await upstream.publish(
      'payment.confirmed.v1',
      orderId,
      {
        paymentId: `p-${orderId}`,
        provider: 'alipay',
        providerTradeNo: 't',
        amount: total,
        paidAt: ago(600),
      },
      ago(600),
    );
    await statusOf(orderId, 'paid');
    await upstream.publish(
      'risk.approved.v1',
      orderId,
      { assessmentId: randomUUID(), score: 1, mode: 'pass-first' },
      ago(599),
    );
    await statusOf(orderId, 'approved');
    await upstream.publish(
      'stock.committed.v1',
      orderId,
      {
        sku: 'STEAM-100',
        quantity: 1,
        reservationId: randomUUID(),
        source: 'supplier',
        suppliers: ['primary', 'backup'],
      },
      ago(598),
    );
    await upstream.publish(
      'delivery.attempt-failed.v1',
      orderId,
      { deliveryId: randomUUID(), attempt: 1, reason: 'primary: HTTP 503; backup: HTTP 503' },
      ago(590),
    );
    await eventually(async () => {
      const view = await json(await http(`/v1/orders/${orderId}/timeline`, { key: reader.key }));
      return view.stages.find((s: any) => s.stage === 'delivery')?.attempts === 1 ? true : undefined;
    });
    return orderId;
  }

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS orders CASCADE'));
    await orders.start();
    await upstream.start();
    probe = await new TopicProbe([Topics.orders]).start();
    // The price list is seeded straight into the table: this suite's keys are read and operate only.
    await withPgClient((client) =>
      client.query(
        `INSERT INTO orders.products (sku, title, unit_price_minor, currency) VALUES ('STEAM-100', 'Steam', 5000, 'CNY')
         ON CONFLICT (sku) DO NOTHING`,
      ),
    );
  });

  afterAll(async () => {
    await probe?.stop();
    await upstream.stop();
    await orders.stop();
  });

  it('given no key, when the console asks for figures, then 401', async () => {
    expect((await http('/v1/dashboard/overview')).status).toBe(401);
    expect((await http('/v1/dashboard/delay-map')).status).toBe(401);
    expect((await http('/v1/dashboard/overview?window=forever', { key: reader.key })).status).toBe(400);
  });

  it('given an order stuck in delivery, then the overview, the delay map and the filters all show it', async () => {
    await checkout(); // unpaid: its payment stage waits on the buyer and stays off the delay map
    const orderId = await stuckInDelivery();
    const overview = await json(await http('/v1/dashboard/overview', { key: reader.key }));
    expect(overview.byStage.delivery).toBeGreaterThanOrEqual(1);
    expect(overview.byStatus.fulfilling).toBeGreaterThanOrEqual(1);
    expect(overview.paidUndelivered.count).toBeGreaterThanOrEqual(1);
    expect(overview.paidUndelivered.oldestAgeSeconds).toBeGreaterThanOrEqual(590);
    expect(overview.window).toMatchObject({ lateAfterSeconds: 300 });
    expect(overview.window.late).toBeGreaterThanOrEqual(1);
    expect(Array.isArray(overview.alerts)).toBe(true);

    const map = await json(await http('/v1/dashboard/delay-map?window=1h', { key: reader.key }));
    const delivery = map.stages.find((s: any) => s.stage === 'delivery');
    expect(delivery.open).toBeGreaterThanOrEqual(1);
    expect(delivery.p99Ms).toBeGreaterThanOrEqual(590_000);
    expect(map.slowest).toBe('delivery');
    expect(map.stages.find((s: any) => s.stage === 'payment').open).toBe(0);

    const list = async (query: string) =>
      (await json(await http(`/v1/orders?${query}`, { key: reader.key }))).items.map((o: any) => o.orderId);
    expect(await list('stage=delivery&sku=STEAM-100&supplier=primary&stuckFor=5m')).toContain(orderId);
    expect(await list('stage=delivery&supplier=someone-else')).not.toContain(orderId);
    expect(await list('stage=risk')).not.toContain(orderId);
    expect((await http('/v1/orders?stage=warp', { key: reader.key })).status).toBe(400);
  });

  it('given a stuck paid order, when an operator refunds it twice, then one order.refund-requested goes out', async () => {
    const orderId = await stuckInDelivery();
    const refund = (key: string, body: unknown = { reason: 'supplier down for hours' }) =>
      http(`/v1/orders/${orderId}/refund`, { method: 'POST', key, body: JSON.stringify(body) });
    expect((await refund(reader.key)).status).toBe(403);
    expect((await refund(operator.key, { reason: '' })).status).toBe(400);
    const first = await refund(operator.key);
    expect(first.status).toBe(202);
    expect(await json(first)).toMatchObject({ orderId, refundRequested: true, alreadyRequested: false });
    expect(await json(await refund(operator.key))).toMatchObject({ alreadyRequested: true });
    await statusOf(orderId, 'refund-requested');
    const events = await probe.waitFor(
      (m) => m.key === orderId && m.value!.includes('order.refund-requested.v1'),
      1,
    );
    expect(JSON.parse(events[0].value!).data.reason).toMatch(/operator e2e-operator: supplier down/);
  });

  it('given an unpaid or unknown order, when refunded, then 409 and 404 with the reason', async () => {
    const unpaid = await checkout();
    const answer = await http(`/v1/orders/${unpaid}/refund`, {
      method: 'POST',
      key: operator.key,
      body: JSON.stringify({ reason: 'buyer asked' }),
    });
    expect(answer.status).toBe(409);
    expect((await json(answer)).code).toBe('ORDER.ILLEGAL_TRANSITION');
    const unknown = await http(`/v1/orders/${randomUUID()}/refund`, {
      method: 'POST',
      key: operator.key,
      body: JSON.stringify({ reason: 'buyer asked' }),
    });
    expect(unknown.status).toBe(404);
  });
});
