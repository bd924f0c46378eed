import { type Context, trace } from '@opentelemetry/api';
import { type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

import { continueForOrder } from './order-log-context';
import { SpanAttributes } from './span-attributes';

/** Traces whose order is known in this process (trace id → order id), oldest dropped first. */
const ordersByTrace = new Map<string, string>();
const REMEMBERED_TRACES = 10000;

function remember(traceId: string, orderId: string): void {
  ordersByTrace.delete(traceId);
  ordersByTrace.set(traceId, orderId);
  if (ordersByTrace.size > REMEMBERED_TRACES) ordersByTrace.delete(ordersByTrace.keys().next().value!);
}

/**
 * Names the order the current work belongs to: `order.id` on the active span, and on every other span of
 * this trace in this process that has not ended yet (the incoming request's span, Postgres and HTTP client
 * spans), through {@link OrderSpanProcessor}. For work that learns its order id only part-way, such as a
 * checkout, which makes the id.
 */
export function tagOrder(orderId: string): void {
  continueForOrder(orderId); // and on the log lines of the rest of this work
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute(SpanAttributes.orderId, orderId);
  remember(span.spanContext().traceId, orderId);
}

/**
 * The stage of an order each service works on, for `order.stage`: Jaeger's tag search then finds an order's
 * spans of one stage (`order.stage=delivery`), and the trace view shows which stage a slow span belongs to.
 */
export const STAGE_OF_SERVICE: Readonly<Record<string, string>> = {
  orders: 'order',
  'payment-callback': 'payment',
  'risk-control': 'risk',
  inventory: 'inventory',
  delivery: 'delivery',
  notification: 'notification',
};

/**
 * Puts `order.id` (and this service's `order.stage`) on every span of an order's trace, so a search by tag finds the Postgres queries and
 * supplier calls of an order too, not only the spans the pipeline makes itself. A span started with
 * `order.id` (a Kafka consumer or producer span, a worker's span in the order's trace) names the order of
 * its trace; spans of that trace started later get it at start, spans already running get it as they end.
 */
export class OrderSpanProcessor implements SpanProcessor {
  /** `stage`: the stage this service works on (see {@link STAGE_OF_SERVICE}); none, no `order.stage`. */
  constructor(private readonly stage?: string) {}

  onStart(span: Span, parentContext: Context): void {
    const traceId = span.spanContext().traceId;
    const own = span.attributes[SpanAttributes.orderId];
    if (typeof own === 'string') {
      remember(traceId, own);
      this.stageOf(span);
      return;
    }
    const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
    const inherited = parent?.attributes?.[SpanAttributes.orderId] ?? ordersByTrace.get(traceId);
    if (typeof inherited === 'string') {
      span.setAttribute(SpanAttributes.orderId, inherited);
      this.stageOf(span);
    }
  }

  /** Called while the span can still take attributes (the SDK's hook before it ends). */
  onEnding(span: Span): void {
    const traceId = span.spanContext().traceId;
    const own = span.attributes[SpanAttributes.orderId];
    if (typeof own === 'string') {
      remember(traceId, own);
      this.stageOf(span);
      return;
    }
    const known = ordersByTrace.get(traceId);
    if (known) {
      span.setAttribute(SpanAttributes.orderId, known);
      this.stageOf(span);
    }
  }

  private stageOf(span: Span): void {
    if (this.stage && span.attributes[SpanAttributes.orderStage] === undefined)
      span.setAttribute(SpanAttributes.orderStage, this.stage);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
