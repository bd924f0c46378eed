import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { Topics } from '@keyflow/contracts';
import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  dropSchema,
  eventually,
  OrderSource,
  ServiceProcess,
  testDatabaseUrl,
  testPort,
  TopicProbe,
  uniqueSchemaName,
  withPgClient,
} from '@keyflow/testing';

import { PaymentsUpstream } from './payments-upstream';

const operator = generateApiKey('e2e-operator', ['operate']);
const reader = generateApiKey('e2e-reader', ['read']);
const SLA_SECONDS = 2;

const json = (response: Response): Promise<any> => response.json();
const buyer = () => `buyer-${randomUUID().slice(0, 8)}@shop.test`;

/** risk-control as a real process; orders are played by OrderSource (outbox → orders.v1), payments by PaymentsUpstream. */
describe('risk-control service', () => {
  const risk = new ServiceProcess({
    entry: 'apps/risk-control/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: [operator.record, reader.record].map(formatApiKeyRecord).join(';'),
      RISK_RULES_FILE: path.join(__dirname, 'risk-rules.e2e.yaml'),
      RISK_REVIEW_SLA_SECONDS: String(SLA_SECONDS),
      RISK_WORKER_POLL_MS: '200',
    },
  });
  const orders = new OrderSource(uniqueSchemaName('risk_e2e_orders'));
  const payments = new PaymentsUpstream();
  let probe: TopicProbe;

  const http = (route: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${risk.url}${route}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      },
    });
  const decide = (
    orderId: string,
    action: 'approve' | 'reject',
    key?: string,
    reason = 'checked the buyer',
  ) =>
    http(`/v1/risk/reviews/${orderId}/${action}`, {
      method: 'POST',
      body: JSON.stringify({ reason }),
      ...(key ? { key } : {}),
    });

  /** Risk events about one order, parsed. */
  const outcomes = (orderId: string) =>
    probe.where((m) => m.key === orderId).map((m) => JSON.parse(m.value!) as { type: string; data: any });
  const waitForOutcome = async (orderId: string, type: string) => {
    await probe.waitFor((m) => m.key === orderId && JSON.parse(m.value!).type === type, 1, 30000);
    return outcomes(orderId).find((e) => e.type === type)!;
  };
  const factsRecorded = (orderIds: string[]) =>
    eventually(
      () =>
        withPgClient(async (client) => {
          const { rows } = await client.query(
            'SELECT count(*)::int AS n FROM risk.order_facts WHERE order_id = ANY($1::uuid[])',
            [orderIds],
          );
          return rows[0].n === orderIds.length ? true : undefined;
        }),
      { timeoutMs: 30000, what: `facts of ${orderIds.length} orders to be recorded` },
    );
  /** Places an order (through orders.v1) and waits until risk-control has its facts. */
  const place = async (overrides: Record<string, unknown>) => {
    const order = await orders.placeOrderCommitted(overrides);
    await factsRecorded([order.orderId]);
    return order;
  };
  const placeAndPay = async (overrides: Record<string, unknown>) => {
    const order = await place(overrides);
    await payments.paymentConfirmed(order.orderId, order.total.amountMinor);
    return order;
  };

  beforeAll(async () => {
    await dropSchema('risk');
    await orders.start();
    await payments.start();
    await risk.start();
    probe = await new TopicProbe([Topics.risk]).start();
  });

  afterAll(async () => {
    await probe?.stop();
    await payments.stop();
    await orders.stop();
    await risk.stop();
    await dropSchema(orders.schema);
  });

  it('approves a small order from a trusted channel at once (pass-first) and queues it for audit', async () => {
    const order = await placeAndPay({
      buyer: { email: buyer() },
      total: { amountMinor: 5000, currency: 'CNY' },
    });
    const approved = await waitForOutcome(order.orderId, 'risk.approved.v1');
    expect(approved.data).toMatchObject({ orderId: order.orderId, mode: 'pass-first', rule: 'pass-first' });
    expect(approved.data.decidedInMs).toEqual(expect.any(Number));
    expect(approved.data.score).toBeLessThanOrEqual(100);

    expect((await http('/v1/risk/audits')).status).toBe(401);
    const audits = await json(await http('/v1/risk/audits?limit=200', { key: reader.key }));
    expect(audits.items).toContainEqual(
      expect.objectContaining({
        orderId: order.orderId,
        assessmentId: approved.data.assessmentId,
        paymentChannel: 'alipay',
      }),
    );
  });

  it('closes an audit once: confirm publishes nothing, reverse publishes risk.audit-reversed.v1 once; needs operate', async () => {
    const passFirst = async () => {
      const order = await placeAndPay({
        buyer: { email: buyer() },
        total: { amountMinor: 5000, currency: 'CNY' },
      });
      return { order, approved: await waitForOutcome(order.orderId, 'risk.approved.v1') };
    };
    const close = (orderId: string, verdict: string, key?: string, body: unknown = { reason: 'audited' }) =>
      http(`/v1/risk/audits/${orderId}/${verdict}`, {
        method: 'POST',
        body: JSON.stringify(body),
        ...(key ? { key } : {}),
      });
    const [kept, reversed] = await Promise.all([passFirst(), passFirst()]);

    expect((await close(kept.order.orderId, 'confirm')).status).toBe(401);
    expect((await close(kept.order.orderId, 'confirm', reader.key)).status).toBe(403);
    expect((await close(kept.order.orderId, 'confirm', operator.key, { reason: 'ok' })).status).toBe(400);
    expect((await close(randomUUID(), 'confirm', operator.key)).status).toBe(404);
    const confirmed = await close(kept.order.orderId, 'confirm', operator.key, { reason: 'regular buyer' });
    expect(confirmed.status).toBe(200);
    expect(await json(confirmed)).toMatchObject({ status: 'confirmed', closedBy: 'e2e-operator' });

    const reverses = await Promise.all(
      [1, 2, 3].map(() => close(reversed.order.orderId, 'reverse', operator.key, { reason: 'stolen card' })),
    );
    expect(reverses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await close(kept.order.orderId, 'reverse', operator.key)).status).toBe(409);

    const event = await waitForOutcome(reversed.order.orderId, 'risk.audit-reversed.v1');
    expect(event.data).toEqual({
      orderId: reversed.order.orderId,
      assessmentId: reversed.approved.data.assessmentId,
      reason: 'stolen card',
      reversedBy: 'e2e-operator',
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(outcomes(reversed.order.orderId).filter((e) => e.type === 'risk.audit-reversed.v1')).toHaveLength(
      1,
    );
    expect(outcomes(kept.order.orderId).filter((e) => e.type === 'risk.audit-reversed.v1')).toHaveLength(0);
    const pending = (await json(await http('/v1/risk/audits?limit=200', { key: reader.key }))).items.map(
      (a: { orderId: string }) => a.orderId,
    );
    expect(pending).not.toContain(kept.order.orderId);
    expect(pending).not.toContain(reversed.order.orderId);
    const closed = await withPgClient(
      async (client) =>
        (
          await client.query(
            `SELECT order_id, status, closed_by, close_reason FROM risk.audit_queue
              WHERE order_id = ANY($1::uuid[]) ORDER BY status`,
            [[kept.order.orderId, reversed.order.orderId]],
          )
        ).rows,
    );
    expect(closed).toEqual([
      {
        order_id: kept.order.orderId,
        status: 'confirmed',
        closed_by: 'e2e-operator',
        close_reason: 'regular buyer',
      },
      {
        order_id: reversed.order.orderId,
        status: 'reversed',
        closed_by: 'e2e-operator',
        close_reason: 'stolen card',
      },
    ]);
  });

  it('sends a large order to manual review and a blocked buyer to rejection', async () => {
    const large = await placeAndPay({
      buyer: { email: buyer() },
      total: { amountMinor: 150000, currency: 'CNY' },
    });
    const blocked = await placeAndPay({ buyer: { email: 'Blocked@Fraud.test' } });
    const blockedDomain = await placeAndPay({ buyer: { email: `x-${randomUUID().slice(0, 6)}@spam.test` } });

    expect((await waitForOutcome(large.orderId, 'risk.review-required.v1')).data).toMatchObject({
      rule: 'amount.review',
      score: 70,
    });
    expect((await waitForOutcome(blocked.orderId, 'risk.rejected.v1')).data).toMatchObject({
      rule: 'block-list.email',
      score: 100,
    });
    expect((await waitForOutcome(blockedDomain.orderId, 'risk.rejected.v1')).data.rule).toBe(
      'block-list.email-domain',
    );

    const reviews = await json(await http('/v1/risk/reviews?limit=200', { key: reader.key }));
    expect(reviews.items).toContainEqual(
      expect.objectContaining({
        orderId: large.orderId,
        rule: 'amount.review',
        amount: { amountMinor: 150000, currency: 'CNY' },
      }),
    );
    const waiting = reviews.items.map((r: { waitingSince: string }) => r.waitingSince);
    expect(waiting).toEqual([...waiting].sort());
  });

  it('counts orders per email in the database window: 3 pass, the 4th goes to review', async () => {
    const email = buyer();
    const base = Date.now() - 60_000;
    const placed = [];
    for (let i = 0; i < 4; i++) {
      placed.push(
        await orders.placeOrderCommitted({
          buyer: { email },
          paymentChannel: 'stripe',
          total: { amountMinor: 20000, currency: 'CNY' },
          placedAt: new Date(base + i * 1000).toISOString(),
        }),
      );
    }
    await factsRecorded(placed.map((o) => o.orderId));
    for (const order of placed) await payments.paymentConfirmed(order.orderId, order.total.amountMinor);

    for (const order of placed.slice(0, 3)) {
      expect((await waitForOutcome(order.orderId, 'risk.approved.v1')).data).toMatchObject({ mode: 'rules' });
    }
    const fourth = await waitForOutcome(placed[3]!.orderId, 'risk.review-required.v1');
    expect(fourth.data).toMatchObject({ rule: 'velocity.email.review' });
    expect(fourth.data.reason).toMatch(/4 orders from this email/);
  });

  it('parks a payment confirmed before its order was seen, and assesses it when the order arrives', async () => {
    const orderId = randomUUID();
    await payments.paymentConfirmed(orderId, 5000);
    await eventually(
      () =>
        withPgClient(async (client) => {
          const { rowCount } = await client.query('SELECT 1 FROM risk.parked_payments WHERE order_id = $1', [
            orderId,
          ]);
          return rowCount === 1 ? true : undefined;
        }),
      { timeoutMs: 30000, what: 'the payment to be parked' },
    );
    expect(outcomes(orderId)).toEqual([]);

    await orders.placeOrderCommitted({ orderId, buyer: { email: buyer() } });
    expect((await waitForOutcome(orderId, 'risk.approved.v1')).data).toMatchObject({ mode: 'pass-first' });
    await withPgClient(async (client) => {
      const { rowCount } = await client.query('SELECT 1 FROM risk.parked_payments WHERE order_id = $1', [
        orderId,
      ]);
      expect(rowCount).toBe(0);
    });
  });

  it('lets an operator approve or reject a review once; needs a key with the operate scope', async () => {
    const toApprove = await placeAndPay({
      buyer: { email: buyer() },
      total: { amountMinor: 150000, currency: 'CNY' },
    });
    const toReject = await placeAndPay({
      buyer: { email: buyer() },
      total: { amountMinor: 150000, currency: 'CNY' },
    });
    await waitForOutcome(toApprove.orderId, 'risk.review-required.v1');
    const review = await waitForOutcome(toReject.orderId, 'risk.review-required.v1');

    expect((await decide(toApprove.orderId, 'approve')).status).toBe(401);
    expect((await decide(toApprove.orderId, 'approve', 'kf_nobody_secret')).status).toBe(401);
    expect((await decide(toApprove.orderId, 'approve', reader.key)).status).toBe(403);
    expect((await decide(toApprove.orderId, 'approve', operator.key, '')).status).toBe(400);
    expect((await decide(randomUUID(), 'approve', operator.key)).status).toBe(404);

    const approved = await decide(toApprove.orderId, 'approve', operator.key);
    expect(approved.status).toBe(200);
    expect(await json(approved)).toMatchObject({ status: 'approved', decidedBy: 'e2e-operator' });
    const second = await decide(toApprove.orderId, 'reject', operator.key);
    expect(second.status).toBe(409);
    expect((await json(second)).code).toBe('RISK.REVIEW_ALREADY_DECIDED');

    expect((await decide(toReject.orderId, 'reject', operator.key, 'card reported stolen')).status).toBe(200);
    expect((await decide(toReject.orderId, 'reject', operator.key)).status).toBe(409);

    expect((await waitForOutcome(toApprove.orderId, 'risk.approved.v1')).data).toMatchObject({
      mode: 'manual',
      rule: 'manual-review',
      decidedInMs: expect.any(Number),
    });
    expect((await waitForOutcome(toReject.orderId, 'risk.rejected.v1')).data).toMatchObject({
      assessmentId: review.data.assessmentId,
      reason: 'manual review: card reported stolen',
    });
    const pending = await json(await http('/v1/risk/reviews?limit=200', { key: reader.key }));
    const pendingIds = pending.items.map((r: { orderId: string }) => r.orderId);
    expect(pendingIds).not.toContain(toApprove.orderId);
    expect(pendingIds).not.toContain(toReject.orderId);
  });

  it('raises risk.review-overdue.v1 exactly once for a review waiting past the SLA', async () => {
    const order = await placeAndPay({
      buyer: { email: buyer() },
      total: { amountMinor: 150000, currency: 'CNY' },
    });
    const review = await waitForOutcome(order.orderId, 'risk.review-required.v1');
    const overdue = await waitForOutcome(order.orderId, 'risk.review-overdue.v1');
    expect(overdue.data).toMatchObject({ assessmentId: review.data.assessmentId, slaSeconds: SLA_SECONDS });
    await new Promise((resolve) => setTimeout(resolve, SLA_SECONDS * 1000 + 500));
    expect(outcomes(order.orderId).filter((e) => e.type === 'risk.review-overdue.v1')).toHaveLength(1);
    const reviews = await json(await http('/v1/risk/reviews?limit=200', { key: reader.key }));
    expect(reviews.items).toContainEqual(expect.objectContaining({ orderId: order.orderId, overdue: true }));
  });

  it('gives one outcome for the same message twice and for a second confirmation of one order', async () => {
    const order = await place({ buyer: { email: buyer() } });
    const id = await payments.paymentConfirmed(order.orderId, 5000);
    await payments.paymentConfirmed(order.orderId, 5000, { id });
    await payments.paymentConfirmed(order.orderId, 5000);
    await waitForOutcome(order.orderId, 'risk.approved.v1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(outcomes(order.orderId).map((e) => e.type)).toEqual(['risk.approved.v1']);
  });
});
