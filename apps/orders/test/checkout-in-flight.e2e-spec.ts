import { randomUUID } from 'node:crypto';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import { freePorts, payLinkTestKeys, ServiceProcess, testDatabaseUrl, withPgClient } from '@keyflow/testing';

const admin = generateApiKey('in-flight-admin', ['admin']);

/**
 * The per-process cap on checkouts in flight: a burst past CHECKOUT_MAX_IN_FLIGHT is shed at the door with
 * 503 + Retry-After (the same code as the backlog bound), the others are served, and the places are freed
 * once the answers are out.
 */
describe('orders sheds checkouts past its in-flight cap', () => {
  let orders: ServiceProcess;
  const http = (path: string, init: RequestInit = {}) =>
    fetch(`${orders.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.key}` },
    });
  const checkout = (n: number) =>
    fetch(`${orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `in-flight-${randomUUID()}` },
      body: JSON.stringify({
        sku: 'INFLIGHT-1',
        quantity: 1,
        email: `b${n}@example.com`,
        paymentChannel: 'alipay',
      }),
    });

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
        CHECKOUT_MAX_IN_FLIGHT: '2',
      },
    });
    await orders.start();
    const put = await http('/v1/products/INFLIGHT-1', {
      method: 'PUT',
      body: JSON.stringify({ title: 'In-flight test card', unitPriceMinor: 100, currency: 'CNY' }),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await orders?.stop();
  });

  it('serves up to the cap at once, sheds the rest of a burst with 503 + Retry-After, and frees its places', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => checkout(n)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    const shed = answers.filter((a) => a.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(2);
    expect(shed[0]!.headers.get('retry-after')).toBe('1');
    expect(await shed[0]!.json()).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      code: 'CHECKOUT.BUSY',
      retryAfterSeconds: 1,
    });
    await Promise.all(answers.filter((a) => !a.bodyUsed).map((a) => a.body?.cancel()));

    // Every place is free again once the answers are out: checkouts one after another are all served.
    for (let n = 100; n < 105; n++) expect((await checkout(n)).status).toBe(201);
    const metrics = await (await fetch(`${orders.url}/metrics`)).text();
    const shedTotal = Number(
      metrics
        .split('\n')
        .find((l) => l.startsWith('keyflow_checkouts_shed_total'))
        ?.split(' ')
        .pop(),
    );
    expect(shedTotal).toBe(shed.length);
  });
});
