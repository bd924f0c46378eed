import { createHmac } from 'node:crypto';

import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = Buffer.from('whsec_test_0123456789');
const body = JSON.stringify({ orderId: 'o-1', late: false });

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const expected = createHmac('sha256', secret).update(`1714543320.${body}`).digest('hex');
    expect(signWebhook(body, secret, 1714543320)).toBe(`t=1714543320,v1=${expected}`);
  });

  it('verifies, and refuses a changed body, another secret, or an old timestamp', () => {
    const header = signWebhook(body, secret, 1000);
    expect(verifyWebhookSignature(header, body, secret, 1010)).toBe(true);
    expect(verifyWebhookSignature(header, body.replace('false', 'true'), secret, 1010)).toBe(false);
    expect(verifyWebhookSignature(header, body, Buffer.from('another-secret-xxxx'), 1010)).toBe(false);
    expect(verifyWebhookSignature(header, body, secret, 1000 + 301)).toBe(false);
    expect(verifyWebhookSignature('t=1000,v1=zz', body, secret, 1000)).toBe(false);
  });
});
