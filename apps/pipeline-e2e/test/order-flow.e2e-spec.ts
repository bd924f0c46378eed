import { open } from '@keyflow/sealed-box';
import { ALL_TOPICS, Topics } from '@keyflow/contracts';
import { eventually, OtlpReceiver, TopicProbe } from '@keyflow/testing';

import { Pipeline } from './pipeline';

/**
 * Orders through the real services (separate processes sharing nothing but Kafka and Postgres), the sandbox
 * payment provider in front of them. Grows stage by stage as the services gain their domains.
 */
describe('an order through the services', () => {
  const receiver = new OtlpReceiver();
  let pipeline: Pipeline;
  let probe: TopicProbe;

  beforeAll(async () => {
    pipeline = new Pipeline(await receiver.start());
    await pipeline.start();
    probe = await new TopicProbe([...ALL_TOPICS]).start();
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/STEAM-100`, 'PUT', {
      title: 'Steam wallet 100',
      unitPriceMinor: 10000,
      currency: 'CNY',
    });
  });

  afterAll(async () => {
    await probe?.stop();
    await pipeline?.stop();
    await receiver.stop();
  });

  const checkoutAndPay = async (sku: string) => {
    const checkout = await fetch(`${pipeline.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity: 1, email: 'buyer@example.com', paymentChannel: 'alipay' }),
    });
    expect(checkout.status).toBe(201);
    const placed = (await checkout.json()) as { orderId: string; payUrl: string; statusUrl: string };
    // The pay URL redirects to the provider's cashier once payment-callback has opened the payment there.
    const cashier = await eventually(
      async () => {
        const response = await fetch(placed.payUrl, { redirect: 'manual' });
        return response.status === 302 ? response.headers.get('location')! : undefined;
      },
      { what: 'the pay URL to redirect to the cashier' },
    );
    const paymentId = cashier.split('/').pop()!;
    expect((await fetch(`${pipeline.sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' })).ok).toBe(
      true,
    );
    return placed;
  };
  const timelineWhen = async (orderId: string, done: (view: any) => boolean, what: string) => {
    let last: any;
    try {
      return await eventually(
        async () => {
          last = await pipeline.operatorGet(`${pipeline.orders.url}/v1/orders/${orderId}/timeline`);
          return done(last) ? last : undefined;
        },
        { what: `order ${orderId}: ${what}`, timeoutMs: 45000 },
      );
    } catch (error) {
      const events = probe.where((m) => m.key === orderId).map((m) => m.headers.ce_type);
      throw new Error(
        `${(error as Error).message}\nevents: ${events.join(', ')}\ntimeline: ${JSON.stringify(last)}`,
      );
    }
  };
  const traceIdOf = (message: { headers: Record<string, string> }) =>
    message.headers.traceparent?.split('-')[1];

  it('checkout → payment: the callback confirms the order, in the order’s trace', async () => {
    const { orderId, statusUrl } = await checkoutAndPay('STEAM-100');
    const view = await timelineWhen(orderId, (v) => v.paidAt !== undefined, 'paid');
    const stages = Object.fromEntries(view.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(stages.payment).toMatchObject({ status: 'done', servedBy: 'alipay' });
    expect(await (await fetch(statusUrl)).json()).toMatchObject({ orderId });

    const [placed] = probe.where((m) => m.key === orderId && m.headers.ce_type === 'order.placed.v1');
    const [confirmed] = await probe.waitFor(
      (m) => m.key === orderId && m.headers.ce_type === 'payment.confirmed.v1',
      1,
    );
    expect(traceIdOf(confirmed!)).toBeDefined();
    expect(traceIdOf(confirmed!)).toBe(traceIdOf(placed!));
  });

  it('a pool key reaches delivery sealed, and its plaintext is in no log, span or Kafka message', async () => {
    const cardKey = `KF-KNOWN-${Date.now()}-7Q2X-9ZPL`;
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/POOL-SECRET`, 'PUT', {
      title: 'A pool product',
      unitPriceMinor: 500,
      currency: 'CNY',
    });
    await pipeline.operatorCall(`${pipeline.inventory.url}/v1/skus/POOL-SECRET`, 'PUT', {
      source: 'pool',
      lowStockThreshold: 0,
    });
    await pipeline.operatorCall(
      `${pipeline.inventory.url}/v1/skus/POOL-SECRET/keys`,
      'POST',
      `${cardKey}\n`,
      'text/plain',
    );

    const { orderId } = await checkoutAndPay('POOL-SECRET');
    // Reserved → paid → risk approves at once (small order, trusted channel) → stock committed.
    const view = await timelineWhen(orderId, (v) => v.status === 'fulfilling', 'stock committed');
    const stages = Object.fromEntries(view.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(stages.risk).toMatchObject({ status: 'done', servedBy: 'pass-first' });
    expect(stages['stock-commit']).toMatchObject({ status: 'done', servedBy: 'pool' });

    const [committed] = await probe.waitFor(
      (m) => m.key === orderId && m.headers.ce_type === 'stock.committed.v1',
      1,
    );
    const sealed: Array<{ sealed: string }> = JSON.parse(committed!.value!).data.keys;
    expect(sealed.map((k) => open(k.sealed, pipeline.deliveryPrivateKey))).toEqual([cardKey]);
    expect(traceIdOf(committed!)).toBe(traceIdOf(probe.where((m) => m.key === orderId)[0]!));

    // Give the exporters a moment, then search everything a person or a collector could see.
    await eventually(async () =>
      receiver.spans.some((s) => s.attributes['order.id'] === orderId && s.service === 'inventory')
        ? true
        : undefined,
    );
    const everywhere = [
      ...pipeline.services.map((service) => service.output),
      JSON.stringify(receiver.spans),
      ...probe.messages.map((m) => `${m.value} ${JSON.stringify(m.headers)}`),
    ].join('\n');
    expect(everywhere).not.toContain(cardKey);
    expect(everywhere).not.toContain(Buffer.from(cardKey).toString('base64'));
  });

  it('topics carry only declared, versioned event types', () => {
    const types = new Set(probe.messages.map((m) => m.headers.ce_type));
    for (const type of types) expect(type).toMatch(/\.v\d+$/);
    expect(types.has('order.placed.v1')).toBe(true);
    expect(probe.messages.every((m) => m.topic !== Topics.orders || m.headers.ce_source === 'orders')).toBe(
      true,
    );
  });
});
