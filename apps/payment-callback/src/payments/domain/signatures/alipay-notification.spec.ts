import { verifyAlipayNotification } from './alipay-notification';
import { CallbackVerificationError } from './callback-verification.errors';
import { alipayBody, providerKey, strangerKey } from '../../../../test/support/signature-test-keys';

const keys = { publicKey: providerKey.publicKey, appId: 'APP1', sellerId: 'SELLER1', currency: 'CNY' };
const params = {
  app_id: 'APP1',
  seller_id: 'SELLER1',
  out_trade_no: '3f1c2a8e000040008000000000000001',
  trade_no: '2030010122001',
  trade_status: 'TRADE_SUCCESS',
  total_amount: '50.00',
  gmt_payment: '2030-01-01 08:10:00',
  subject: 'a b&c=d 中文',
};

describe('verifyAlipayNotification', () => {
  it('accepts a genuine TRADE_SUCCESS and reads the amount exactly', () => {
    expect(verifyAlipayNotification(alipayBody(params), keys)).toEqual({
      kind: 'paid',
      provider: 'alipay',
      orderRef: params.out_trade_no,
      providerTradeNo: '2030010122001',
      amount: { amountMinor: 5000, currency: 'CNY' },
      paidAt: '2030-01-01T00:10:00.000Z',
    });
  });

  it('reads a genuine non-success status as "other"', () => {
    expect(
      verifyAlipayNotification(alipayBody({ ...params, trade_status: 'WAIT_BUYER_PAY' }), keys),
    ).toMatchObject({ kind: 'other' });
  });

  it.each<[string, () => string, string]>([
    ['signed by someone else', () => alipayBody(params, strangerKey.privateKey), 'CALLBACK.BAD_SIGNATURE'],
    [
      'amount tampered after signing',
      () => alipayBody(params).replace('total_amount=50.00', 'total_amount=0.01'),
      'CALLBACK.BAD_SIGNATURE',
    ],
    ['a parameter added after signing', () => `${alipayBody(params)}&refund_fee=1`, 'CALLBACK.BAD_SIGNATURE'],
    ['sign removed', () => alipayBody(params).replace(/&?sign=[^&]*/, ''), 'CALLBACK.MALFORMED'],
    [
      'sign_type RSA (SHA1)',
      () => alipayBody(params).replace('sign_type=RSA2', 'sign_type=RSA'),
      'CALLBACK.MALFORMED',
    ],
    ['a duplicated parameter', () => `${alipayBody(params)}&total_amount=0.01`, 'CALLBACK.MALFORMED'],
    [
      'another merchant (genuinely signed)',
      () => alipayBody({ ...params, seller_id: 'OTHER' }),
      'CALLBACK.WRONG_MERCHANT',
    ],
    [
      'another app (genuinely signed)',
      () => alipayBody({ ...params, app_id: 'OTHER' }),
      'CALLBACK.WRONG_MERCHANT',
    ],
    [
      'a malformed amount (genuinely signed)',
      () => alipayBody({ ...params, total_amount: '50.001' }),
      'CALLBACK.MALFORMED',
    ],
    ['an empty body', () => '', 'CALLBACK.MALFORMED'],
  ])('refuses %s', (_name, body, code) => {
    expect(() => verifyAlipayNotification(body(), keys)).toThrow(
      expect.objectContaining({ code }) as unknown as Error,
    );
    expect(() => verifyAlipayNotification(body(), keys)).toThrow(CallbackVerificationError);
  });
});
