import fc from 'fast-check';

import { verifyAlipayNotification } from './alipay-notification';
import { CallbackVerificationError } from './callback-verification.errors';
import { apiV3Key, providerKey, webhookSecret } from '../../../../test/support/signature-test-keys';
import { verifyStripeEvent } from './stripe-event';
import { verifyWechatNotification } from './wechat-notification';

const now = new Date('2030-01-01T00:00:00.000Z');
const ts = now.getTime() / 1000;

/** Never accepted, and never any error but the typed one: what an attacker can send cannot crash us. */
function refusedWithTypedError(verify: () => unknown): boolean {
  try {
    verify();
    return false;
  } catch (error) {
    return error instanceof CallbackVerificationError;
  }
}

const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc
    .dictionary(
      fc.constantFrom(
        'sign',
        'sign_type',
        'app_id',
        'seller_id',
        'out_trade_no',
        'trade_status',
        'total_amount',
        'trade_no',
      ),
      fc.string({ maxLength: 40 }),
    )
    .map((params) => new URLSearchParams({ sign_type: 'RSA2', ...params }).toString()),
);
const signature = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.base64String({ maxLength: 400 }),
  fc.stringMatching(/^[0-9a-f]{64}$/),
);

describe('callback verification under random input (fast-check)', () => {
  it('alipay: random bodies are refused with CallbackVerificationError', () => {
    fc.assert(
      fc.property(body, signature, (raw, sign) =>
        refusedWithTypedError(() =>
          verifyAlipayNotification(`${raw}&sign=${encodeURIComponent(sign)}`, {
            publicKey: providerKey.publicKey,
            appId: 'A',
            sellerId: 'S',
            currency: 'CNY',
          }),
        ),
      ),
    );
  });

  it('wechat: random bodies and signatures are refused with CallbackVerificationError', () => {
    fc.assert(
      fc.property(body, signature, fc.string({ maxLength: 40 }), (raw, sig, nonce) =>
        refusedWithTypedError(() =>
          verifyWechatNotification(
            { timestamp: String(ts), nonce, signature: sig, serial: 'S' },
            raw,
            { platformPublicKey: providerKey.publicKey, apiV3Key },
            now,
          ),
        ),
      ),
    );
  });

  it('stripe: random bodies and signature headers are refused with CallbackVerificationError', () => {
    fc.assert(
      fc.property(body, signature, fc.oneof(fc.constant(ts), fc.integer()), (raw, sig, t) =>
        refusedWithTypedError(() => verifyStripeEvent(`t=${t},v1=${sig}`, raw, webhookSecret, now)),
      ),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), body, (header, raw) =>
        refusedWithTypedError(() => verifyStripeEvent(header, raw, webhookSecret, now)),
      ),
    );
  });
});
