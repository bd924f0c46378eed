import Stripe from 'stripe';

import { verifyStripeEvent } from './stripe-event';

/** Cross-check against Stripe's own code: headers made by the SDK's test signer, as Stripe's docs advise. */
const secret = 'whsec_cross_check_0123456789abcdef';
const orderId = '3f1c2a8e-0000-4000-8000-0000000000aa';
const payload = JSON.stringify({
  id: 'evt_test_webhook',
  object: 'event',
  type: 'payment_intent.succeeded',
  data: {
    object: {
      id: 'pi_test_1',
      object: 'payment_intent',
      amount: 4200,
      currency: 'eur',
      metadata: { order_id: orderId },
    },
  },
});
const header = (body = payload, signWith = secret) =>
  Stripe.webhooks.generateTestHeaderString({ payload: body, secret: signWith });

describe('Stripe webhooks, checked against events signed by stripe.webhooks.generateTestHeaderString', () => {
  it('accepts the SDK-signed event and reads the payment from it', () => {
    expect(verifyStripeEvent(header(), payload, Buffer.from(secret), new Date())).toEqual({
      kind: 'paid',
      provider: 'stripe',
      orderRef: orderId,
      providerTradeNo: 'pi_test_1',
      amount: { amountMinor: 4200, currency: 'EUR' },
    });
  });

  it.each([
    ['the amount changed after signing', () => [header(), payload.replace('4200', '1')]],
    [
      'the order changed after signing',
      () => [header(), payload.replace(orderId, orderId.replace('aa', 'bb'))],
    ],
    ['signed with another endpoint’s secret', () => [header(payload, 'whsec_someone_else_000000'), payload]],
  ])('refuses an event when %s', (_name, make) => {
    const [signature, body] = make() as [string, string];
    expect(() => verifyStripeEvent(signature, body, Buffer.from(secret), new Date())).toThrow(
      expect.objectContaining({ code: 'CALLBACK.BAD_SIGNATURE' }) as unknown as Error,
    );
  });

  it('refuses an SDK-signed event replayed after the 5-minute window', () => {
    const timestamp = Math.floor(Date.now() / 1000) - 301;
    const old = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    expect(() => verifyStripeEvent(old, payload, Buffer.from(secret), new Date())).toThrow(
      expect.objectContaining({ code: 'CALLBACK.STALE_TIMESTAMP' }) as unknown as Error,
    );
  });
});
