import { randomUUID } from 'node:crypto';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import { freePorts, payLinkTestKeys, ServiceProcess, testDatabaseUrl, withPgClient } from '@keyflow/testing';

const admin = generateApiKey('hostile-admin', ['admin']);

/**
 * orders as a real process against Postgres and Kafka, fed hostile input: bodies bounded in size and depth
 * before parsing, unknown fields refused whatever their name, and buyer links that give no existence
 * oracle, expire after the order ended, and limit wrong guesses per client address only.
 */
describe('orders: hostile input and buyer links', () => {
  let orders: ServiceProcess;
  const checkout = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${orders.url}/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `hostile-${randomUUID()}`,
        ...headers,
      },
      body,
    });
  const order = { sku: 'HOSTILE-1', quantity: 1, email: 'buyer@example.com', paymentChannel: 'alipay' };
  /** The buyer status answer as one comparable value: status, content type and body. */
  const status = async (orderId: string, token: string | undefined, client = '198.51.100.1') => {
    const response = await fetch(`${orders.url}/v1/orders/${orderId}${token ? `?token=${token}` : ''}`, {
      headers: { 'x-forwarded-for': client },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  const placeOrder = async () => {
    const response = await checkout(JSON.stringify(order));
    expect(response.status).toBe(201);
    return (await response.json()) as { orderId: string; accessToken: string; statusUrl: string };
  };

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS orders CASCADE'));
    orders = new ServiceProcess({
      entry: 'apps/orders/src/main.ts',
      port: (await freePorts(1))[0]!,
      env: {
        DATABASE_URL: testDatabaseUrl(),
        OPERATOR_API_KEYS: formatApiKeyRecord(admin.record),
        PAY_LINK_SIGNING_KEY: payLinkTestKeys().signingKey,
        CHECKOUT_RATE_LIMIT: '100000',
        ADMISSION_MAX_BACKLOG: 'off',
        ORDER_RESERVATION_MINUTES: '0.05', // unpaid orders end (cancelled) after 3 s
        ORDER_EXPIRY_SCAN_SECONDS: '1',
        ORDER_LINK_VALID_AFTER_END_SECONDS: '3',
        ORDER_LINK_MAX_FAILURES: '5',
        ORDER_LINK_FAILURE_WINDOW_SECONDS: '600',
        HTTP_BODY_LIMIT_BYTES: '16384',
      },
    });
    await orders.start();
    const put = await fetch(`${orders.url}/v1/products/HOSTILE-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.key}` },
      body: JSON.stringify({ title: 'Hostile test card', unitPriceMinor: 100, currency: 'CNY' }),
    });
    expect(put.status).toBe(200);
  }, 90000);

  afterAll(async () => {
    await orders?.stop();
  });

  it('answers a checkout nested thousands of levels deep with 400 before parsing it, and a huge one with 413', async () => {
    const deep = `{"sku":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const tooDeep = await checkout(deep);
    expect(tooDeep.status).toBe(400);
    expect(JSON.stringify(await tooDeep.json())).toContain('nests deeper than 32 levels');
    const deepForm = await fetch(`${orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `sku${'[a]'.repeat(100)}=1`,
    });
    expect(deepForm.status).toBe(400);
    const huge = await checkout(JSON.stringify({ ...order, email: `${'a'.repeat(20000)}@example.com` }));
    expect(huge.status).toBe(413);
    expect((await checkout(JSON.stringify(order))).status).toBe(201);
  });

  it.each(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'])(
    'refuses an unknown checkout field named %s with 400, like any other unknown field',
    async (name) => {
      const response = await checkout(
        `{${JSON.stringify(name)}:{"admin":true},${JSON.stringify(order).slice(1)}`,
      );
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { code: string; errors: Array<{ detail: string }> };
      expect(problem.code).toBe('REQUEST.INVALID');
      expect(problem.errors.map((error) => error.detail)).toEqual([`property ${name} should not exist`]);
    },
  );

  it('answers an unknown order, a wrong token and no token exactly alike, and the right token with the order', async () => {
    const placed = await placeOrder();
    const unknownId = randomUUID();
    const unknown = await status(unknownId, placed.accessToken);
    const wrong = await status(
      placed.orderId,
      placed.accessToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    const none = await status(placed.orderId, undefined);
    const othersToken = await status(placed.orderId, (await placeOrder()).accessToken);
    expect(unknown).toEqual({
      status: 404,
      type: 'application/problem+json; charset=utf-8',
      retryAfter: null,
      body: {
        type: 'tag:keyflow.dev,2026:problem:ORDER_LINK.INVALID',
        title: 'Not Found',
        status: 404,
        code: 'ORDER_LINK.INVALID',
        detail: 'no order matches this link: open the status link from your checkout or email',
      },
    });
    for (const answer of [wrong, none, othersToken]) expect(answer).toEqual(unknown);
    const own = await status(placed.orderId, placed.accessToken);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ orderId: placed.orderId });
  });

  it('stops an address after too many wrong links, without ever refusing the holder of a valid token elsewhere', async () => {
    const placed = await placeOrder();
    const guesser = '203.0.113.66';
    for (let i = 0; i < 5; i++) expect((await status(placed.orderId, `guess${i}`, guesser)).status).toBe(404);
    const blocked = await status(placed.orderId, placed.accessToken, guesser);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'ORDER_LINK.TOO_MANY_FAILURES' });
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    // guessing at unknown ids from the same address is limited the same way
    expect((await status(randomUUID(), 'x', guesser)).status).toBe(429);
    // the buyer, from their own address, opens their order as often as they like
    for (let i = 0; i < 10; i++)
      expect((await status(placed.orderId, placed.accessToken, '198.51.100.7')).status).toBe(200);
  });

  it('expires a link the set time after the order ended (here: cancelled unpaid), with its own clear answer', async () => {
    const placed = await placeOrder();
    expect((await status(placed.orderId, placed.accessToken)).status).toBe(200);
    const deadline = Date.now() + 30_000;
    let answer = await status(placed.orderId, placed.accessToken);
    while (answer.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await status(placed.orderId, placed.accessToken);
    }
    expect(answer.status).toBe(410);
    expect(answer.body).toMatchObject({ status: 410, code: 'ORDER_LINK.EXPIRED' });
    const finalStatus = await withPgClient(async (client) => {
      const { rows } = await client.query(`SELECT view FROM orders.order_view WHERE order_id = $1`, [
        placed.orderId,
      ]);
      return rows[0]?.view?.status as string | undefined;
    });
    expect(finalStatus).toBe('cancelled');
    // still nothing for a wrong token on the expired order: expiry is only told to the link's holder
    expect((await status(placed.orderId, 'wrong')).status).toBe(404);
  });
});
