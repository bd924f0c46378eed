import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';

import { providerKey } from '../../../../test/support/signature-test-keys';
import { verifyWechatNotification } from './wechat-notification';

/**
 * Cross-check against wechatpay-axios-plugin's own crypto: a notification encrypted with its AES-256-GCM
 * (AesGcm.encrypt) and signed with its SHA256withRSA over its response format (Formatter.response) is
 * accepted; tampered, or for another merchant or app, refused.
 */
const apiV3Key = Buffer.from('0123456789abcdefghijklmnopqrstuv');
const keys = {
  platformPublicKey: providerKey.publicKey,
  apiV3Key,
  platformSerial: 'PUB_KEY_ID_0000000000000000000000000001',
  mchId: '1900000001',
  appId: 'wxd678efh567hg6787',
};
const transaction = {
  appid: keys.appId,
  mchid: keys.mchId,
  out_trade_no: '1217752501201407033233368018',
  transaction_id: '1217752501201407033233368018',
  trade_state: 'SUCCESS',
  success_time: '2018-06-08T10:34:56+08:00',
  amount: { total: 100, currency: 'CNY' },
};

function notify(content: object = transaction, tamper = (body: string) => body) {
  const nonce = Formatter.nonce(12);
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2015-05-20T13:29:35+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: Aes.AesGcm.encrypt(JSON.stringify(content), apiV3Key, nonce, 'transaction'),
      associated_data: 'transaction',
      nonce,
    },
  });
  const timestamp = String(Formatter.timestamp());
  const headerNonce = Formatter.nonce();
  const signature = Rsa.sign(Formatter.response(timestamp, headerNonce, body), providerKey.privateKey);
  return {
    headers: { timestamp, nonce: headerNonce, signature, serial: keys.platformSerial },
    body: tamper(body),
  };
}

describe('WeChat Pay notifications, cross-checked against wechatpay-axios-plugin', () => {
  it('accepts a notification the SDK encrypted and signed, and reads the transaction', () => {
    const { headers, body } = notify();
    expect(verifyWechatNotification(headers, body, keys, new Date())).toEqual({
      kind: 'paid',
      provider: 'wechat',
      orderRef: transaction.out_trade_no,
      providerTradeNo: transaction.transaction_id,
      amount: { amountMinor: 100, currency: 'CNY' },
      paidAt: '2018-06-08T02:34:56.000Z',
    });
  });

  it('refuses one whose body changed after signing', () => {
    const { headers, body } = notify(transaction, (text) =>
      text.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS '),
    );
    expect(() => verifyWechatNotification(headers, body, keys, new Date())).toThrow(
      expect.objectContaining({ code: 'CALLBACK.BAD_SIGNATURE' }) as unknown as Error,
    );
  });

  it.each([
    ['another merchant (mchid)', { ...transaction, mchid: '1900000002' }],
    ['another app (appid)', { ...transaction, appid: 'wx_someone_else' }],
  ])('refuses a genuine notification for %s', (_name, content) => {
    const { headers, body } = notify(content);
    expect(() => verifyWechatNotification(headers, body, keys, new Date())).toThrow(
      expect.objectContaining({ code: 'CALLBACK.WRONG_MERCHANT' }) as unknown as Error,
    );
  });
});
