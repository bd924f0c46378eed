/**
 * The link from an order to its trace: an explicit template with `{orderId}` wins; otherwise one is made
 * for the trace UI given (Zipkin searches by tag with annotationQuery, Jaeger by tags on a service).
 */
export function traceUrlTemplate(
  traceUi: string | undefined,
  template: string | undefined,
): string | undefined {
  if (template) {
    if (!template.includes('{orderId}')) throw new Error('CONSOLE_TRACE_URL_TEMPLATE must contain {orderId}');
    return template;
  }
  if (!traceUi) return undefined;
  const base = traceUi.replace(/\/+$/, '');
  if (/zipkin/i.test(base)) return `${base}/?annotationQuery=order.id%3D{orderId}&lookback=86400000&limit=10`;
  return `${base}/search?service=orders&lookback=2d&tags=%7B%22order.id%22%3A%22{orderId}%22%7D`;
}
