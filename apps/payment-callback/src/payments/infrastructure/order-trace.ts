import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

import { restoreTraceContext, type TraceCarrier } from '@keyflow/messaging';
import { SpanAttributes } from '@keyflow/observability';

const tracer = trace.getTracer('payment-callback');

/**
 * Runs `work` in a span whose parent is the order's stored trace context (captured when OrderPlaced was
 * consumed), so a provider callback or a worker's step shows up in the order's one trace. The span that
 * was active before (e.g. the incoming HTTP request) is kept as a link.
 */
export async function inOrderTrace<T>(
  name: string,
  orderId: string,
  stored: TraceCarrier,
  work: () => Promise<T>,
): Promise<T> {
  const current = trace.getSpanContext(context.active());
  const parent = restoreTraceContext(stored);
  const span = tracer.startSpan(
    name,
    {
      kind: SpanKind.INTERNAL,
      attributes: { [SpanAttributes.orderId]: orderId },
      links: current ? [{ context: current }] : [],
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
