import { Topics } from '@keyflow/contracts';
import { eventually, TopicProbe } from '@keyflow/testing';

import { Pipeline } from './pipeline';

/**
 * Checkout → the buyer follows the pay URL → pays at the (sandbox) provider → the signed callback reaches
 * payment-callback → PaymentConfirmed reaches orders, whose timeline shows both stages — across three real
 * processes that share nothing but Kafka.
 */
describe('checkout to payment across the services', () => {
  const pipeline = new Pipeline();
  let probe: TopicProbe;

  beforeAll(async () => {
    await pipeline.start();
    probe = await new TopicProbe([Topics.orders, Topics.payments]).start();
    const put = await fetch(`${pipeline.orders.url}/v1/products/STEAM-100`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pipeline.operator.key}` },
      body: JSON.stringify({ title: 'Steam wallet 100', unitPriceMinor: 10000, currency: 'CNY' }),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await probe?.stop();
    await pipeline.stop();
  });

  it('a paid order shows the payment stage done, with the provider, in one trace from checkout', async () => {
    const checkout = await fetch(`${pipeline.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sku: 'STEAM-100',
        quantity: 1,
        email: 'buyer@example.com',
        paymentChannel: 'alipay',
      }),
    });
    expect(checkout.status).toBe(201);
    const { orderId, payUrl, statusUrl } = (await checkout.json()) as {
      orderId: string;
      payUrl: string;
      statusUrl: string;
    };

    // The pay URL redirects to the provider's cashier once payment-callback has opened the payment there.
    const cashier = await eventually(
      async () => {
        const response = await fetch(payUrl, { redirect: 'manual' });
        return response.status === 302 ? response.headers.get('location')! : undefined;
      },
      { what: 'the pay URL to redirect to the cashier' },
    );
    const paymentId = cashier.split('/').pop()!;
    expect((await fetch(`${pipeline.sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' })).ok).toBe(
      true,
    );

    const view = await eventually(
      async () => {
        const timeline = await pipeline.operatorGet(`${pipeline.orders.url}/v1/orders/${orderId}/timeline`);
        return timeline.status === 'paid' ? timeline : undefined;
      },
      { what: `order ${orderId} to be paid`, timeoutMs: 30000 },
    );
    const stages = Object.fromEntries(view.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(stages.payment).toMatchObject({ status: 'done', servedBy: 'alipay' });
    expect(stages['stock-reservation']).toMatchObject({ status: 'waiting' });
    expect(view.waitingReason).toBe('waiting for risk assessment');

    const buyer = await (await fetch(statusUrl)).json();
    expect(buyer).toMatchObject({ orderId, status: 'paid' });

    const [placed] = probe.where((m) => m.key === orderId && m.headers.ce_type === 'order.placed.v1');
    const [confirmed] = await probe.waitFor(
      (m) => m.key === orderId && m.headers.ce_type === 'payment.confirmed.v1',
      1,
    );
    const traceId = (message: { headers: Record<string, string> }) =>
      message.headers.traceparent?.split('-')[1];
    expect(traceId(confirmed!)).toBeDefined();
    expect(traceId(confirmed!)).toBe(traceId(placed!));
  });
});
