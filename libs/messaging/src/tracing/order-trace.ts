import { context, type Attributes, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

import { runForOrder, SpanAttributes } from '@keyflow/observability';

import { restoreTraceContext, type TraceCarrier } from './trace-carrier';

const tracer = trace.getTracer('keyflow-order-trace');

/**
 * Runs `work` in a span whose parent is the order's stored trace context (captured while the event that
 * started the work was handled), so work a worker picks up later — a provider callback, a supplier
 * purchase, an email — shows up in the order's one trace. The span that was active before (e.g. the
 * incoming HTTP request, or none for a worker's poll) is kept as a link.
 */
export async function inOrderTrace<T>(
  name: string,
  orderId: string,
  stored: TraceCarrier,
  work: () => Promise<T>,
  attributes: Attributes = {},
): Promise<T> {
  const current = trace.getSpanContext(context.active());
  const parent = restoreTraceContext(stored);
  const span = tracer.startSpan(
    name,
    {
      kind: SpanKind.INTERNAL,
      attributes: { ...attributes, [SpanAttributes.orderId]: orderId },
      links: current ? [{ context: current }] : [],
    },
    parent,
  );
  // runForOrder: every log line of the work carries order_id, with or without tracing switched on.
  return runForOrder(orderId, () =>
    context.with(trace.setSpan(parent, span), async () => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    }),
  );
}
