import { traceUrlTemplate } from './trace-link';

describe('trace link', () => {
  it('given Zipkin (what npm start runs), then it searches by the order.id tag', () => {
    expect(traceUrlTemplate('http://127.0.0.1:9411/zipkin/', undefined)).toBe(
      'http://127.0.0.1:9411/zipkin/?annotationQuery=order.id%3D{orderId}&lookback=86400000&limit=10',
    );
  });

  it('given Jaeger, then it searches the orders service by tag', () => {
    expect(traceUrlTemplate('http://jaeger:16686', undefined)).toContain('/search?service=orders');
  });

  it('given an explicit template, then it is used, and one without {orderId} is refused', () => {
    expect(traceUrlTemplate('http://x', 'https://t/{orderId}')).toBe('https://t/{orderId}');
    expect(() => traceUrlTemplate(undefined, 'https://t/')).toThrow(/\{orderId\}/);
  });

  it('given nothing configured, then there is no link rather than a broken one', () => {
    expect(traceUrlTemplate(undefined, undefined)).toBeUndefined();
  });
});
