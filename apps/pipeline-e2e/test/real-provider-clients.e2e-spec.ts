import { eventually, OtlpReceiver, withPgClient } from '@keyflow/testing';

import { Pipeline } from './pipeline';

/**
 * Checkout → pay → callback → delivered through each real provider client (the official stripe SDK,
 * alipay-sdk, WeChat Pay v3) against the sandbox provider speaking those providers' wire formats, with the
 * six services as separate processes. The rest of the suite drives the sandbox's own JSON API.
 */
describe('an order paid through each real provider client', () => {
  const receiver = new OtlpReceiver();
  let pipeline: Pipeline;
  const sku = `REAL-CLIENT-${Date.now().toString(36)}`.toUpperCase();

  beforeAll(async () => {
    pipeline = await Pipeline.create(await receiver.start(), { realProviderClients: true });
    await pipeline.start();
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/${sku}`, 'PUT', {
      title: 'Real client product',
      unitPriceMinor: 1234,
      currency: 'CNY',
    });
    await pipeline.operatorCall(`${pipeline.inventory.url}/v1/skus/${sku}`, 'PUT', {
      source: 'pool',
      lowStockThreshold: 0,
    });
    const keys = ['stripe', 'alipay', 'wechat'].map((channel) => `KF-${channel}-${Date.now()}-${sku}`);
    await pipeline.operatorCall(
      `${pipeline.inventory.url}/v1/skus/${sku}/keys`,
      'POST',
      `${keys.join('\n')}\n`,
      'text/plain',
    );
    // Six services started two at a time: on a loaded 2-core box that alone can pass two minutes.
  }, 400_000);

  afterAll(async () => {
    if (process.env.E2E_SHOW_OUTPUT) {
      console.log(`${pipeline?.payments.output.slice(-8000)}\n---\n${pipeline?.sandbox.output.slice(-4000)}`);
    }
    await pipeline?.stop();
    await receiver.stop();
  });

  const buyerEmail = `real-client-${Date.now().toString(36)}@example.com`;

  /** Checkout, follow the pay URL to the provider's cashier, pay there; answers the order and its intent. */
  const checkoutAndPay = async (paymentChannel: string) => {
    const checkout = await fetch(`${pipeline.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity: 1, email: buyerEmail, paymentChannel }),
    });
    expect(checkout.status).toBe(201);
    const { orderId, payUrl } = (await checkout.json()) as { orderId: string; payUrl: string };
    const pay = await fetch(payUrl, { redirect: 'manual' });
    expect(pay.status).toBe(302);
    const cashier = new URL(pay.headers.get('location')!);
    expect(cashier.origin).toBe(pipeline.sandbox.url);
    const paymentId = cashier.pathname.split('/').pop()!;
    const paid = await fetch(`${pipeline.sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' });
    expect(paid.status).toBe(200);
    return orderId;
  };

  const completed = (orderId: string) =>
    eventually(
      async () => {
        const view = await pipeline.operatorGet(`${pipeline.orders.url}/v1/orders/${orderId}/timeline`);
        return view.status === 'completed' ? view : undefined;
      },
      { what: `order ${orderId} completed`, timeoutMs: 60000 },
    );

  const intentOf = (orderId: string) =>
    withPgClient(
      async (client) =>
        (
          await client.query(
            `SELECT provider, status, provider_payment_id, provider_trade_no, confirmed_by
               FROM payments.payment_intents WHERE order_id = $1`,
            [orderId],
          )
        ).rows[0],
    );

  const callbacksOf = (orderId: string) =>
    withPgClient(
      async (client) =>
        (await client.query(`SELECT verdict FROM payments.callbacks WHERE order_id = $1`, [orderId])).rows,
    );

  it('Stripe: a Checkout Session made by the stripe SDK, paid, confirmed by a webhook the SDK verified, delivered', async () => {
    const orderId = await checkoutAndPay('stripe');
    const view = await completed(orderId);
    expect(view.stages.find((s: { stage: string }) => s.stage === 'payment')).toMatchObject({
      status: 'done',
      servedBy: 'stripe',
    });
    const intent = await intentOf(orderId);
    // cs_test_…: the id of a Checkout Session, which only the Stripe wire API makes; the sandbox's own API
    // would have answered a pi_… payment id.
    expect(intent).toMatchObject({ provider: 'stripe', status: 'paid', confirmed_by: 'callback' });
    expect(intent.provider_payment_id).toMatch(/^cs_test_[0-9a-f]{24}$/);
    expect(intent.provider_trade_no).toMatch(/^pi_[0-9a-f]{24}$/);
    expect(await callbacksOf(orderId)).toEqual([{ verdict: 'accepted' }]);
    await eventually(async () => pipeline.smtp.for(orderId)[0], {
      what: 'the buyer’s email',
      timeoutMs: 30000,
    });
  });

  it('Alipay: alipay.trade.precreate by alipay-sdk, paid, confirmed by a notification verified with Alipay’s key, delivered', async () => {
    const orderId = await checkoutAndPay('alipay');
    const view = await completed(orderId);
    expect(view.stages.find((s: { stage: string }) => s.stage === 'payment')).toMatchObject({
      status: 'done',
      servedBy: 'alipay',
    });
    const intent = await intentOf(orderId);
    // precreate answers no payment id: the intent keeps our out_trade_no (the sandbox's API would give alipay_…).
    expect(intent).toMatchObject({ provider: 'alipay', status: 'paid', confirmed_by: 'callback' });
    expect(intent.provider_payment_id).toBe(orderId.replace(/-/g, ''));
    expect(intent.provider_trade_no).toMatch(/^\d{8}2200\d{15}$/);
    expect(await callbacksOf(orderId)).toEqual([{ verdict: 'accepted' }]);
    await eventually(async () => pipeline.smtp.for(orderId)[0], {
      what: 'the buyer’s email',
      timeoutMs: 30000,
    });
  });

  it('WeChat Pay: a v3 Native payment signed WECHATPAY2-SHA256-RSA2048, paid, confirmed by a notification decrypted with the APIv3 key, delivered', async () => {
    const orderId = await checkoutAndPay('wechat');
    const view = await completed(orderId);
    expect(view.stages.find((s: { stage: string }) => s.stage === 'payment')).toMatchObject({
      status: 'done',
      servedBy: 'wechat',
    });
    const intent = await intentOf(orderId);
    // Native answers only code_url: the intent keeps our out_trade_no (the sandbox's API would give wechat_…).
    expect(intent).toMatchObject({ provider: 'wechat', status: 'paid', confirmed_by: 'callback' });
    expect(intent.provider_payment_id).toBe(orderId.replace(/-/g, ''));
    expect(intent.provider_trade_no).toMatch(/^4200\d{23}$/);
    expect(await callbacksOf(orderId)).toEqual([{ verdict: 'accepted' }]);
    await eventually(async () => pipeline.smtp.for(orderId)[0], {
      what: 'the buyer’s email',
      timeoutMs: 30000,
    });
  });
});
