import { type IncomingMessage } from 'node:http';

import { isCheckout } from './checkout-front-door';

const request = (method: string, url: string) => ({ method, url }) as IncomingMessage;

describe('the checkout front door', () => {
  it('counts POST /v1/orders only, with or without a query string or trailing slash', () => {
    expect(isCheckout(request('POST', '/v1/orders'))).toBe(true);
    expect(isCheckout(request('POST', '/v1/orders/?x=1'))).toBe(true);
    expect(isCheckout(request('GET', '/v1/orders'))).toBe(false);
    expect(isCheckout(request('POST', '/v1/orders/abc/refund'))).toBe(false);
    expect(isCheckout(request('POST', '/v1/ordersx'))).toBe(false);
  });
});
