import { context, type Context, SpanKind, trace, type Span } from '@opentelemetry/api';
import { type IHeaders, type KafkaMessage } from 'kafkajs';

import { type EventEnvelope, KafkaHeaders } from '@keyflow/contracts';
import { SpanAttributes } from '@keyflow/observability';

import { restoreTraceContext } from '../tracing/trace-carrier';

const tracer = trace.getTracer('@keyflow/messaging');

export interface ConsumerSpan {
  span: Span;
  /** The context to run the handler in: the span, as a child of the producer's (from `traceparent`). */
  context: Context;
}

/** One CONSUMER span per handled message, so each order's trace continues across the hop. */
export function startConsumerSpan(
  where: { topic: string; groupId: string; partition: number },
  message: KafkaMessage,
  envelope: EventEnvelope<object>,
): ConsumerSpan {
  const parent = restoreTraceContext(traceCarrierOf(message.headers), context.active());
  const span = tracer.startSpan(
    `${where.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': where.topic,
        'messaging.consumer.group.name': where.groupId,
        'messaging.destination.partition.id': String(where.partition),
        'messaging.kafka.offset': Number(message.offset),
        'messaging.message.id': envelope.id,
        [SpanAttributes.orderId]: envelope.subject,
        [SpanAttributes.eventType]: envelope.type,
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

function traceCarrierOf(headers: IHeaders | undefined): { traceparent?: string; tracestate?: string } {
  const read = (name: string) => {
    const value = headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const carrier: { traceparent?: string; tracestate?: string } = {};
  const traceparent = read(KafkaHeaders.traceparent);
  const tracestate = read(KafkaHeaders.tracestate);
  if (traceparent) carrier.traceparent = traceparent;
  if (tracestate) carrier.tracestate = tracestate;
  return carrier;
}

export function errorReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
  }
  return typeof error === 'object' ? JSON.stringify(error) : String(error);
}
