import { createDecipheriv, type KeyObject } from 'node:crypto';

import { CallbackVerificationError, malformed } from './callback-verification.errors';
import {
  assertFresh,
  nonNegativeInteger,
  objectField,
  parseJsonObject,
  requiredString,
  rsaSha256Valid,
} from './crypto-checks';
import { type VerifiedNotification } from './verified-notification';

export interface WechatVerificationKeys {
  platformPublicKey: KeyObject;
  /** The merchant's APIv3 key: 32 bytes, the AES-256-GCM key of the notification resource. */
  apiV3Key: Buffer;
  /** When set, only notifications naming this platform certificate serial are accepted. */
  platformSerial?: string;
  /** When set, a transaction for another merchant (mchid) or app (appid) is refused. */
  mchId?: string;
  appId?: string;
}

export interface WechatSignatureHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

const TOLERANCE_SECONDS = 300;
const GCM_TAG_BYTES = 16;

/**
 * Verifies a WeChat Pay v3 notification: the platform's RSA-SHA256 signature over
 * `${timestamp}\n${nonce}\n${body}\n`, a fresh timestamp, then decrypts `resource` (AEAD_AES_256_GCM
 * with the APIv3 key; the tag is the ciphertext's last 16 bytes) and reads the transaction.
 */
export function verifyWechatNotification(
  headers: WechatSignatureHeaders,
  body: string,
  keys: WechatVerificationKeys,
  now: Date,
): VerifiedNotification {
  const { timestamp, nonce, signature, serial } = headers;
  if (!timestamp || !nonce || !signature || !serial) throw malformed('Wechatpay-* headers are missing');
  if (!/^[0-9]{1,12}$/.test(timestamp) || nonce.length > 64)
    throw malformed('Wechatpay-Timestamp/Nonce is malformed');
  if (keys.platformSerial !== undefined && serial !== keys.platformSerial) {
    throw new CallbackVerificationError('CALLBACK.BAD_SIGNATURE', 'unknown platform certificate serial');
  }
  if (!rsaSha256Valid(`${timestamp}\n${nonce}\n${body}\n`, signature, keys.platformPublicKey)) {
    throw new CallbackVerificationError('CALLBACK.BAD_SIGNATURE', 'platform signature does not verify');
  }
  assertFresh(Number(timestamp), now, TOLERANCE_SECONDS);
  const resource = objectField(parseJsonObject(body, 'body'), 'resource');
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    throw malformed('resource.algorithm must be AEAD_AES_256_GCM');
  const transaction = parseJsonObject(decrypt(resource, keys.apiV3Key), 'decrypted resource');
  // A genuine notification for another of the platform's merchants or apps is not a payment to us.
  if (
    (keys.mchId !== undefined && transaction.mchid !== keys.mchId) ||
    (keys.appId !== undefined && transaction.appid !== keys.appId)
  ) {
    throw new CallbackVerificationError('CALLBACK.WRONG_MERCHANT', 'mchid or appid is not ours');
  }
  const orderRef = requiredString(transaction, 'out_trade_no');
  const state = requiredString(transaction, 'trade_state', 32);
  if (state !== 'SUCCESS') return { kind: 'other', provider: 'wechat', orderRef, status: state };
  const amount = objectField(transaction, 'amount');
  const currency = requiredString(amount, 'currency', 3);
  const successTime = transaction.success_time;
  return {
    kind: 'paid',
    provider: 'wechat',
    orderRef,
    providerTradeNo: requiredString(transaction, 'transaction_id'),
    amount: { amountMinor: nonNegativeInteger(amount, 'total'), currency },
    ...(typeof successTime === 'string' && !Number.isNaN(Date.parse(successTime))
      ? { paidAt: new Date(successTime).toISOString() }
      : {}),
  };
}

function decrypt(resource: Record<string, unknown>, key: Buffer): string {
  const ciphertext = Buffer.from(requiredString(resource, 'ciphertext', 65_536), 'base64');
  const nonce = Buffer.from(requiredString(resource, 'nonce', 64), 'utf8');
  const associatedData = typeof resource.associated_data === 'string' ? resource.associated_data : '';
  if (ciphertext.length <= GCM_TAG_BYTES) throw malformed('resource.ciphertext is too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - GCM_TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - GCM_TAG_BYTES)),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    throw new CallbackVerificationError(
      'CALLBACK.UNDECRYPTABLE',
      'resource does not decrypt with our APIv3 key',
    );
  }
}
