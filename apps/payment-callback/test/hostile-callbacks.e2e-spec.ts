import { randomUUID } from 'node:crypto';

import { Topics } from '@keyflow/contracts';
import { eventually, TopicProbe, withPgClient } from '@keyflow/testing';

import { ALIPAY, dataOf, PaymentCallbackStack, WECHAT_SERIAL } from './support/payment-callback-stack';

interface LoggedCallback {
  provider: string;
  verdict: string;
  reason: string | null;
  body: string;
  body_encoding: string;
  order_id: string | null;
  provider_trade_no: string | null;
}

/**
 * Hostile callbacks against the real service (separate process, real Postgres and Kafka): each is answered
 * with a 4xx and a stable code, never a 5xx, and each lands in the callback log, what was refused stored
 * safely encoded rather than dropped. A transaction id that already paid another order is also raised as an
 * alert for a person.
 */
describe('payment-callback: hostile callbacks are refused with 4xx and recorded', () => {
  const stack = new PaymentCallbackStack();
  const { source, payments } = stack;
  let alerts: TopicProbe;

  const post = (provider: string, body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(`${payments.url}/v1/callbacks/${provider}`, { method: 'POST', headers, body });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };

  /** The log rows written since `since` (the largest id before the request). */
  const loggedSince = (since: number) =>
    withPgClient(async (client) => {
      const { rows } = await client.query<LoggedCallback>(
        `SELECT provider, verdict, reason, body, body_encoding, order_id, provider_trade_no
         FROM "payments".callbacks WHERE id > $1 ORDER BY id`,
        [since],
      );
      return rows;
    });
  const lastLogId = () =>
    withPgClient(async (client) => {
      const { rows } = await client.query(`SELECT coalesce(max(id), 0)::int AS id FROM "payments".callbacks`);
      return rows[0].id as number;
    });

  /** An order with its intent open at the sandbox, ready for callbacks. */
  const openOrder = async (paymentChannel: string, total = { amountMinor: 5000, currency: 'CNY' }) => {
    const order = await source.placeOrderCommitted({ paymentChannel, total });
    await eventually(
      async () => {
        const r = await fetch(`${payments.url}/v1/pay/${order.orderId}`, { redirect: 'manual' });
        return r.status === 302 ? true : undefined;
      },
      { timeoutMs: 30000, intervalMs: 100, what: `the pay URL of ${order.orderId}` },
    );
    return order;
  };
  const outTradeNoOf = (orderId: string) => orderId.replace(/-/g, '');
  const stripeEvent = (orderId: string, tradeNo: string, amount = 5000) => ({
    id: `evt_${randomUUID()}`,
    type: 'payment_intent.succeeded',
    data: { object: { id: tradeNo, amount, currency: 'cny', metadata: { order_id: orderId } } },
  });

  beforeAll(async () => {
    await stack.start();
    alerts = await new TopicProbe([Topics.alerts]).start();
  }, 90000);

  afterAll(async () => {
    await alerts?.stop();
    await stack.stop();
  });

  it.each([
    ['alipay', form, (n: string) => `out_trade_no=${n}&trade_status=TRADE_SUCCESS\u0000&sign=x`],
    ['stripe', { ...json, 'stripe-signature': 't=1,v1=00' }, (n: string) => `{"id":"evt_\u0000${n}"}`],
    ['wechat', json, (n: string) => `{"id":"${n}","resource":"\u0000"}`],
  ])(
    '%s: a raw NUL byte anywhere in the body → 400 CALLBACK.MALFORMED, and the refusal is logged with the exact bytes in base64',
    async (provider, headers, bodyOf) => {
      const since = await lastLogId();
      const body = Buffer.from(bodyOf(randomUUID()));
      const response = await post(provider, body, headers);
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/CALLBACK\.MALFORMED|failure|FAIL/);
      const [row, ...more] = await loggedSince(since);
      expect(more).toEqual([]);
      expect(row).toMatchObject({ provider, verdict: 'rejected', body_encoding: 'base64' });
      expect(row!.reason).toMatch(/^CALLBACK\.MALFORMED: .*NUL/);
      expect(Buffer.from(row!.body, 'base64').equals(body)).toBe(true);
    },
  );

  it('alipay: a repeated parameter name holding %00 → 400 CALLBACK.MALFORMED, logged with the name escaped', async () => {
    const since = await lastLogId();
    const body = `out_trade_no=${randomUUID()}&trade%00no=1&trade%00no=2&trade_status=TRADE_SUCCESS&sign=x`;
    const response = await post('alipay', body, form);
    expect([response.status, await response.text()]).toEqual([400, 'failure']);
    const rows = await loggedSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'alipay', verdict: 'rejected', body_encoding: 'utf8', body });
    expect(rows[0]!.reason).toBe('CALLBACK.MALFORMED: parameter trade\\u0000no appears twice');
  });

  it('signed callbacks whose transaction id holds an escaped NUL → 400 CALLBACK.MALFORMED, logged, nothing paid', async () => {
    const order = await openOrder('alipay');
    const stripeOrder = await openOrder('stripe');
    const wechatOrder = await openOrder('wechat');
    const since = await lastLogId();

    const alipay = await post(
      'alipay',
      stack.signing.alipayBody({
        app_id: ALIPAY.appId,
        seller_id: ALIPAY.sellerId,
        out_trade_no: outTradeNoOf(order.orderId),
        trade_no: 'ali\u0000nul',
        trade_status: 'TRADE_SUCCESS',
        total_amount: '50.00',
      }),
      form,
    );
    expect([alipay.status, await alipay.text()]).toEqual([400, 'failure']);

    const stripe = stack.signing.stripe(stripeEvent(stripeOrder.orderId, 'pi_\u0000nul'));
    expect(stripe.body).toContain('\\u0000');
    const stripeAnswer = await post('stripe', stripe.body, { ...json, 'stripe-signature': stripe.signature });
    expect(stripeAnswer.status).toBe(400);
    expect(await stripeAnswer.json()).toMatchObject({ error: { code: 'CALLBACK.MALFORMED' } });

    const wechat = stack.signing.wechat(
      {
        out_trade_no: outTradeNoOf(wechatOrder.orderId),
        transaction_id: 'wx\u0000nul',
        trade_state: 'SUCCESS',
        amount: { total: 5000, currency: 'CNY' },
      },
      WECHAT_SERIAL,
    );
    const wechatAnswer = await post('wechat', wechat.body, wechat.headers);
    expect(wechatAnswer.status).toBe(400);
    expect(await wechatAnswer.json()).toMatchObject({ code: 'FAIL' });

    const rows = await loggedSince(since);
    expect(rows.map((r) => [r.provider, r.verdict])).toEqual([
      ['alipay', 'rejected'],
      ['stripe', 'rejected'],
      ['wechat', 'rejected'],
    ]);
    for (const row of rows) expect(row.reason).toMatch(/^CALLBACK\.MALFORMED: .*transaction id/);
    const paid = await withPgClient(async (client) => {
      const { rows: intents } = await client.query(
        `SELECT status FROM "payments".payment_intents WHERE order_id = ANY($1::uuid[])`,
        [[order.orderId, stripeOrder.orderId, wechatOrder.orderId]],
      );
      return intents.map((i) => i.status as string);
    });
    expect(paid).not.toContain('paid');
  });

  it('a transaction id that already paid another order → 409 PAYMENT.TRADE_NO_REUSED, logged, and one alert for a person', async () => {
    const first = await openOrder('stripe');
    const second = await openOrder('stripe');
    const tradeNo = `pi_${randomUUID()}`;
    const pay = (orderId: string) => {
      const { body, signature } = stack.signing.stripe(stripeEvent(orderId, tradeNo));
      return post('stripe', body, { ...json, 'stripe-signature': signature });
    };
    expect((await pay(first.orderId)).status).toBe(200);

    const since = await lastLogId();
    const reused = await pay(second.orderId);
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: { code: 'PAYMENT.TRADE_NO_REUSED' } });
    // The provider retries what it was not acknowledged: the retry is refused and logged again, alerted once.
    expect((await pay(second.orderId)).status).toBe(409);

    const rows = await loggedSince(since);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({
        verdict: 'rejected',
        order_id: second.orderId,
        provider_trade_no: tradeNo,
      });
      expect(row.reason).toBe(
        `PAYMENT.TRADE_NO_REUSED: transaction ${tradeNo} already paid order ${first.orderId}`,
      );
    }
    const [alert] = await alerts.waitFor(
      (m) =>
        m.headers.ce_type === 'alert.raised.v1' &&
        dataOf(m).alertKey === `payment.trade-no-reused:${second.orderId}`,
      1,
    );
    expect(dataOf(alert!)).toMatchObject({ severity: 'critical' });
    expect(String(dataOf(alert!).summary)).toContain(tradeNo);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      alerts.where(
        (m) =>
          m.headers.ce_type === 'alert.raised.v1' && m.key === `payment.trade-no-reused:${second.orderId}`,
      ),
    ).toHaveLength(1);
    const [intent] = await withPgClient(async (client) => {
      const { rows: intents } = await client.query(
        `SELECT status FROM "payments".payment_intents WHERE order_id = $1`,
        [second.orderId],
      );
      return intents;
    });
    expect(intent.status).toBe('awaiting-payment');
  });
});
