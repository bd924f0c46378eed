import { Module } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';

import { causingEvent } from '@keyflow/messaging';
import { currentOrderId } from '@keyflow/observability';

/**
 * JSON logs (pino) on stdout, every line with the trace and span ids of the work it belongs to and the order
 * it handles (`order_id`: the Kafka event's subject, a worker job's order, the order of the request's trace;
 * see currentOrderId) — so a log line leads to the trace and back, and `grep order_id` finds an order.
 * Authorization headers and cookies are redacted; card keys never reach a log call in the first place.
 */
@Module({
  imports: [
    LoggerModule.forRoot({
      pinoHttp: {
        level: process.env.LOG_LEVEL ?? 'info',
        autoLogging: { ignore: (request) => /^\/(health|metrics)/.test(request.url ?? '') },
        redact: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          'req.headers["x-order-token"]',
        ],
        serializers: {
          // The query string may hold a buyer's access token (?token=); keep the path only.
          req: (request: { method?: string; url?: string; id?: unknown }) => ({
            id: request.id,
            method: request.method,
            path: (request.url ?? '').split('?')[0],
          }),
        },
        mixin: () => {
          const span = trace.getActiveSpan()?.spanContext();
          const event = causingEvent();
          const orderId = event?.subject ?? currentOrderId();
          return {
            ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
            ...(orderId ? { order_id: orderId } : {}),
            ...(event ? { event_type: event.type } : {}),
          };
        },
      },
    }),
  ],
})
export class LoggingModule {}
