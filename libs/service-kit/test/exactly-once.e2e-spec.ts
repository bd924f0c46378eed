import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Kafka, logLevel } from 'kafkajs';

import { consumerGroupFor, deadLetterTopicFor, Topics } from '@keyflow/contracts';
import { startTracing } from '@keyflow/observability';
import {
  dropSchema,
  eventually,
  orderPlaced,
  OrderSource,
  OtlpReceiver,
  testKafkaBrokers,
  TopicProbe,
  uniqueSchemaName,
  waitForCommittedOffset,
  withPgClient,
} from '@keyflow/testing';

import { SinkProcess } from './fixtures/sink-process';

const spans = new InMemorySpanExporter();
startTracing('spine-test', { spanProcessors: [new SimpleSpanProcessor(spans)], env: {} });

/**
 * The consuming side runs as a separate service process (the sink), so it can be killed with SIGKILL at
 * the worst moments. Effects are counted in its database tables, which have no unique constraints: only
 * the inbox stands between a redelivery and a second effect.
 */
describe('a consuming service: exactly one effect per event (real Kafka, Postgres, separate process)', () => {
  const sinkSchema = uniqueSchemaName('sink_test');
  const sinkService = `spine-sink-${sinkSchema.split('_').pop()}`;
  const ordersGroup = consumerGroupFor(sinkService, Topics.orders);
  const source = new OrderSource(uniqueSchemaName('source_test'));
  const receiver = new OtlpReceiver();
  let sink: SinkProcess;
  let otlpEndpoint: string;
  const port = 3900 + Math.floor(Math.random() * 90);

  const startSink = async (crashAt?: string) => {
    sink = new SinkProcess({
      service: sinkService,
      schema: sinkSchema,
      port,
      ...(crashAt ? { crashAt } : {}),
      extraEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_BSP_SCHEDULE_DELAY: '200' },
    });
    await sink.start();
  };

  const count = (table: 'effects' | 'downstream_effects', orderId: string) =>
    withPgClient(async (client) => {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM "${sinkSchema}".${table} WHERE order_id = $1`,
        [orderId],
      );
      return rows[0].n as number;
    });
  const downstreamDone = (orderId: string) =>
    eventually(async () => ((await count('downstream_effects', orderId)) >= 1 ? true : undefined), {
      timeoutMs: 60000,
      what: `downstream effect of ${orderId}`,
    });

  beforeAll(async () => {
    otlpEndpoint = await receiver.start();
    await source.start();
    await startSink();
  });

  afterAll(async () => {
    await sink?.stop();
    await source.stop();
    await receiver.stop();
    await dropSchema(sinkSchema);
    await dropSchema(source.schema);
  });

  it('handles an event once, and a second delivery of the same message changes nothing', async () => {
    const probe = await new TopicProbe([Topics.orders]).start();
    const orderId = (await source.placeOrderCommitted()).orderId;
    await downstreamDone(orderId);
    const [original] = await probe.waitFor((m) => m.key === orderId, 1);
    await probe.stop();

    // Redeliver the very same record, as Kafka does after a rebalance or a crash before the offset commit.
    const kafka = new Kafka({
      clientId: 'replayer',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({
      topic: Topics.orders,
      messages: [{ key: original!.key, value: original!.value, headers: original!.headers }],
    });
    await producer.disconnect();
    await waitForCommittedOffset(ordersGroup, Topics.orders, sent!.partition, sent!.baseOffset!);

    expect(await count('effects', orderId)).toBe(1);
    expect(await count('downstream_effects', orderId)).toBe(1);
  });

  it('continues the producer’s trace: the consumer span is a child of the relay’s producer span', async () => {
    const tracer = trace.getTracer('spine-test');
    const checkout = tracer.startSpan('checkout');
    const { orderId } = await context.with(trace.setSpan(context.active(), checkout), () =>
      source.placeOrderCommitted(),
    );
    checkout.end();
    await downstreamDone(orderId);

    const producerSpan = await eventually(async () =>
      spans
        .getFinishedSpans()
        .find((s) => s.name === `${Topics.orders} publish` && s.attributes['order.id'] === orderId),
    );
    expect(producerSpan.spanContext().traceId).toBe(checkout.spanContext().traceId);
    const consumerSpan = await eventually(
      async () =>
        receiver.spans.find(
          (s) => s.name === `${Topics.orders} process` && s.attributes['order.id'] === orderId,
        ),
      { what: 'the sink’s consumer span at the OTLP receiver' },
    );
    expect(consumerSpan.service).toBe(sinkService);
    expect(consumerSpan.traceId).toBe(producerSpan.spanContext().traceId);
    expect(consumerSpan.parentSpanId).toBe(producerSpan.spanContext().spanId);
    // And the next hop (the sink's own event, through its outbox) stays in the same trace.
    const nextHop = await eventually(async () =>
      receiver.spans.find(
        (s) => s.name === `${Topics.inventory} process` && s.attributes['order.id'] === orderId,
      ),
    );
    expect(nextHop.traceId).toBe(checkout.spanContext().traceId);
  });

  it('dead-letters malformed and failing messages with the reason, and keeps consuming', async () => {
    const dlq = await new TopicProbe([deadLetterTopicFor(ordersGroup)]).start();
    const kafka = new Kafka({ clientId: 'poison', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const poisonKey = `poison-${Date.now()}`;
    const validEnvelope = JSON.parse(
      JSON.stringify({
        specversion: '1.0',
        id: '4a3c1f9e-1d55-4a43-8f6c-6f1e2b9d0a11',
        type: 'order.placed.v1',
        source: 'test',
        subject: poisonKey,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        correlationid: 'c-1',
        data: orderPlaced('4a3c1f9e-1d55-4a43-8f6c-6f1e2b9d0a11'),
      }),
    );
    await producer.send({
      topic: Topics.orders,
      messages: [
        { key: poisonKey, value: '{not json', headers: { 'x-test': 'kept' } },
        { key: poisonKey, value: JSON.stringify({ ...validEnvelope, specversion: '0.3' }) },
        {
          key: poisonKey,
          value: JSON.stringify({ ...validEnvelope, data: { ...validEnvelope.data, quantity: -1 } }),
        },
      ],
    });
    await producer.disconnect();
    const failing = (await source.placeOrderCommitted({ paymentChannel: 'always-fails' })).orderId;
    const healthy = (await source.placeOrderCommitted()).orderId;

    const dead = await dlq.waitFor(() => true, 4, 60000);
    await dlq.stop();
    const reasons = dead.map((m) => m.headers.dlq_reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^value is not JSON/),
        expect.stringMatching(/^invalid envelope: specversion/),
        expect.stringMatching(/^invalid order\.placed\.v1 payload: quantity/),
        expect.stringMatching(/^handler failed after 5 attempts: simulated handler bug/),
      ]),
    );
    const notJson = dead.find((m) => m.headers.dlq_reason?.startsWith('value is not JSON'))!;
    expect(notJson.value).toBe('{not json');
    expect(notJson.headers['x-test']).toBe('kept');
    expect(notJson.headers.dlq_original_topic).toBe(Topics.orders);
    expect(dead.find((m) => m.key === failing)!.headers.dlq_attempts).toBe('5');

    await downstreamDone(healthy);
    expect(await count('effects', failing)).toBe(0);

    // The log says so too, as a JSON line carrying the trace id of the failed handling.
    const logged = sink.output
      .split('\n')
      .find((line) => line.includes('dead-lettering') && line.includes('simulated handler bug'));
    expect(JSON.parse(logged!)).toMatchObject({
      level: 50,
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });

    // Operators see the same on /metrics.
    const metrics = await (await fetch(`${sink.url}/metrics`)).text();
    const sample = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
    expect(sample(/keyflow_dlq_messages_total\{[^}]*reason="invalid"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(
      3,
    );
    expect(
      sample(/keyflow_dlq_messages_total\{[^}]*reason="handler-failed"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(/keyflow_kafka_messages_total\{[^}]*outcome="handled"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
  });

  it('has exactly one effect when killed -9 after its database commit but before the offset commit', async () => {
    await sink.stop();
    await startSink('consumer.after-commit-before-offset');
    const orderId = (await source.placeOrderCommitted()).orderId;
    expect(await sink.exited()).toBe('SIGKILL');

    await startSink();
    await downstreamDone(orderId);
    const probe = await new TopicProbe([Topics.orders]).start();
    await probe.stop();
    const ends = await probe.endOffsets();
    for (const { partition, offset } of ends[0]!.offsets) {
      if (offset !== '0')
        await waitForCommittedOffset(ordersGroup, Topics.orders, partition, String(BigInt(offset) - 1n));
    }
    expect(await count('effects', orderId)).toBe(1);
    expect(await count('downstream_effects', orderId)).toBe(1);
  });

  it('has exactly one downstream effect when killed -9 after publishing but before marking the outbox row', async () => {
    const probe = await new TopicProbe([Topics.inventory]).start();
    await sink.stop();
    await startSink('relay.after-publish-before-mark');
    const orderId = (await source.placeOrderCommitted()).orderId;
    expect(await sink.exited()).toBe('SIGKILL');

    await startSink();
    await downstreamDone(orderId);
    // The crash really was between publish and mark: the restarted relay published the same event again.
    const copies = await probe.waitFor((m) => m.key === orderId, 2);
    await probe.stop();
    expect(new Set(copies.map((m) => m.headers.ce_id)).size).toBe(1);
    const { partition, offset } = copies[copies.length - 1]!;
    await waitForCommittedOffset(
      consumerGroupFor(sinkService, Topics.inventory),
      Topics.inventory,
      partition,
      offset,
    );
    expect(await count('effects', orderId)).toBe(1);
    expect(await count('downstream_effects', orderId)).toBe(1);
  });
});
