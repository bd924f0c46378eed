import { createPublicKey, randomUUID } from 'node:crypto';

import { PAY_LINK_PARAM, Topics, verifyPayLink } from '@keyflow/contracts';
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

const admin = generateApiKey('e2e-admin', ['admin']);
const reader = generateApiKey('e2e-reader', ['read']);
const total = { amountMinor: 10000, currency: 'CNY' };

/** Response bodies are read loosely: the assertions say what they must contain. */
const json = (response: Response): Promise<any> => response.json();

const payLink = payLinkTestKeys();

/** orders as a real process against the real broker and Postgres; the other services are played by Upstream. */
describe('orders service', () => {
  const orders = new ServiceProcess({
    entry: 'apps/orders/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: [admin.record, reader.record].map(formatApiKeyRecord).join(';'),
      ORDER_RESERVATION_MINUTES: '0.05', // 3 s, so the expiry test is quick
      ORDER_EXPIRY_SCAN_SECONDS: '1',
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
        ...(init.headers as Record<string, string>),
      },
    });
  const checkout = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    http('/v1/orders', { method: 'POST', body: JSON.stringify(body), headers });
  const order = { sku: 'STEAM-100', quantity: 2, email: 'buyer@example.com', paymentChannel: 'alipay' };
  const timeline = async (orderId: string) =>
    json(await http(`/v1/orders/${orderId}/timeline`, { key: reader.key }));
  const waitForStatus = (orderId: string, status: string) =>
    eventually(
      async () => {
        const view = await timeline(orderId);
        return view.status === status ? view : undefined;
      },
      { what: `order ${orderId} to be ${status}` },
    );

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS orders CASCADE'));
    await orders.start();
    await upstream.start();
    probe = await new TopicProbe([Topics.orders]).start();
    const put = await http('/v1/products/STEAM-100', {
      method: 'PUT',
      key: admin.key,
      body: JSON.stringify({ title: 'Steam wallet 100', unitPriceMinor: 5000, currency: 'CNY' }),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await probe?.stop();
    await upstream.stop();
    await orders.stop();
  });

  it('answers bad checkout input with 400 and the reason for each field', async () => {
    const response = await checkout({
      sku: 'no spaces allowed',
      quantity: 0,
      email: 'nope',
      paymentChannel: 'cash',
      extra: 1,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await json(response);
    expect(body).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    expect(body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['#/sku', '#/quantity', '#/email', '#/paymentChannel', '#/extra']),
    );
    expect(body.errors.map((e: { detail: string }) => e.detail)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sku must be/),
        expect.stringMatching(/^quantity must not be less than 1/),
        expect.stringMatching(/^email must be/),
        expect.stringMatching(/^paymentChannel must be one of/),
        expect.stringMatching(/property extra should not exist/),
      ]),
    );
    expect((await checkout({ ...order, sku: 'NOT-ON-SALE' })).status).toBe(422);
  });

  it('places an order, publishes OrderPlaced and answers a retried checkout with the same order', async () => {
    const key = `checkout-${randomUUID()}`;
    const checkedOutAt = new Date(); // the window here is 3 s: the link is read as of checkout
    const first = await checkout(order, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const placed = await json(first);
    expect(placed).toMatchObject({ status: 'awaiting-payment', amount: total });
    // The pay URL carries the payment's facts, signed with orders' key: payment-callback can open the
    // payment from it alone, and no other key (nor a changed fact) passes.
    const payUrl = new URL(placed.payUrl);
    expect(payUrl.pathname).toBe(`/v1/pay/${placed.orderId}`);
    const token = payUrl.searchParams.get(PAY_LINK_PARAM)!;
    expect(
      await verifyPayLink(token, createPublicKey(payLink.publicKey), {
        orderId: placed.orderId,
        now: checkedOutAt,
      }),
    ).toEqual({
      orderId: placed.orderId,
      amount: total,
      paymentChannel: 'alipay',
      expiresAt: new Date(Math.floor(Date.parse(placed.expiresAt) / 1000) * 1000).toISOString(),
      traceContext: expect.any(Object),
    });
    const stranger = createPublicKey(payLinkTestKeys().publicKey);
    await expect(
      verifyPayLink(token, stranger, { orderId: placed.orderId, now: checkedOutAt }),
    ).rejects.toMatchObject({
      code: 'PAY_LINK.INVALID',
    });

    const retries = await Promise.all([1, 2, 3, 4, 5].map(() => checkout(order, { 'idempotency-key': key })));
    for (const retry of retries) {
      expect(retry.status).toBe(200);
      expect(await json(retry)).toMatchObject({ orderId: placed.orderId, payUrl: placed.payUrl });
    }
    expect((await checkout({ ...order, quantity: 1 }, { 'idempotency-key': key })).status).toBe(422);

    const [message] = await probe.waitFor((m) => m.key === placed.orderId, 1);
    expect(JSON.parse(message!.value!)).toMatchObject({
      type: 'order.placed.v1',
      data: { orderId: placed.orderId, total },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      probe.where(
        (m) => m.value!.includes('order.placed.v1') && JSON.parse(m.value!).data.orderId === placed.orderId,
      ),
    ).toHaveLength(1);

    const status = await http(new URL(placed.statusUrl).pathname + new URL(placed.statusUrl).search);
    expect(await json(status)).toMatchObject({
      orderId: placed.orderId,
      status: 'awaiting-payment',
      waitingFor: 'stock-reservation',
    });
    expect((await http(`/v1/orders/${placed.orderId}?token=forged`)).status).toBe(404);
  });

  it('follows every stage into the timeline and completes the order', async () => {
    const { orderId } = await json(await checkout(order));
    const at = Date.now();
    const time = (seconds: number) => new Date(at + seconds * 1000).toISOString();

    await upstream.publish(
      'stock.reserved.v1',
      orderId,
      {
        sku: 'STEAM-100',
        quantity: 2,
        reservationId: randomUUID(),
        source: 'supplier',
        expiresAt: time(900),
      },
      time(1),
    );
    await upstream.publish(
      'payment.confirmed.v1',
      orderId,
      { paymentId: 'pay-1', provider: 'alipay', providerTradeNo: 't-1', amount: total, paidAt: time(30) },
      time(30),
    );
    await waitForStatus(orderId, 'paid');
    await upstream.publish(
      'risk.approved.v1',
      orderId,
      { assessmentId: randomUUID(), score: 3, mode: 'pass-first' },
      time(31),
    );
    await waitForStatus(orderId, 'approved');
    await upstream.publish(
      'stock.committed.v1',
      orderId,
      {
        sku: 'STEAM-100',
        quantity: 2,
        reservationId: randomUUID(),
        source: 'supplier',
        suppliers: ['sup-a', 'sup-b'],
      },
      time(32),
    );
    await waitForStatus(orderId, 'fulfilling');
    const deliveryId = randomUUID();
    await upstream.publish(
      'delivery.supplier-switched.v1',
      orderId,
      { deliveryId, fromSupplier: 'sup-a', toSupplier: 'sup-b', reason: 'breaker open' },
      time(40),
    );
    const switched = await eventually(async () => {
      const view = await timeline(orderId);
      return view.waitingReason?.includes('using backup') ? view : undefined;
    });
    expect(switched.waitingReason).toBe('primary supplier sup-a down, using backup sup-b');
    await upstream.publish(
      'delivery.succeeded.v1',
      orderId,
      { deliveryId, servedBy: 'sup-b', itemCount: 2, attempts: 2, deliveredAt: time(45) },
      time(45),
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
        sentAt: time(46),
        late: false,
      },
      time(46),
    );

    const view = await waitForStatus(orderId, 'completed');
    const stages = Object.fromEntries(view.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(stages.payment).toMatchObject({ status: 'done', servedBy: 'alipay', endedAt: time(30) });
    expect(stages.delivery).toMatchObject({ status: 'done', servedBy: 'sup-b', durationMs: 13000 });
    expect(stages.delivery.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/switched from sup-a to sup-b/)]),
    );
    expect(stages.notification).toMatchObject({ status: 'done', servedBy: 'email' });
    await probe.waitFor((m) => m.key === orderId && m.value!.includes('order.completed.v1'), 1);
    // The early "delivered" was refused: the stream holds exactly the one delivery that came in order.
    const delivered = await withPgClient((client) =>
      client.query(
        `SELECT count(*)::int AS n FROM orders.events WHERE stream_id = $1 AND type = 'orders.delivered.v1'`,
        [orderId],
      ),
    );
    expect(delivered.rows[0].n).toBe(1);
  });

  it('applies a fact that overtook its predecessor on another topic once that arrives; never one that stays illegal', async () => {
    const early = json(await checkout(order));
    const { orderId } = await early;
    const now = () => new Date().toISOString();
    // risk.v1 can outrun payments.v1: the approval waits for the payment instead of being lost.
    await upstream.publish(
      'risk.approved.v1',
      orderId,
      { assessmentId: randomUUID(), score: 1, mode: 'pass-first' },
      now(),
    );
    await eventually(async () =>
      (await withPgClient((c) => c.query('SELECT 1 FROM orders.parked_facts WHERE order_id = $1', [orderId])))
        .rowCount === 1
        ? true
        : undefined,
    );
    await upstream.publish(
      'payment.confirmed.v1',
      orderId,
      { paymentId: 'p-early', provider: 'alipay', providerTradeNo: 't-early', amount: total, paidAt: now() },
      now(),
    );
    await waitForStatus(orderId, 'approved');

    // Delivered before paid: parked, not applied; the unpaid order stays unpaid.
    const unpaid = (await json(await checkout(order))).orderId as string;
    await upstream.publish(
      'delivery.succeeded.v1',
      unpaid,
      { deliveryId: randomUUID(), servedBy: 'pool', itemCount: 2, attempts: 1, deliveredAt: now() },
      now(),
    );
    await eventually(async () =>
      (await withPgClient((c) => c.query('SELECT 1 FROM orders.parked_facts WHERE order_id = $1', [unpaid])))
        .rowCount === 1
        ? true
        : undefined,
    );
    expect((await timeline(unpaid)).status).toBe('awaiting-payment');
    const delivered = await withPgClient((c) =>
      c.query(
        `SELECT count(*)::int AS n FROM orders.events WHERE stream_id = $1 AND type = 'orders.delivered.v1'`,
        [unpaid],
      ),
    );
    expect(delivered.rows[0].n).toBe(0);
  });

  it('cancels an unpaid order when its reservation expires', async () => {
    const { orderId } = await json(await checkout(order));
    await waitForStatus(orderId, 'cancelled');
    const [cancelled] = await probe.waitFor(
      (m) => m.key === orderId && m.value!.includes('order.cancelled.v1'),
      1,
    );
    expect(JSON.parse(cancelled!.value!).data.reason).toBe('payment-expired');
  });

  it('protects operator endpoints: no key 401, too weak a key 403', async () => {
    expect((await http('/v1/orders')).status).toBe(401);
    expect((await http('/v1/orders', { key: 'kf_000000_' + 'x'.repeat(43) })).status).toBe(401);
    expect((await http('/v1/admin/read-models/rebuild', { method: 'POST', key: reader.key })).status).toBe(
      403,
    );
    const list = await json(await http('/v1/orders?status=completed&limit=5', { key: reader.key }));
    expect(list.items.every((o: { status: string }) => o.status === 'completed')).toBe(true);
    const stuck = await json(await http('/v1/orders?stuckFor=1h', { key: reader.key }));
    expect(stuck.total).toBe(0);
  });

  it('rebuilds the read models from the event store to the same result', async () => {
    const before = await json(await http('/v1/orders?limit=200', { key: reader.key }));
    const rebuild = await http('/v1/admin/read-models/rebuild', { method: 'POST', key: admin.key });
    expect(rebuild.status).toBe(200);
    expect((await json(rebuild)).rebuilt).toBe(before.total);
    const after = await json(await http('/v1/orders?limit=200', { key: reader.key }));
    const byId = (list: { items: Array<{ orderId: string }> }) =>
      Object.fromEntries(list.items.map((view) => [view.orderId, view]));
    expect(byId(after)).toEqual(byId(before));
  });
});
