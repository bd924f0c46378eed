import { randomUUID } from 'node:crypto';

import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

import { startTracing } from '@keyflow/observability';
import { eventually, type ProbedMessage, TopicProbe } from '@keyflow/testing';

import { ProviderSigning } from './fixtures/provider-signing';
import {
  ALIPAY,
  dataOf,
  PaymentCallbackStack,
  traceIdOf,
  WECHAT_SERIAL,
} from './support/payment-callback-stack';

// The orders side of the test publishes with tracing on, so OrderPlaced carries the order's trace.
startTracing('payment-e2e-orders', {
  spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  env: {},
});

/**
 * payment-callback as a separate process against the sandbox provider (another process), real Kafka and
 * Postgres: orders are published to orders.v1 by an outbox in the test, payments are read off payments.v1.
 */
describe('payment-callback: provider callbacks, active query and refunds (real Kafka, Postgres, sandbox provider)', () => {
  const stack = new PaymentCallbackStack();
  const { source, payments } = stack;
  let probe: TopicProbe;
  let signing: ProviderSigning;

  const eventsFor = (type: string, orderId: string): ProbedMessage[] => stack.eventsFor(type, orderId);
  const payInSandbox = (paymentId: string) => stack.payInSandbox(paymentId);
  const setFaults = (faults: object) => stack.setFaults(faults);
  const callbackVerdicts = (orderId: string) => stack.callbackVerdicts(orderId);

  /** Follows the pay URL (no pay link: the intent OrderPlaced opens) to the cashier; the sandbox payment id. */
  const cashierPaymentId = (orderId: string) =>
    eventually(
      async () => {
        const response = await fetch(`${payments.url}/v1/pay/${orderId}`, { redirect: 'manual' });
        return response.status === 302 ? response.headers.get('location')!.split('/').pop()! : undefined;
      },
      { timeoutMs: 30000, intervalMs: 100, what: `the pay URL of ${orderId} to redirect` },
    );

  beforeAll(async () => {
    await stack.start();
    probe = stack.probe;
    signing = stack.signing;
  }, 90000);

  afterAll(() => stack.stop());

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
