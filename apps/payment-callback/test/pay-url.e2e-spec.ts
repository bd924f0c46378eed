import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { type OrderPlacedV1, PAY_LINK_PARAM, type PayLinkFacts, signPayLink } from '@keyflow/contracts';
import { eventually, orderPlaced, withPgClient } from '@keyflow/testing';

import { dataOf, PaymentCallbackStack, traceIdOf } from './support/payment-callback-stack';

interface IntentRow {
  status: string;
  creation_attempts: number;
  provider_payment_id: string | null;
  cashier_url: string | null;
  amount_minor: string;
  rejection_reason: string | null;
}

/**
 * The pay URL orders hands out carries the payment's facts signed with orders' key: the buyer's first GET
 * opens the payment and answers 302 to the cashier, before payment-callback has read OrderPlaced.
 */
describe('payment-callback: the pay URL opens the payment on first touch (real Kafka, Postgres, sandbox provider)', () => {
  const stack = new PaymentCallbackStack();
  const signingKey = createPrivateKey(stack.payLink.signingKey);

  const factsOf = (order: OrderPlacedV1, overrides: Partial<PayLinkFacts> = {}): PayLinkFacts => ({
    orderId: order.orderId,
    amount: order.total,
    paymentChannel: order.paymentChannel,
    expiresAt: order.expiresAt,
    traceContext: {},
    ...overrides,
  });
  const tokenFor = (order: OrderPlacedV1, overrides: Partial<PayLinkFacts> = {}) =>
    signPayLink(factsOf(order, overrides), signingKey);
  const get = (orderId: string, token?: string) =>
    fetch(
      `${stack.payments.url}/v1/pay/${orderId}${token === undefined ? '' : `?${PAY_LINK_PARAM}=${token}`}`,
      {
        redirect: 'manual',
      },
    );
  const intentsOf = (orderId: string): Promise<IntentRow[]> =>
    withPgClient(async (client) => {
      const { rows } = await client.query(
        `SELECT status, creation_attempts, provider_payment_id, cashier_url, amount_minor, rejection_reason
         FROM "payments".payment_intents WHERE order_id = $1`,
        [orderId],
      );
      return rows;
    });
  /** payment-callback has handled this order's OrderPlaced (its inbox row committed with the effect). */
  const consumed = (orderId: string) =>
    eventually(
      async () => {
        const [placed] = stack.eventsFor('order.placed.v1', orderId);
        if (!placed) return undefined;
        const eventId = JSON.parse(placed.value!).id as string;
        const rows = await withPgClient(
          async (client) =>
            (await client.query(`SELECT 1 FROM "payments".inbox WHERE event_id = $1`, [eventId])).rows,
        );
        return rows.length === 1 || undefined;
      },
      { what: `payment-callback to consume OrderPlaced of ${orderId}`, timeoutMs: 60000 },
    );

  beforeAll(async () => {
    await stack.start();
    // Wait until payment-callback's consumer has its partitions (a group rebalance after the previous
    // suite's service can take a while on a busy machine), so "OrderPlaced changes nothing" is observed.
    const warmUp = await stack.source.placeOrderCommitted();
    await consumed(warmUp.orderId);
  }, 120000);
  afterAll(() => stack.stop());
  afterEach(async () => {
    await stack.setFaults({});
  });

  it("answers the first GET with 302 before OrderPlaced exists; the later OrderPlaced changes nothing; the payment joins the order's trace", async () => {
    const order = orderPlaced(randomUUID());
    const traceId = randomBytes(16).toString('hex');
    const token = await tokenFor(order, {
      traceContext: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    // Nothing of this order has been published yet: no intent can exist but the one the pay URL opens.
    expect(await intentsOf(order.orderId)).toEqual([]);

    const first = await get(order.orderId, token);
    expect(first.status).toBe(302);
    const cashier = first.headers.get('location')!;
    expect(cashier).toMatch(/\/sandbox\/cashier\//);
    const [opened] = await intentsOf(order.orderId);
    expect(opened).toMatchObject({ status: 'awaiting-payment', creation_attempts: 1, cashier_url: cashier });

    await stack.source.placeOrderCommitted(order);
    await consumed(order.orderId);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // a worker poll or five, had it any work
    expect(await intentsOf(order.orderId)).toEqual([opened]);
    const again = await get(order.orderId);
    expect([again.status, again.headers.get('location')]).toEqual([302, cashier]);

    await stack.payInSandbox(cashier.split('/').pop()!);
    const [confirmed] = await stack.probe.waitFor(
      (m) => m.headers.ce_type === 'payment.confirmed.v1' && m.key === order.orderId,
      1,
    );
    expect(dataOf(confirmed!)).toMatchObject({ orderId: order.orderId, amount: order.total });
    expect(traceIdOf(confirmed!)).toBe(traceId);
    expect(stack.eventsFor('payment.rejected.v1', order.orderId)).toHaveLength(0);
  });

  it('two GETs at once create one payment at the provider: the other is told 503 + Retry-After, then gets the same cashier', async () => {
    await stack.setFaults({ createDelayMs: 2000 });
    const order = orderPlaced(randomUUID());
    const token = await tokenFor(order);

    const answers = await Promise.all([get(order.orderId, token), get(order.orderId, token)]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([302, 503]);
    const waiting = answers.find((a) => a.status === 503)!;
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await waiting.json()).toMatchObject({ code: 'PAYMENT.BEING_CREATED' });
    const cashier = answers.find((a) => a.status === 302)!.headers.get('location');

    const retried = await get(order.orderId, token);
    expect([retried.status, retried.headers.get('location')]).toEqual([302, cashier]);
    expect(await intentsOf(order.orderId)).toEqual([
      expect.objectContaining({ status: 'awaiting-payment', creation_attempts: 1 }),
    ]);
  });

  it('answers 503 + Retry-After while the provider cannot create the payment, and 302 once it can', async () => {
    await stack.setFaults({ failCreates: true });
    const order = orderPlaced(randomUUID());
    const token = await tokenFor(order);

    const down = await get(order.orderId, token);
    expect(down.status).toBe(503);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await down.json()).toMatchObject({ code: 'PAYMENT.PROVIDER_UNAVAILABLE' });

    await stack.setFaults({});
    // As a browser would: come back after Retry-After (the failed attempt's backoff is a second).
    const cashier = await eventually(
      async () => {
        const response = await get(order.orderId, token);
        if (response.status === 302) return response.headers.get('location')!;
        expect(response.status).toBe(503);
        return undefined;
      },
      { timeoutMs: 10000, intervalMs: 1000, what: 'the pay URL to redirect once the provider is back' },
    );
    expect(cashier).toMatch(/\/sandbox\/cashier\//);
  });

  it('answers 503 + Retry-After, never 500, when Postgres fails during the request; coming back gets the cashier', async () => {
    const order = orderPlaced(randomUUID());
    const token = await tokenFor(order);

    const failed = await withPgClient(async (locker) => {
      // Hold the request's INSERT on a lock, then end its connection the way a Postgres restart or a
      // failover does (57P01): a real database failure in the middle of the buyer's request. The lock is
      // this order's key only (an uncommitted row the INSERT's ON CONFLICT must wait for): a table lock
      // also held the service's workers, which then took every pooled connection and the request never
      // reached its INSERT.
      await locker.query('BEGIN');
      await locker.query(
        `INSERT INTO "payments".payment_intents (order_id, payment_id, provider, amount_minor, currency, expires_at, status)
         VALUES ($1, $2, 'alipay', 1, 'CNY', now() + interval '1 hour', 'pending-creation')`,
        [order.orderId, `test-lock-${randomUUID()}`],
      );
      const answer = get(order.orderId, token);
      try {
        await eventually(
          async () => {
            // Inside a transaction pg_stat_activity is read once and kept: look afresh each time.
            await locker.query('SELECT pg_stat_clear_snapshot()');
            const { rows } = await locker.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE datname = current_database() AND application_name = 'payment-callback'
                 AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO%payment_intents%'`,
            );
            return rows.length > 0 || undefined;
          },
          { timeoutMs: 20000, what: "the pay request's INSERT to wait on the lock" },
        );
      } finally {
        await locker.query('ROLLBACK');
      }
      return answer;
    });
    expect(failed.status).toBe(503);
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await failed.json()).toMatchObject({ code: 'PAYMENT.TEMPORARILY_UNAVAILABLE' });

    const back = await get(order.orderId, token);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toMatch(/\/sandbox\/cashier\//);
    expect(await intentsOf(order.orderId)).toEqual([
      expect.objectContaining({ status: 'awaiting-payment', creation_attempts: 1 }),
    ]);
  });

  it('refuses forged, tampered, expired, other-order and unconfigured-channel links with a stable 4xx, opening nothing', async () => {
    const order = orderPlaced(randomUUID());
    const genuine = await tokenFor(order);
    const [header, payload, signature] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const cheaper = Buffer.from(JSON.stringify({ ...claims, amountMinor: 1 })).toString('base64url');
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const other = orderPlaced(randomUUID());

    const cases: Array<[string, string, number, string]> = [
      ['forged', await signPayLink(factsOf(order), stranger), 403, 'PAYMENT.INVALID_PAY_LINK'],
      ['tampered', `${header}.${cheaper}.${signature}`, 403, 'PAYMENT.INVALID_PAY_LINK'],
      ['garbage', 'not-a-pay-link', 403, 'PAYMENT.INVALID_PAY_LINK'],
      ['other order', await tokenFor(other), 403, 'PAYMENT.INVALID_PAY_LINK'],
      [
        'expired',
        await tokenFor(order, { expiresAt: new Date(Date.now() - 60_000).toISOString() }),
        410,
        'PAYMENT.EXPIRED',
      ],
      [
        'unknown channel',
        await tokenFor(order, { paymentChannel: 'paypal' }),
        422,
        'PAYMENT.CHANNEL_NOT_CONFIGURED',
      ],
    ];
    for (const [what, token, status, code] of cases) {
      const response = await get(order.orderId, token);
      expect([what, response.status, ((await response.json()) as { code: string }).code]).toEqual([
        what,
        status,
        code,
      ]);
    }
    expect((await get(order.orderId)).status).toBe(404);
    expect(await intentsOf(order.orderId)).toEqual([]);
    expect(await intentsOf(other.orderId)).toEqual([]);

    // The genuine link still works afterwards: refusals opened nothing and locked nothing.
    expect((await get(order.orderId, genuine)).status).toBe(302);
  });

  it('records a rejection when OrderPlaced disagrees with the intent a pay link opened (never resets it)', async () => {
    const order = orderPlaced(randomUUID());
    const token = await tokenFor(order, { amount: { amountMinor: 4000, currency: 'CNY' } });
    expect((await get(order.orderId, token)).status).toBe(302);

    await stack.source.placeOrderCommitted(order); // 5000 CNY
    const [rejected] = await stack.probe.waitFor(
      (m) => m.headers.ce_type === 'payment.rejected.v1' && m.key === order.orderId,
      1,
    );
    expect(dataOf(rejected!).reason).toMatch(/^PAYMENT\.PAY_LINK_MISMATCH: .*amount 4000 CNY vs 5000 CNY/);
    expect(await intentsOf(order.orderId)).toEqual([
      expect.objectContaining({ status: 'rejected', amount_minor: '4000', creation_attempts: 1 }),
    ]);
    const after = await get(order.orderId, token);
    expect([after.status, ((await after.json()) as { code: string }).code]).toEqual([
      409,
      'PAYMENT.REJECTED',
    ]);
  });
});
