import { STAGE_OF_SERVICE } from '@keyflow/observability';
import { open } from '@keyflow/sealed-box';
import { ALL_TOPICS, Topics } from '@keyflow/contracts';
import {
  delayAgreement,
  emptyMilestones,
  measureDelay,
  type OrderMilestones,
  recordEvent,
} from '@keyflow/load';
import { eventually, OtlpReceiver, TopicProbe, withPgClient } from '@keyflow/testing';

import { Pipeline, SUPPLIER_IDS } from './pipeline';
import { OrderTrace, OtlpKind, STAGE_SERVICES } from './order-trace';
import { ZipkinServer } from './zipkin-server';

/**
 * Orders through the six real services (separate processes sharing nothing but Kafka and Postgres), from
 * checkout to the buyer's email: the sandbox payment provider and suppliers and an SMTP server around them.
 */
describe('an order through the services', () => {
  const receiver = new OtlpReceiver();
  let pipeline: Pipeline;
  let probe: TopicProbe;

  // The services export to both: the OTLP receiver (what the assertions read span by span) and the trace UI
  // `npm start` runs (Zipkin from scripts/zipkin.sh), so the Zipkin path is proven end to end too.
  const zipkin = new ZipkinServer();

  beforeAll(async () => {
    // Zipkin first: its JVM's start-up burst beside six services compiling starved them past their readiness
    // deadline on a busy 2-core machine.
    await zipkin.start();
    const otlp = await receiver.start();
    pipeline = await Pipeline.create(otlp, {
      extraEnv: { OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansEndpoint },
    });
    await pipeline.start();
    probe = await new TopicProbe([...ALL_TOPICS]).start();
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/STEAM-100`, 'PUT', {
      title: 'Steam wallet 100',
      unitPriceMinor: 10000,
      currency: 'CNY',
    });
    // STEAM-100 is bought from the sandbox suppliers at delivery (primary first, then the backup).
    await pipeline.operatorCall(`${pipeline.inventory.url}/v1/skus/STEAM-100`, 'PUT', {
      source: 'supplier',
      suppliers: SUPPLIER_IDS,
      supplierSku: 'STEAM-100-UP',
      lowStockThreshold: 0,
    });
  }, 300_000); // six services and the trace UI starting at once

  afterAll(async () => {
    await probe?.stop();
    await pipeline?.stop();
    await receiver.stop();
    await zipkin.stop();
  });

  // This run's own buyer: risk's velocity rule counts orders per email, and earlier suites on the same broker
  // may have placed twenty for buyer@example.com within the hour.
  const buyerEmail = `buyer-${Date.now().toString(36)}@example.com`;
  const checkoutAndPay = async (sku: string) => {
    const checkout = await fetch(`${pipeline.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity: 1, email: buyerEmail, paymentChannel: 'alipay' }),
    });
    expect(checkout.status).toBe(201);
    const placed = (await checkout.json()) as { orderId: string; payUrl: string; statusUrl: string };
    // The buyer follows the pay URL at once, and once: its signed pay link lets payment-callback open the
    // payment there and then, whether or not it has read OrderPlaced yet.
    const response = await fetch(placed.payUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const cashier = response.headers.get('location')!;
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

    // The signed pay URL lets the payment be confirmed before orders' relay has published OrderPlaced (or
    // the probe has read it), so wait for OrderPlaced as for PaymentConfirmed.
    const [placed] = await probe.waitFor(
      (m) => m.key === orderId && m.headers.ce_type === 'order.placed.v1',
      1,
    );
    const [confirmed] = await probe.waitFor(
      (m) => m.key === orderId && m.headers.ce_type === 'payment.confirmed.v1',
      1,
    );
    expect(traceIdOf(confirmed!)).toBeDefined();
    expect(traceIdOf(confirmed!)).toBe(traceIdOf(placed!));

    // Whichever came first, pay URL or OrderPlaced: one intent, created at the provider once.
    const intents = await withPgClient(
      async (client) =>
        (
          await client.query(
            `SELECT status, creation_attempts FROM payments.payment_intents WHERE order_id = $1`,
            [orderId],
          )
        ).rows,
    );
    expect(intents).toEqual([{ status: 'paid', creation_attempts: 1 }]);
    expect(
      probe.where((m) => m.key === orderId && m.headers.ce_type === 'payment.confirmed.v1'),
    ).toHaveLength(1);
  });

  /** A product sold from the shop's own pool of keys, stocked with `keys`. */
  const poolProduct = async (sku: string, keys: string[]) => {
    await pipeline.operatorCall(`${pipeline.orders.url}/v1/products/${sku}`, 'PUT', {
      title: `Pool product ${sku}`,
      unitPriceMinor: 500,
      currency: 'CNY',
    });
    await pipeline.operatorCall(`${pipeline.inventory.url}/v1/skus/${sku}`, 'PUT', {
      source: 'pool',
      lowStockThreshold: 0,
    });
    await pipeline.operatorCall(
      `${pipeline.inventory.url}/v1/skus/${sku}/keys`,
      'POST',
      `${keys.join('\n')}\n`,
      'text/plain',
    );
  };
  const mailTo = (orderId: string) =>
    eventually(async () => pipeline.smtp.for(orderId)[0], {
      what: `the buyer's email for order ${orderId}`,
      timeoutMs: 30000,
    });

  it('a pool key goes sealed from inventory to the buyer’s email, and its plaintext is in no log, span or Kafka message', async () => {
    const cardKey = `KF-KNOWN-${Date.now()}-7Q2X-9ZPL`;
    await poolProduct('POOL-SECRET', [cardKey]);

    const { orderId } = await checkoutAndPay('POOL-SECRET');
    // Reserved → paid → risk approves at once (small order, trusted channel) → committed → delivered → emailed.
    const view = await timelineWhen(orderId, (v) => v.status === 'completed', 'completed');
    const stages = Object.fromEntries(view.stages.map((s: { stage: string }) => [s.stage, s]));
    expect(stages.risk).toMatchObject({ status: 'done', servedBy: 'pass-first' });
    expect(stages['stock-commit']).toMatchObject({ status: 'done', servedBy: 'pool' });

    const [committed] = await probe.waitFor(
      (m) => m.key === orderId && m.headers.ce_type === 'stock.committed.v1',
      1,
    );
    const sealed: Array<{ sealed: string }> = JSON.parse(committed!.value!).data.keys;
    expect(await Promise.all(sealed.map((k) => open(k.sealed, pipeline.deliveryPrivateKey)))).toEqual([
      cardKey,
    ]);
    expect(traceIdOf(committed!)).toBe(traceIdOf(probe.where((m) => m.key === orderId)[0]!));
    // The one place the plaintext belongs: the buyer's email.
    const mail = await mailTo(orderId);
    expect(mail.to).toMatchObject({ text: buyerEmail });
    expect(mail.text).toContain(cardKey);

    // Give the exporters a moment, then search everything a person or a collector could see.
    await eventually(async () =>
      receiver.spans.some((s) => s.attributes['order.id'] === orderId && s.service === 'notification')
        ? true
        : undefined,
    );
    const everywhere = [
      ...pipeline.services.map((service) => service.output),
      JSON.stringify(receiver.spans),
      ...probe.messages.map((m) => `${m.value} ${JSON.stringify(m.headers)}`),
    ].join('\n');
    expect(pipeline.notification.output).toContain(orderId); // the search covers the last service's log
    expect(everywhere).not.toContain(cardKey);
    expect(everywhere).not.toContain(Buffer.from(cardKey).toString('base64'));
    // Nor orders' pay-link signing key (its PEM body), though every checkout and pay URL used it.
    const signingKeyBody = pipeline.payLinkSigningKey.split('\n').filter((line) => !line.startsWith('-----'));
    expect(signingKeyBody.join('').length).toBeGreaterThan(40);
    for (const line of signingKeyBody.filter(Boolean)) expect(everywhere).not.toContain(line);
  });

  it('one trace per order, checkout to email, spans from all six services in causal order, each with order.id', async () => {
    await poolProduct('POOL-TRACE', [`KF-TRACE-${Date.now()}-4K8M`]);
    // One order of each kind of delivery: bought from a supplier, and from the pool.
    const placed = await Promise.all(['STEAM-100', 'POOL-TRACE'].map((sku) => checkoutAndPay(sku)));
    for (const { orderId } of placed) {
      await timelineWhen(orderId, (v) => v.status === 'completed', 'completed');
      await mailTo(orderId);
    }

    for (const { orderId } of placed) {
      const [orderPlaced] = probe.where((m) => m.key === orderId && m.headers.ce_type === 'order.placed.v1');
      const traceId = traceIdOf(orderPlaced!)!;
      let last: OrderTrace | undefined;
      const order = await eventually(
        async () => {
          last = new OrderTrace(receiver.spans, traceId);
          return last.complete ? last : undefined;
        },
        { what: `every span of order ${orderId}'s trace`, timeoutMs: 20000 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${last?.render()}`);
      });
      const context = `order ${orderId}\n${order.render()}`;

      // One trace id per order: every span tagged with the order is in this trace, and every span in it is tagged.
      const tagged = receiver.spans.filter((s) => s.attributes['order.id'] === orderId);
      expect({ context, traces: [...new Set(tagged.map((s) => s.traceId))] }).toEqual({
        context,
        traces: [traceId],
      });
      expect(
        order.spans.filter((s) => s.attributes['order.id'] !== orderId).map(OrderTrace.describe),
      ).toEqual([]);
      expect(new Set(order.spans.map((s) => s.service))).toEqual(new Set(STAGE_SERVICES));
      // The trace UI has the same trace: every span, from all six services, under the one trace id.
      const inZipkin = await eventually(
        async () => {
          const spans = await zipkin.trace(traceId);
          return spans.length >= order.spans.length ? spans : undefined;
        },
        { what: `order ${orderId}'s trace in Zipkin`, timeoutMs: 20000 },
      );
      expect(new Set(inZipkin.map((s) => s.localEndpoint?.serviceName))).toEqual(new Set(STAGE_SERVICES));
      expect(inZipkin.every((s) => s.tags?.['order.id'] === orderId)).toBe(true);
      // …and the stage each service works on, so a tag search finds one stage's spans (order.stage=delivery).
      expect(
        order.spans
          .filter((s) => s.attributes['order.stage'] !== STAGE_OF_SERVICE[s.service])
          .map((s) => `${OrderTrace.describe(s)}, order.stage ${String(s.attributes['order.stage'])}`),
      ).toEqual([]);

      // Causal order: one root, the buyer's checkout request in orders; every span's parent chain leads to it.
      expect(order.roots.map(OrderTrace.describe)).toHaveLength(1);
      const [root] = order.roots;
      expect(root).toMatchObject({ service: 'orders', kind: OtlpKind.server });
      expect(root!.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/v1/orders' });
      expect(order.orphans.map(OrderTrace.describe)).toEqual([]);
      // The way to the completion passes the stages in order, each starting after the one before.
      const path = order.pathTo(order.completion!);
      expect({ context, stages: OrderTrace.servicesAlong(path) }).toEqual({
        context,
        stages: STAGE_SERVICES,
      });
      const starts = path.map((s) => s.startMs);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      // Every stage hop is a Kafka consumer span under the previous stage's producer span; except that the
      // payment usually joins through the pay link, which carries the checkout's trace context to
      // payment-callback (when OrderPlaced arrived first, the payment joins under its consumer span).
      const hops = path.filter((s, i) => i > 0 && s.service !== path[i - 1]!.service);
      for (const hop of hops) {
        const parent = path[path.indexOf(hop) - 1]!;
        const viaPayLink =
          hop.service === 'payment-callback' && parent.service === 'orders' && parent.name === 'checkout';
        if (viaPayLink) continue;
        expect([OrderTrace.describe(parent), OrderTrace.describe(hop), parent.kind, hop.kind]).toEqual([
          OrderTrace.describe(parent),
          OrderTrace.describe(hop),
          OtlpKind.producer,
          OtlpKind.consumer,
        ]);
      }
      // The provider's callback, a request of its own, joined the trace: its span links back to that request.
      const callback = path.find((s) => s.service === 'payment-callback' && s.links.length > 0);
      expect(callback).toBeDefined();
      expect(callback!.links.map((l) => l.traceId)).not.toContain(traceId);
    }
  });

  it('the console overview says what the events measured: paid, late, delay rate, average paid → delivered', async () => {
    // Every order of this suite, as the topics saw it (the schemas were dropped at start: nothing else is in
    // the console's window), measured from the events' own paid and delivered times.
    const milestones = new Map<string, OrderMilestones>();
    for (const message of probe.messages) {
      const envelope = JSON.parse(message.value!);
      const orderId = envelope.data?.orderId ?? message.key;
      if (!milestones.has(orderId)) milestones.set(orderId, emptyMilestones());
      recordEvent(milestones.get(orderId)!, {
        id: envelope.id,
        type: envelope.type,
        time: Date.parse(envelope.time),
        data: envelope.data ?? {},
      });
    }
    const overview = await pipeline.operatorGet(`${pipeline.orders.url}/v1/dashboard/overview`);
    const measured = measureDelay(milestones.values(), overview.window.lateAfterSeconds, Date.now());
    expect(measured.paid).toBeGreaterThanOrEqual(4);
    expect(measured.average_paid_to_delivered_s).toBeGreaterThan(0);
    expect({ problems: delayAgreement(measured, overview), overview }).toEqual({ problems: [], overview });
    expect(overview.alerts).toEqual([]);
  });

  it('logs are JSON from the first line in every process, and every line naming an order carries its order_id', () => {
    const orderIds = new Set(
      probe.messages.filter((m) => m.headers.ce_type === 'order.placed.v1').map((m) => m.key!),
    );
    expect(orderIds.size).toBeGreaterThanOrEqual(4);
    const withOrder = new Map<string, number>();
    for (const [i, service] of pipeline.services.entries()) {
      const name =
        service === pipeline.sandbox ? 'sandbox' : service === pipeline.suppliers ? 'suppliers' : i;
      const lines = service.output.split('\n').filter((line) => line.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        let record: { msg?: string; message?: string; order_id?: string };
        try {
          record = JSON.parse(line);
        } catch {
          throw new Error(`${name}: a log line that is not JSON: ${line}`);
        }
        const text = record.msg ?? record.message ?? '';
        const named = [...orderIds].find((id) => text.includes(id));
        if (named) expect({ line, order_id: record.order_id }).toEqual({ line, order_id: named });
        if (record.order_id && orderIds.has(record.order_id))
          withOrder.set(String(name), (withOrder.get(String(name)) ?? 0) + 1);
      }
    }
    // The stages that log per order (inventory's reservation, risk's verdict, delivery's hand-over, notification's
    // send, orders' completion) say so on lines carrying the order's id; inventory and notification never did.
    const lines = (service: unknown) =>
      withOrder.get(String(pipeline.services.indexOf(service as never))) ?? 0;
    const perService = {
      inventory: lines(pipeline.inventory),
      risk: lines(pipeline.risk),
      delivery: lines(pipeline.delivery),
      notification: lines(pipeline.notification),
    };
    expect(Object.entries(perService).filter(([, n]) => n === 0)).toEqual([]);
  });

  it('polls make no traces: the timeline and overview reads, the console-like GETs, start none', async () => {
    // This suite has polled orders' GET endpoints hundreds of times (timelineWhen, the overview). None of
    // them is a trace: every trace's root is a request that changes something, or work for an order.
    await pipeline.operatorGet(`${pipeline.orders.url}/v1/dashboard/overview`);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // past the exporters' batch delay
    const ids = new Set(receiver.spans.map((s) => s.spanId));
    const roots = receiver.spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    const reads = roots.filter(
      (s) =>
        s.kind === OtlpKind.server && ['GET', 'HEAD'].includes(String(s.attributes['http.request.method'])),
    );
    expect(reads.map(OrderTrace.describe)).toEqual([]);
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
