import { AlipaySdk } from 'alipay-sdk';

import { alipayBody, providerKey, strangerKey } from '../../../../test/support/signature-test-keys';
import { verifyAlipayNotification } from './alipay-notification';

/**
 * Cross-check against Alipay's own code (alipay-sdk): a notification signed by the SDK's signer is
 * accepted and a tampered one refused, and the SDK's checkNotifySignV2 agrees with our verdicts on the
 * notifications the sandbox and our tests sign.
 */
const pem = (key: typeof providerKey.privateKey) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = providerKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const keys = {
  publicKey: providerKey.publicKey,
  appId: '2021000000000042',
  sellerId: '2088000000000042',
  currency: 'CNY',
};
const notification = {
  notify_type: 'trade_status_sync',
  notify_id: 'ac05099524730693a8b330c5ecf72da9786',
  seller_id: keys.sellerId,
  out_trade_no: '6823789339978248',
  trade_no: '2013112011001004330000121536',
  trade_status: 'TRADE_SUCCESS',
  total_amount: '20.00',
  subject: '当面付交易',
};
/** The SDK holding Alipay's side of the key pair, so what it signs is what Alipay would send. */
const signer = (privateKey = providerKey.privateKey) =>
  new AlipaySdk({
    appId: keys.appId,
    privateKey: pem(privateKey),
    keyType: 'PKCS8',
    alipayPublicKey: publicPem,
  });
/** The SDK as a merchant holds it, checking notifications with Alipay's public key. */
const checker = signer();
const asObject = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('Alipay notifications, cross-checked against alipay-sdk', () => {
  it('accepts a notification signed by alipay-sdk’s signer', () => {
    const body = signer().sdkExecute('alipay.trade.status.sync', notification);
    expect(verifyAlipayNotification(body, keys)).toEqual({
      kind: 'paid',
      provider: 'alipay',
      orderRef: '6823789339978248',
      providerTradeNo: '2013112011001004330000121536',
      amount: { amountMinor: 2000, currency: 'CNY' },
    });
  });

  it.each([
    ['its amount changed', (body: string) => body.replace('total_amount=20.00', 'total_amount=0.01')],
    ['its order changed', (body: string) => body.replace('6823789339978248', '6823789339978249')],
  ])('refuses an alipay-sdk-signed notification when %s', (_name, tamper) => {
    const body = tamper(signer().sdkExecute('alipay.trade.status.sync', notification));
    expect(() => verifyAlipayNotification(body, keys)).toThrow(
      expect.objectContaining({ code: 'CALLBACK.BAD_SIGNATURE' }) as unknown as Error,
    );
    expect(checker.checkNotifySignV2(asObject(body))).toBe(false);
  });

  it('refuses one the SDK signed with a key that is not Alipay’s', () => {
    const body = signer(strangerKey.privateKey).sdkExecute('alipay.trade.status.sync', notification);
    expect(() => verifyAlipayNotification(body, keys)).toThrow(
      expect.objectContaining({ code: 'CALLBACK.BAD_SIGNATURE' }) as unknown as Error,
    );
  });

  it('signs notifications (documented form: sign_type left out) that the SDK’s checkNotifySignV2 accepts', () => {
    const body = alipayBody({ ...notification, app_id: keys.appId });
    expect(checker.checkNotifySignV2(asObject(body))).toBe(true);
    expect(verifyAlipayNotification(body, keys).kind).toBe('paid');
  });
});
