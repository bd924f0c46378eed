import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

import { consumerGroupFor, Topics } from '@keyflow/contracts';
import { createKafkaClient, ensureTopics, kafkaSettingsFromEnv } from '@keyflow/messaging';
import { startTracing } from '@keyflow/observability';
import {
  dropSchema,
  eventually,
  OrderSource,
  ServiceProcess,
  testDatabaseUrl,
  TopicProbe,
  uniqueSchemaName,
  withPgClient,
  type ProbedMessage,
} from '@keyflow/testing';

import { ProviderSigning } from './fixtures/provider-signing';

// The orders side of the test publishes with tracing on, so OrderPlaced carries the order's trace.
startTracing('payment-e2e-orders', {
  spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  env: {},
});

const ALIPAY = { appId: '2021000000000042', sellerId: '2088000000000042' };
const WECHAT_SERIAL = 'E2E0000000000000000000000000SERIAL';

/**
 * payment-callback as a separate process against the sandbox provider (another process), real Kafka and
 * Postgres: orders are published to orders.v1 by an outbox in the test, payments are read off payments.v1.
 */
describe('payment-callback: provider callbacks, active query and refunds (real Kafka, Postgres, sandbox provider)', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sandbox-keys-'));
  const basePort = 41000 + Math.floor(Math.random() * 8000);
  const source = new OrderSource(uniqueSchemaName('payment_e2e_orders'));
  const sandbox = new ServiceProcess({
    entry: 'apps/sandbox-payment-provider/src/main.ts',
    port: basePort,
    env: {
      SANDBOX_KEYS_DIR: keysDir,
      SANDBOX_CALLBACK_SCHEDULE_MS: '0,300,700,1500',
      SANDBOX_ALIPAY_APP_ID: ALIPAY.appId,
      SANDBOX_ALIPAY_SELLER_ID: ALIPAY.sellerId,
      SANDBOX_WECHAT_SERIAL: WECHAT_SERIAL,
    },
  });
  const payments = new ServiceProcess({
    entry: 'apps/payment-callback/src/main.ts',
    port: basePort + 1,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      PAYMENT_PUBLIC_URL: `http://127.0.0.1:${basePort + 1}`,
      PAYMENT_PROVIDER_URL: `http://127.0.0.1:${basePort}`,
      ALIPAY_PUBLIC_KEY_FILE: path.join(keysDir, 'alipay-public.pem'),
      ALIPAY_APP_ID: ALIPAY.appId,
      ALIPAY_SELLER_ID: ALIPAY.sellerId,
      WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(keysDir, 'wechat-platform-public.pem'),
      WECHAT_APIV3_KEY_FILE: path.join(keysDir, 'wechat-apiv3.key'),
      WECHAT_PLATFORM_SERIAL: WECHAT_SERIAL,
      STRIPE_WEBHOOK_SECRET_FILE: path.join(keysDir, 'stripe-webhook-secret'),
      PAYMENT_ACTIVE_QUERY_AFTER_SECONDS: '2',
      PAYMENT_ACTIVE_QUERY_BACKOFF_SECONDS: '1',
      PAYMENT_WORKER_POLL_MS: '200',
    },
  });
  let probe: TopicProbe;
  let signing: ProviderSigning;

  const eventsFor = (type: string, orderId: string): ProbedMessage[] =>
    probe.where((m) => m.headers.ce_type === type && m.key === orderId);
  const dataOf = (message: ProbedMessage) => JSON.parse(message.value!).data as Record<string, unknown>;
  const traceIdOf = (message: ProbedMessage) => message.headers.traceparent?.split('-')[1];

  /** Follows the pay URL until the payment exists at the provider; returns the sandbox payment id. */
  const cashierPaymentId = (orderId: string) =>
    eventually(
      async () => {
        const response = await fetch(`${payments.url}/v1/pay/${orderId}`, { redirect: 'manual' });
        return response.status === 302 ? response.headers.get('location')!.split('/').pop()! : undefined;
      },
      { timeoutMs: 30000, intervalMs: 100, what: `the pay URL of ${orderId} to redirect` },
    );
  const payInSandbox = async (paymentId: string) => {
    const response = await fetch(`${sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' });
    expect(response.status).toBe(200);
  };
  const setFaults = (faults: object) =>
    fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  const callbackVerdicts = (orderId: string) =>
    withPgClient(async (client) => {
      const { rows } = await client.query(
        `SELECT verdict FROM "payments".callbacks WHERE order_id = $1 ORDER BY id`,
        [orderId],
      );
      return rows.map((row) => row.verdict as string);
    });

  beforeAll(async () => {
    await dropSchema('payments');
    // Start the consumer group at the end of orders.v1: earlier runs' orders are not this test's business.
    const kafka = createKafkaClient(kafkaSettingsFromEnv('payment-e2e'));
    await ensureTopics(kafka, [{ topic: Topics.orders, numPartitions: 3, replicationFactor: 1 }]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({
      groupId: consumerGroupFor('payment-callback', Topics.orders),
      topic: Topics.orders,
      earliest: false,
    });
    await admin.disconnect();
    await source.start();
    await sandbox.start();
    signing = new ProviderSigning(keysDir);
    await payments.start();
    probe = await new TopicProbe([Topics.orders, Topics.payments]).start();
  }, 90000);

  afterAll(async () => {
    if (process.env.E2E_SHOW_OUTPUT)
      console.log(`${payments.output.slice(-6000)}\n---\n${sandbox.output.slice(-3000)}`);
    await probe?.stop();
    await payments.stop();
    await sandbox.stop();
    await source.stop();
    await dropSchema(source.schema);
    rmSync(keysDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await setFaults({});
  });

  it("alipay: the buyer pays in the sandbox → one PaymentConfirmed by callback, in the order's trace; a refund request → PaymentRefunded", async () => {
    const order = await source.placeOrderCommitted({ paymentChannel: 'alipay' });
    await payInSandbox(await cashierPaymentId(order.orderId));

    const [confirmed] = await probe.waitFor(
      (m) => m.headers.ce_type === 'payment.confirmed.v1' && m.key === order.orderId,
      1,
    );
    expect(dataOf(confirmed!)).toMatchObject({
      orderId: order.orderId,
      provider: 'alipay',
      amount: { amountMinor: 5000, currency: 'CNY' },
      confirmedBy: 'callback',
    });
    const [placed] = eventsFor('order.placed.v1', order.orderId);
    expect(traceIdOf(confirmed!)).toBeDefined();
    expect(traceIdOf(confirmed!)).toBe(traceIdOf(placed!));
    expect(await callbackVerdicts(order.orderId)).toContain('accepted');

    await source.requestRefund({ orderId: order.orderId, amount: order.total, reason: 'out of stock' });
    const [refunded] = await probe.waitFor(
      (m) => m.headers.ce_type === 'payment.refunded.v1' && m.key === order.orderId,
      1,
    );
    expect(dataOf(refunded!)).toMatchObject({
      orderId: order.orderId,
      amount: { amountMinor: 5000, currency: 'CNY' },
    });
  });

  it('stripe: each callback delivered ten times at once → exactly one PaymentConfirmed, nine duplicates recorded', async () => {
    await setFaults({ duplicate: 10 });
    const order = await source.placeOrderCommitted({
      paymentChannel: 'stripe',
      total: { amountMinor: 1999, currency: 'USD' },
    });
    await payInSandbox(await cashierPaymentId(order.orderId));

    await probe.waitFor((m) => m.headers.ce_type === 'payment.confirmed.v1' && m.key === order.orderId, 1);
    const verdicts = await eventually(async () => {
      const all = await callbackVerdicts(order.orderId);
      return all.length >= 10 ? all : undefined;
    });
    expect(verdicts.filter((v) => v === 'accepted')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'duplicate')).toHaveLength(9);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventsFor('payment.confirmed.v1', order.orderId)).toHaveLength(1);
  });

  it('wechat: every callback lost → the active query finds the payment and confirms it', async () => {
    await setFaults({ dropCallbacks: true });
    const order = await source.placeOrderCommitted({ paymentChannel: 'wechat' });
    await payInSandbox(await cashierPaymentId(order.orderId));

    const [confirmed] = await probe.waitFor(
      (m) => m.headers.ce_type === 'payment.confirmed.v1' && m.key === order.orderId,
      1,
      15000,
    );
    expect(dataOf(confirmed!)).toMatchObject({
      provider: 'wechat',
      confirmedBy: 'active-query',
      amount: order.total,
    });
    expect(await callbackVerdicts(order.orderId)).toEqual([]);
  });

  it('forged, tampered, out-of-window, malformed and unknown-order callbacks are refused with 4xx and confirm nothing', async () => {
    const order = await source.placeOrderCommitted({ paymentChannel: 'alipay' });
    await cashierPaymentId(order.orderId);
    const outTradeNo = order.orderId.replace(/-/g, '');
    const alipayParams = {
      app_id: ALIPAY.appId,
      seller_id: ALIPAY.sellerId,
      out_trade_no: outTradeNo,
      trade_no: `e2e${Date.now()}`,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '50.00',
    };
    const postAlipay = (body: string) =>
      fetch(`${payments.url}/v1/callbacks/alipay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });

    const forged = await postAlipay(signing.alipayBody(alipayParams, signing.strangerKey));
    expect([forged.status, await forged.text()]).toEqual([401, 'failure']);

    const tampered = await postAlipay(
      signing.alipayBody(alipayParams).replace('total_amount=50.00', 'total_amount=0.01'),
    );
    expect([tampered.status, await tampered.text()]).toEqual([401, 'failure']);

    const wrongMerchant = await postAlipay(
      signing.alipayBody({ ...alipayParams, seller_id: '2088999999999999' }),
    );
    expect(wrongMerchant.status).toBe(401);

    const stripeEvent = (orderId: string, amount: number) => ({
      id: 'evt_e2e',
      type: 'payment_intent.succeeded',
      data: {
        object: { id: `pi_${randomUUID()}`, amount, currency: 'cny', metadata: { order_id: orderId } },
      },
    });
    const postStripe = ({ body, signature }: { body: string; signature: string }) =>
      fetch(`${payments.url}/v1/callbacks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
    const now = Math.floor(Date.now() / 1000);
    const stale = await postStripe(signing.stripe(stripeEvent(order.orderId, 5000), now - 600));
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error: { code: 'CALLBACK.STALE_TIMESTAMP' } });
    expect((await postStripe(signing.stripe(stripeEvent(order.orderId, 5000), now + 600))).status).toBe(401);
    expect((await postStripe({ ...signing.stripe({}), body: 'not json' })).status).toBe(401);
    const malformed = signing.stripe({});
    expect((await postStripe(malformed)).status).toBe(400);
    expect((await postStripe(signing.stripe(stripeEvent(randomUUID(), 5000)))).status).toBe(404);

    const wechat = signing.wechat(
      {
        out_trade_no: outTradeNo,
        transaction_id: 'wx-e2e',
        trade_state: 'SUCCESS',
        amount: { total: 5000, currency: 'CNY' },
      },
      WECHAT_SERIAL,
      signing.strangerKey,
    );
    const forgedWechat = await fetch(`${payments.url}/v1/callbacks/wechat`, {
      method: 'POST',
      headers: wechat.headers,
      body: wechat.body,
    });
    expect(forgedWechat.status).toBe(401);
    expect(await forgedWechat.json()).toMatchObject({ code: 'FAIL' });

    // A genuine callback for the wrong provider of this order is a business rejection: PaymentRejected.
    const mismatch = await postStripe(signing.stripe(stripeEvent(order.orderId, 4000)));
    expect(mismatch.status).toBe(422);
    const [rejected] = await probe.waitFor(
      (m) => m.headers.ce_type === 'payment.rejected.v1' && m.key === order.orderId,
      1,
    );
    expect(dataOf(rejected!).reason).toMatch(/^PAYMENT\.PROVIDER_MISMATCH/);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(eventsFor('payment.confirmed.v1', order.orderId)).toHaveLength(0);
    const verdicts = await callbackVerdicts(order.orderId);
    expect(verdicts.every((v) => v === 'rejected')).toBe(true);
  });

  it('an amount that does not match the intent is rejected with PaymentRejected; the pay URL answers 404 for unknown orders', async () => {
    const order = await source.placeOrderCommitted({
      paymentChannel: 'stripe',
      total: { amountMinor: 1000, currency: 'CNY' },
    });
    await cashierPaymentId(order.orderId);
    const response = await fetch(`${payments.url}/v1/callbacks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': '' },
      body: '',
    });
    expect(response.status).toBe(400);
    const { body, signature } = signing.stripe({
      id: 'evt_amount',
      type: 'payment_intent.succeeded',
      data: {
        object: { id: 'pi_amount', amount: 1, currency: 'cny', metadata: { order_id: order.orderId } },
      },
    });
    const mismatch = await fetch(`${payments.url}/v1/callbacks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body,
    });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.json()).toMatchObject({ error: { code: 'PAYMENT.AMOUNT_MISMATCH' } });
    await probe.waitFor((m) => m.headers.ce_type === 'payment.rejected.v1' && m.key === order.orderId, 1);
    expect(eventsFor('payment.confirmed.v1', order.orderId)).toHaveLength(0);

    expect((await fetch(`${payments.url}/v1/pay/${randomUUID()}`)).status).toBe(404);
    expect((await fetch(`${payments.url}/v1/pay/not-a-uuid`)).status).toBe(400);
  });
});
