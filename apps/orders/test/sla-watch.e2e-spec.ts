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

const admin = generateApiKey('sla-admin', ['admin']);
const total = { amountMinor: 5000, currency: 'CNY' };

const payLink = payLinkTestKeys();

/**
 * The SLA tiers with thresholds of seconds instead of minutes (configuration, not sleeps of real minutes):
 * paid orders that never get delivered must go through tier 1 (buyer told), tier 2 (operator alert, once)
 * and tier 3 (escalated to a person), in that order.
 */
describe('orders SLA watch', () => {
  const orders = new ServiceProcess({
    entry: 'apps/orders/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: formatApiKeyRecord(admin.record),
      SLA_TIER1_SECONDS: '2',
      SLA_TIER2_SECONDS: '3',
      SLA_TIER2_MIN_ORDERS: '1',
      SLA_TIER3_SECONDS: '5',
      SLA_SCAN_SECONDS: '0.5',
      PAY_LINK_SIGNING_KEY: payLink.signingKey,
    },
  });
  const upstream = new Upstream();
  let probe: TopicProbe;

  const http = (path: string, init: RequestInit = {}) =>
    fetch(`${orders.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.key}` },
    });

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS orders CASCADE'));
    await orders.start();
    await upstream.start();
    probe = await new TopicProbe([Topics.orders, Topics.alerts]).start();
    const put = await http('/v1/products/SLOW-1', {
      method: 'PUT',
      body: JSON.stringify({ title: 'Slow product', unitPriceMinor: 5000, currency: 'CNY' }),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await probe?.stop();
    await upstream.stop();
    await orders.stop();
  });

  const eventFor = (type: string, key: string) =>
    probe.where((m) => m.key === key && m.headers.ce_type === type);

  it('tells the buyer at tier 1, alerts operators once at tier 2, escalates at tier 3 — in that order', async () => {
    const orderIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await http('/v1/orders', {
        method: 'POST',
        body: JSON.stringify({
          sku: 'SLOW-1',
          quantity: 1,
          email: `slow${i}@example.com`,
          paymentChannel: 'alipay',
        }),
      });
      const { orderId } = (await response.json()) as { orderId: string };
      orderIds.push(orderId);
      const now = new Date().toISOString();
      await upstream.publish(
        'payment.confirmed.v1',
        orderId,
        { paymentId: `p-${i}`, provider: 'alipay', providerTradeNo: `t-${i}`, amount: total, paidAt: now },
        now,
      );
    }

    const [delayed] = await probe.waitFor(
      (m) => m.key === orderIds[0] && m.headers.ce_type === 'order.delayed.v1',
      1,
      20000,
    );
    expect(JSON.parse(delayed!.value!).data).toMatchObject({ orderId: orderIds[0], tier: 1, stage: 'risk' });

    const [raised] = await probe.waitFor(
      (m) => m.key === 'sla.tier2' && m.headers.ce_type === 'alert.raised.v1',
      1,
      20000,
    );
    expect(JSON.parse(raised!.value!).data).toMatchObject({ alertKey: 'sla.tier2', severity: 'critical' });

    for (const orderId of orderIds) {
      await probe.waitFor((m) => m.key === orderId && m.headers.ce_type === 'order.escalated.v1', 1, 20000);
    }
    const escalated = JSON.parse(eventFor('order.escalated.v1', orderIds[0]!)[0]!.value!);
    expect(escalated.data).toMatchObject({ action: 'manual-delivery', stage: 'risk' });

    // Tier order by the events' own times: notice, then alert, then escalation.
    const time = (message: { value: string | null }) => Date.parse(JSON.parse(message.value!).time);
    expect(time(delayed!)).toBeLessThan(time(raised!));
    expect(time(raised!)).toBeLessThan(time(eventFor('order.escalated.v1', orderIds[0]!)[0]!));

    // Escalated orders are with a person now: the tier-2 condition clears and is resolved, once.
    await probe.waitFor((m) => m.key === 'sla.tier2' && m.headers.ce_type === 'alert.resolved.v1', 1, 20000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventFor('alert.raised.v1', 'sla.tier2')).toHaveLength(1);
    expect(eventFor('order.delayed.v1', orderIds[0]!)).toHaveLength(1);

    const view = await eventually(async () => {
      const timeline = (await (await http(`/v1/orders/${orderIds[0]}/timeline`)).json()) as any;
      return timeline.status === 'escalated' ? timeline : undefined;
    });
    expect(view.waitingReason).toMatch(/^escalated to a person \(manual-delivery\)/);
  });
});
