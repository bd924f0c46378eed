import { CallbackVerificationError } from './callback-verification.errors';
import { stripeSignature, webhookSecret } from '../../../../test/support/signature-test-keys';
import { verifyStripeEvent } from './stripe-event';

const now = new Date('2030-01-01T00:00:00.000Z');
const t = now.getTime() / 1000;
const body = JSON.stringify({
  id: 'evt_1',
  type: 'payment_intent.succeeded',
  created: t - 5,
  data: {
    object: {
      id: 'pi_1',
      amount: 1999,
      currency: 'usd',
      metadata: { order_id: '3f1c2a8e-0000-4000-8000-000000000001' },
    },
  },
});

describe('verifyStripeEvent', () => {
  it('accepts a genuine payment_intent.succeeded', () => {
    expect(verifyStripeEvent(stripeSignature(body, t), body, webhookSecret, now)).toMatchObject({
      kind: 'paid',
      providerTradeNo: 'pi_1',
      amount: { amountMinor: 1999, currency: 'USD' },
      orderRef: '3f1c2a8e-0000-4000-8000-000000000001',
    });
  });

  it('accepts when any of several v1 signatures matches (secret rolling)', () => {
    const header = `${stripeSignature(body, t)},v1=${'0'.repeat(64)}`.replace(
      /^t=(\d+),(v1=\w+),(v1=\w+)$/,
      't=$1,$3,$2',
    );
    expect(verifyStripeEvent(header, body, webhookSecret, now).kind).toBe('paid');
  });

  it.each<[string, () => [string | undefined, string], string]>([
    [
      'another secret',
      () => [stripeSignature(body, t, Buffer.from('whsec_other_secret_000000')), body],
      'CALLBACK.BAD_SIGNATURE',
    ],
    [
      'a tampered amount',
      () => [stripeSignature(body, t), body.replace('1999', '1')],
      'CALLBACK.BAD_SIGNATURE',
    ],
    [
      'a timestamp swapped after signing',
      () => [stripeSignature(body, t).replace(`t=${t}`, `t=${t + 1}`), body],
      'CALLBACK.BAD_SIGNATURE',
    ],
    ['a signature 6 minutes old', () => [stripeSignature(body, t - 360), body], 'CALLBACK.STALE_TIMESTAMP'],
    [
      'a signature 6 minutes in the future',
      () => [stripeSignature(body, t + 360), body],
      'CALLBACK.STALE_TIMESTAMP',
    ],
    ['no header', () => [undefined, body], 'CALLBACK.MALFORMED'],
    ['only a v0 signature', () => [`t=${t},v0=${'a'.repeat(64)}`, body], 'CALLBACK.MALFORMED'],
    ['a signed body that is not JSON', () => [stripeSignature('nope', t), 'nope'], 'CALLBACK.MALFORMED'],
  ])('refuses %s', (_name, request, code) => {
    const [header, raw] = request();
    expect(() => verifyStripeEvent(header, raw, webhookSecret, now)).toThrow(
      expect.objectContaining({ code }) as unknown as Error,
    );
    expect(() => verifyStripeEvent(header, raw, webhookSecret, now)).toThrow(CallbackVerificationError);
  });
});
