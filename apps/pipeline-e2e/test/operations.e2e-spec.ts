import { ALL_TOPICS } from '@keyflow/contracts';
import {
  EventPublisher,
  eventually,
  exportedMetricNames,
  metricValue,
  OtlpReceiver,
  TopicProbe,
  withPgClient,
} from '@keyflow/testing';

import { monitoredMetricNames } from './monitoring-names';
import { Pipeline, SUPPLIER_IDS } from './pipeline';

/**
 * What operators see and do, on the six real services: the per-stage histograms count exactly the orders
 * that passed each stage (once, even when facts are redelivered), every metric the dashboard and the alerts
 * read is exported, and a pass-first audit is confirmed or reversed once (a reversal refunds, or revokes
 * delivered keys, through the order's decider).
 */
describe('operations: metrics and operator loops on the running pipeline', () => {
  const receiver = new OtlpReceiver();
  let pipeline: Pipeline;
  let probe: TopicProbe;
  let upstream: EventPublisher;
  const buyerEmail = `ops-${Date.now().toString(36)}@example.com`;
  const STAGES = ['payment', 'stock-reservation', 'risk', 'stock-commit', 'delivery', 'notification'];

  beforeAll(async () => {
    pipeline = await Pipeline.create(await receiver.start());
    await pipeline.start();
    probe = await new TopicProbe([...ALL_TOPICS]).start();
    upstream = await new EventPublisher('delivery').start();
    // Pool keys (delivered at once) and a supplier SKU (held up by a supplier outage), both small enough
    // from a trusted channel to pass risk first and be audited later.
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/OPS-POOL`, 'PUT', {
      title: 'Ops pool product',
      unitPriceMinor: 500,
      currency: 'CNY',
    });
    await pipeline.operatorCall(`${pipeline.inventory.url}/v1/skus/OPS-POOL`, 'PUT', {
      source: 'pool',
      lowStockThreshold: 0,
    });
    const keys = Array.from({ length: 10 }, (_, i) => `OPS-${Date.now()}-${i}-7Q2X`);
    await pipeline.operatorCall(
      `${pipeline.inventory.url}/v1/skus/OPS-POOL/keys`,
      'POST',
      `${keys.join('\n')}\n`,
      'text/plain',
    );
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/OPS-SUPPLIER`, 'PUT', {
      title: 'Ops supplier product',
      unitPriceMinor: 800,
      currency: 'CNY',
    });
    await pipeline.operatorCall(`${pipeline.inventory.url}/v1/skus/OPS-SUPPLIER`, 'PUT', {
      source: 'supplier',
      suppliers: SUPPLIER_IDS,
      supplierSku: 'OPS-SUPPLIER-UP',
      lowStockThreshold: 0,
    });
  }, 900_000); // six services started two at a time on a busy machine

  afterAll(async () => {
    await upstream?.stop();
    await probe?.stop();
    await pipeline?.stop();
    await receiver.stop();
  });

  const checkoutAndPay = async (sku: string): Promise<string> => {
    const checkout = await fetch(`${pipeline.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity: 1, email: buyerEmail, paymentChannel: 'alipay' }),
    });
    expect(checkout.status).toBe(201);
    const placed = (await checkout.json()) as { orderId: string; payUrl: string };
    const cashier = (await fetch(placed.payUrl, { redirect: 'manual' })).headers.get('location')!;
    const paid = await fetch(`${pipeline.sandbox.url}/sandbox/pay/${cashier.split('/').pop()}`, {
      method: 'POST',
    });
    expect(paid.ok).toBe(true);
    return placed.orderId;
  };
  const timeline = (orderId: string) =>
    pipeline.operatorGet(`${pipeline.orders.url}/v1/orders/${orderId}/timeline`);
  const statusIs = (orderId: string, statuses: string[]) =>
    eventually(
      async () => {
        const view = await timeline(orderId).catch(() => undefined);
        return view && statuses.includes(view.status) ? view : undefined;
      },
      { what: `order ${orderId} to be ${statuses.join(' or ')}`, timeoutMs: 60000 },
    );
  const metricsOf = async (url: string) => (await fetch(`${url}/metrics`)).text();
  const ofType = (orderId: string, type: string) =>
    probe.where((m) => m.key === orderId && m.headers.ce_type === type);
  const orderEvents = (orderId: string, type: string) =>
    withPgClient(async (client) =>
      (
        await client.query(`SELECT data FROM orders.events WHERE stream_id = $1 AND type = $2`, [
          orderId,
          type,
        ])
      ).rows.map((row: { data: Record<string, unknown> }) => row.data),
    );
  const closeAudit = (orderId: string, verdict: string, body: unknown) =>
    fetch(`${pipeline.risk.url}/v1/risk/audits/${orderId}/${verdict}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pipeline.operator.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const pendingAudits = async (): Promise<string[]> =>
    (await pipeline.operatorGet(`${pipeline.risk.url}/v1/risk/audits?limit=200`)).items.map(
      (a: { orderId: string }) => a.orderId,
    );

  const completed: string[] = [];

  it('counts each order once in the histogram of every stage it passed, and paid → delivered as the facts say', async () => {
    for (let i = 0; i < 4; i += 1) completed.push(await checkoutAndPay('OPS-POOL'));
    await Promise.all(completed.map((orderId) => statusIs(orderId, ['completed'])));
    // The timelines say each order passed all six stages.
    for (const orderId of completed) {
      const view = await timeline(orderId);
      expect(view.stages.map((s: { stage: string; status: string }) => [s.stage, s.status])).toEqual(
        expect.arrayContaining(STAGES.map((stage) => [stage, 'done'])),
      );
    }
    const metrics = await metricsOf(pipeline.orders.url);
    const stageCount = (stage: string) =>
      metricValue(metrics, 'keyflow_order_stage_seconds_count', { stage });
    expect(Object.fromEntries(STAGES.map((stage) => [stage, stageCount(stage)]))).toEqual(
      Object.fromEntries(STAGES.map((stage) => [stage, completed.length])),
    );
    expect(metricValue(metrics, 'keyflow_order_paid_to_delivered_seconds_count')).toBe(completed.length);

    // Measured independently, from the facts on the wire: payment's paidAt → delivery's deliveredAt.
    const paidToDelivered = completed.map((orderId) => {
      const [paid] = ofType(orderId, 'payment.confirmed.v1');
      const [delivered] = ofType(orderId, 'delivery.succeeded.v1');
      const paidAt = JSON.parse(paid!.value!).data.paidAt as string;
      const deliveredAt = JSON.parse(delivered!.value!).data.deliveredAt as string;
      return (Date.parse(deliveredAt) - Date.parse(paidAt)) / 1000;
    });
    const sum = paidToDelivered.reduce((a, b) => a + b, 0);
    expect(metricValue(metrics, 'keyflow_order_paid_to_delivered_seconds_sum')).toBeCloseTo(sum, 3);
    // Every stage took some time, none beyond the test itself.
    for (const stage of STAGES) {
      const seconds = metricValue(metrics, 'keyflow_order_stage_seconds_sum', { stage });
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(seconds).toBeLessThan(completed.length * 120);
    }
  });

  it('observes nothing again when a delivery fact is redelivered, as the same message or as a new one', async () => {
    const orderId = completed[0]!;
    const before = await metricsOf(pipeline.orders.url);
    const consumed = (text: string, outcome: string) =>
      metricValue(text, 'keyflow_kafka_messages_total', { topic: 'delivery.v1', outcome });
    const [delivered] = ofType(orderId, 'delivery.succeeded.v1');
    const envelope = JSON.parse(delivered!.value!) as {
      id: string;
      time: string;
      data: Record<string, unknown>;
    };
    // The very same message (the inbox drops it), then the same fact under a new id (the decider knows it).
    await upstream.publishEvent('delivery.succeeded.v1', orderId, envelope.data, {
      id: envelope.id,
      time: envelope.time,
    });
    await upstream.publishEvent('delivery.succeeded.v1', orderId, envelope.data, { time: envelope.time });
    const after = await eventually(
      async () => {
        const text = await metricsOf(pipeline.orders.url);
        return consumed(text, 'duplicate') >= consumed(before, 'duplicate') + 1 &&
          consumed(text, 'handled') >= consumed(before, 'handled') + 1
          ? text
          : undefined;
      },
      { what: 'orders to consume both redeliveries', timeoutMs: 30000 },
    );
    for (const stage of STAGES) {
      expect([stage, metricValue(after, 'keyflow_order_stage_seconds_count', { stage })]).toEqual([
        stage,
        metricValue(before, 'keyflow_order_stage_seconds_count', { stage }),
      ]);
    }
    expect(metricValue(after, 'keyflow_order_paid_to_delivered_seconds_count')).toBe(completed.length);
    expect(await orderEvents(orderId, 'orders.delivered.v1')).toHaveLength(1);
  });

  it('refuses bad audit input with 4xx and changes nothing', async () => {
    const orderId = completed[1]!;
    const answers = await Promise.all([
      closeAudit(orderId, 'reverse', { reason: 'x' }),
      closeAudit(orderId, 'reverse', {}),
      closeAudit(orderId, 'reverse', { reason: 'stolen card', extra: true }),
      closeAudit('not-a-uuid', 'reverse', { reason: 'stolen card' }),
      closeAudit('00000000-0000-4000-8000-000000000000', 'reverse', { reason: 'stolen card' }),
      closeAudit(orderId, 'shred', { reason: 'stolen card' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 404, 404]);
    expect(await pendingAudits()).toEqual(expect.arrayContaining(completed));
  });

  it('confirms an audit once: the approval stands, no event, and a second close is refused', async () => {
    const orderId = completed[1]!;
    const confirmed = await closeAudit(orderId, 'confirm', { reason: 'known buyer, normal basket' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ orderId, status: 'confirmed', closedBy: 'pipeline-e2e' });
    expect((await closeAudit(orderId, 'reverse', { reason: 'changed my mind' })).status).toBe(409);
    expect(await pendingAudits()).not.toContain(orderId);
    expect(ofType(orderId, 'risk.audit-reversed.v1')).toHaveLength(0);
    expect((await timeline(orderId)).status).toBe('completed');
  });

  it('reverses a delivered order once: its keys are recorded as revoked, no refund, never twice', async () => {
    const orderId = completed[2]!;
    const answers = await Promise.all(
      [1, 2, 3].map(() => closeAudit(orderId, 'reverse', { reason: 'card reported stolen' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const view = await eventually(
      async () => {
        const v = await timeline(orderId);
        const risk = v.stages.find((s: { stage: string }) => s.stage === 'risk');
        return risk.notes.some((n: string) => n.includes('delivered keys revoked')) ? v : undefined;
      },
      { what: `order ${orderId}: the reversal on its timeline`, timeoutMs: 30000 },
    );
    expect(view.status).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await orderEvents(orderId, 'orders.risk-approval-reversed.v1')).toEqual([
      expect.objectContaining({ outcome: 'revoke-keys', by: 'pipeline-e2e', reason: 'card reported stolen' }),
    ]);
    expect(ofType(orderId, 'risk.audit-reversed.v1')).toHaveLength(1);
    expect(ofType(orderId, 'order.refund-requested.v1')).toHaveLength(0);
  });

  it('reverses an order held before delivery: one refund, however often the operator clicks', async () => {
    await Promise.all(
      SUPPLIER_IDS.map((supplier) =>
        fetch(`${pipeline.suppliers.url}/suppliers/${supplier}/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ outage: true }),
        }),
      ),
    );
    // The suppliers stay down to the end of this suite, so the order is never delivered after its refund.
    const orderId = await checkoutAndPay('OPS-SUPPLIER');
    await statusIs(orderId, ['fulfilling', 'escalated']);
    expect(await pendingAudits()).toContain(orderId);

    const first = await closeAudit(orderId, 'reverse', { reason: 'chargeback announced' });
    const second = await closeAudit(orderId, 'reverse', { reason: 'chargeback announced' });
    expect([first.status, second.status]).toEqual([200, 409]);
    expect(await first.json()).toMatchObject({ orderId, status: 'reversed', closedBy: 'pipeline-e2e' });

    await probe.waitFor((m) => m.key === orderId && m.headers.ce_type === 'payment.refunded.v1', 1);
    const view = await statusIs(orderId, ['refund-requested']);
    expect(view.waitingReason).toContain('risk audit reversed by pipeline-e2e: chargeback announced');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(ofType(orderId, 'risk.audit-reversed.v1')).toHaveLength(1);
    expect(ofType(orderId, 'order.refund-requested.v1')).toHaveLength(1);
    expect(ofType(orderId, 'payment.refunded.v1')).toHaveLength(1);
    expect(await orderEvents(orderId, 'orders.risk-approval-reversed.v1')).toEqual([
      expect.objectContaining({ outcome: 'refund' }),
    ]);
    const refunds = await withPgClient(
      async (client) =>
        (await client.query(`SELECT count(*)::int AS n FROM payments.refunds WHERE order_id = $1`, [orderId]))
          .rows[0].n,
    );
    expect(refunds).toBe(1);
  });

  it('exports every metric the Grafana dashboard and the alert rules read', async () => {
    const exported = new Set<string>();
    for (const service of pipeline.pipelineServices) {
      const text = await metricsOf(service.url);
      expect(metricValue(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(text).not.toContain('keyflow_process_');
      for (const name of exportedMetricNames(text)) exported.add(name);
    }
    const monitored = monitoredMetricNames();
    expect(monitored.size).toBeGreaterThan(15);
    const missing = [...monitored.keys()].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
    // The calls outside the pipeline were counted while the orders above went through.
    const payments = await metricsOf(pipeline.payments.url);
    expect(
      metricValue(payments, 'keyflow_payment_provider_calls_total', { operation: 'create', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(completed.length + 1);
    expect(
      metricValue(payments, 'keyflow_payment_provider_calls_total', { operation: 'refund', outcome: 'ok' }),
    ).toBe(1);
    const notification = await metricsOf(pipeline.notification.url);
    expect(
      metricValue(notification, 'keyflow_notification_sends_total', {
        channel: 'email',
        purpose: 'goods',
        outcome: 'sent',
      }),
    ).toBe(completed.length);
  });
});
