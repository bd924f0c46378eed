import { proxyTarget } from './proxy-routes';

describe('proxy routes', () => {
  it('given an operator API path, then it maps to the owning service', () => {
    expect(proxyTarget('delivery', 'v1/deliveries/abc/redeliver')).toEqual({
      service: 'delivery',
      path: 'v1/deliveries/abc/redeliver',
    });
    expect(proxyTarget('orders', 'v1/orders')).toEqual({ service: 'orders', path: 'v1/orders' });
    expect(proxyTarget('orders', 'v1/dashboard/overview')).toMatchObject({ service: 'orders' });
    expect(proxyTarget('risk', 'v1/risk/reviews/x/approve')).toMatchObject({ service: 'risk' });
  });

  it('given an unknown service, then it is refused', () => {
    expect(proxyTarget('payments', 'v1/x')).toEqual({ refused: 'unknown service "payments"' });
  });

  it('given paths outside the allow-list or climbing out of it, then they are refused', () => {
    for (const path of [
      'metrics',
      'health/ready',
      'v1/admin/read-models/rebuild',
      'v1/ordersX',
      'v1/orders/../admin/read-models/rebuild',
      'v1/orders/%2e%2e%2fadmin',
      'v1/orders%2F..%2Fadmin',
      'v1/orders\\..\\admin',
    ]) {
      expect(proxyTarget('orders', path)).toHaveProperty('refused');
    }
  });
});
