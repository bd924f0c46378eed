import { AsyncLocalStorage } from 'node:async_hooks';

import { trace } from '@opentelemetry/api';
import { type ReadableSpan } from '@opentelemetry/sdk-trace-base';

import { SpanAttributes } from './span-attributes';

/** The order the work running now belongs to, when the work said so (a worker's job, a checkout). */
const currentOrder = new AsyncLocalStorage<string>();

/** Runs `work` as work on `orderId`: every log line written inside it carries `order_id`. */
export function runForOrder<T>(orderId: string, work: () => T): T {
  return currentOrder.run(orderId, work);
}

/**
 * From here on, the current work (e.g. an HTTP request that has just learnt its order) is work on `orderId`.
 * Called by tagOrder, for work that learns its order part-way.
 */
export function continueForOrder(orderId: string): void {
  currentOrder.enterWith(orderId);
}

/**
 * The order of the work running now, for `order_id` on log lines: the one named by {@link runForOrder} or
 * {@link continueForOrder} (the shared mechanisms call them: inOrderTrace for workers and callbacks, tagOrder
 * for checkouts), else the order of the active span (`order.id`: a Kafka consumer span, a worker's span in the
 * order's trace). No log call names it by hand.
 */
export function currentOrderId(): string | undefined {
  const named = currentOrder.getStore();
  if (named) return named;
  const own = (trace.getActiveSpan() as Partial<ReadableSpan> | undefined)?.attributes?.[
    SpanAttributes.orderId
  ];
  return typeof own === 'string' ? own : undefined;
}
