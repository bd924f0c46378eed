/** Attribute names the pipeline puts on its spans, so Jaeger's tag search finds an order and its stage. */
export const SpanAttributes = {
  orderId: 'order.id',
  orderStage: 'order.stage',
  eventType: 'event.type',
  eventId: 'event.id',
} as const;
