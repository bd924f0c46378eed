import { createCipheriv, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';

import { type SandboxPayment, type SignedNotification } from '../sandbox-payment';

export interface WechatMerchant {
  mchId: string;
  appId: string;
  serial: string;
}

/**
 * A WeChat Pay v3 payment notification: the transaction encrypted with AEAD_AES_256_GCM under the
 * merchant's APIv3 key (tag appended to the ciphertext), and the platform's RSA-SHA256 signature over
 * `${timestamp}\n${nonce}\n${body}\n` in the Wechatpay-* headers.
 */
export function wechatNotification(
  payment: SandboxPayment,
  merchant: WechatMerchant,
  keys: { platformPrivateKey: KeyObject; apiV3Key: Buffer },
  now: Date,
): SignedNotification {
  const transaction = {
    mchid: merchant.mchId,
    appid: merchant.appId,
    out_trade_no: payment.outTradeNo,
    transaction_id: payment.transactionId,
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: payment.paidAt,
    payer: { openid: 'sandbox-buyer' },
    amount: {
      total: payment.amountMinor,
      payer_total: payment.amountMinor,
      currency: payment.currency,
      payer_currency: payment.currency,
    },
  };
  const nonce = randomBytes(6).toString('hex');
  const associatedData = 'transaction';
  const cipher = createCipheriv('aes-256-gcm', keys.apiV3Key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([
    cipher.update(JSON.stringify(transaction), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const body = JSON.stringify({
    id: randomUUID(),
    create_time: now.toISOString(),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encrypted.toString('base64'),
      associated_data: associatedData,
      nonce,
    },
  });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  const signature = sign(
    'sha256',
    Buffer.from(`${timestamp}\n${headerNonce}\n${body}\n`, 'utf8'),
    keys.platformPrivateKey,
  );
  return {
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': headerNonce,
      'wechatpay-signature': signature.toString('base64'),
      'wechatpay-serial': merchant.serial,
    },
    body,
    acknowledged: (status) => status >= 200 && status < 300,
  };
}
