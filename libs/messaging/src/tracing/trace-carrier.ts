import { context, propagation, type Context } from '@opentelemetry/api';

/** W3C trace context as stored with an event and sent in Kafka headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

export function captureTraceContext(from: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  const captured: TraceCarrier = {};
  if (carrier.traceparent) captured.traceparent = carrier.traceparent;
  if (carrier.tracestate) captured.tracestate = carrier.tracestate;
  return captured;
}

export function restoreTraceContext(carrier: TraceCarrier, base: Context = context.active()): Context {
  return propagation.extract(base, carrier);
}
