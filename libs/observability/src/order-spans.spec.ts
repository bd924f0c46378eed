import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

import { OrderSpanProcessor, tagOrder } from './order-spans';

describe('OrderSpanProcessor', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new OrderSpanProcessor('delivery'), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('spec');
  const attributesOf = (name: string) => exporter.getFinishedSpans().find((s) => s.name === name)!.attributes;

  beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());
  beforeEach(() => exporter.reset());

  it('given a consumer span naming its order, then its children (e.g. Postgres) carry the order id and stage', () => {
    const consumer = tracer.startSpan('delivery.v1 process', { attributes: { 'order.id': 'order-1' } });
    const child = tracer.startSpan('pg.query', {}, trace.setSpan(context.active(), consumer));
    child.end();
    consumer.end();
    expect(attributesOf('pg.query')).toMatchObject({ 'order.id': 'order-1', 'order.stage': 'delivery' });
    expect(attributesOf('delivery.v1 process')).toMatchObject({ 'order.stage': 'delivery' });
  });

  it('given a request span that learns its order part-way (checkout), then it carries the order id when it ends', () => {
    const request = tracer.startSpan('POST /v1/orders');
    const ctx = trace.setSpan(context.active(), request);
    const early = tracer.startSpan('pg.query early', {}, ctx); // before the order id is known
    context.with(ctx, () => tagOrder('order-2'));
    early.end();
    request.end();
    expect(attributesOf('POST /v1/orders')).toMatchObject({ 'order.id': 'order-2' });
    expect(attributesOf('pg.query early')).toMatchObject({ 'order.id': 'order-2' });
  });

  it('given a span of no order, then it gets neither attribute', () => {
    tracer.startSpan('GET /health/ready').end();
    expect(attributesOf('GET /health/ready')['order.id']).toBeUndefined();
    expect(attributesOf('GET /health/ready')['order.stage']).toBeUndefined();
  });
});
