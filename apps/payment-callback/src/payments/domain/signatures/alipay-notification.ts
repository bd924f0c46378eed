import { type KeyObject } from 'node:crypto';

import { parseDecimalAmount } from '../money';
import { CallbackVerificationError, malformed } from './callback-verification.errors';
import { rsaSha256Valid } from './crypto-checks';
import { type VerifiedNotification } from './verified-notification';

export interface AlipayVerificationKeys {
  /** Alipay's public key (not ours): only Alipay can produce a signature it accepts. */
  publicKey: KeyObject;
  appId: string;
  sellerId: string;
  /** The currency the merchant settles through Alipay (ALIPAY_CURRENCY, CNY unless configured). */
  currency: string;
}

const PAID_STATUSES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * Verifies an Alipay asynchronous notification (form-urlencoded body) and reads it. Order of checks:
 * parse → RSA2 signature over the sorted `k=v&...` string (sign and sign_type excluded, empty values
 * skipped, values URL-decoded) → our app_id and seller_id → fields. Nothing is trusted before the signature.
 */
export function verifyAlipayNotification(body: string, keys: AlipayVerificationKeys): VerifiedNotification {
  const params = parseForm(body);
  const sign = params.get('sign');
  if (!sign) throw malformed('sign is missing');
  if (params.get('sign_type') !== 'RSA2') throw malformed('sign_type must be RSA2');
  // Alipay documents the content without sign_type; its SDK's checkNotifySign also accepts it signed in.
  if (
    !rsaSha256Valid(alipaySignContent(params), sign, keys.publicKey) &&
    !rsaSha256Valid(alipaySignContent(params, true), sign, keys.publicKey)
  ) {
    throw new CallbackVerificationError('CALLBACK.BAD_SIGNATURE', 'RSA2 signature does not verify');
  }
  if (params.get('app_id') !== keys.appId || params.get('seller_id') !== keys.sellerId) {
    throw new CallbackVerificationError('CALLBACK.WRONG_MERCHANT', 'app_id or seller_id is not ours');
  }
  const orderRef = required(params, 'out_trade_no');
  const status = required(params, 'trade_status');
  if (!PAID_STATUSES.has(status)) return { kind: 'other', provider: 'alipay', orderRef, status };
  const paidAt = params.get('gmt_payment');
  return {
    kind: 'paid',
    provider: 'alipay',
    orderRef,
    providerTradeNo: required(params, 'trade_no'),
    // total_amount is in the merchant's currency, in major units; which currency is configuration.
    amount: { amountMinor: parseDecimalAmount(required(params, 'total_amount')), currency: keys.currency },
    ...(paidAt ? { paidAt: beijingTimeToIso(paidAt) } : {}),
  };
}

/** The string Alipay signs: every parameter but sign/sign_type with a value, sorted by name. */
export function alipaySignContent(params: ReadonlyMap<string, string>, withSignType = false): string {
  return [...params.entries()]
    .filter(([key, value]) => key !== 'sign' && (withSignType || key !== 'sign_type') && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function parseForm(body: string): Map<string, string> {
  if (body.length === 0 || body.length > 16_384) throw malformed('body is empty or too large');
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(body)) {
    // A repeated name would let the signed value and the value we read differ.
    if (params.has(key)) throw malformed(`parameter ${key.slice(0, 40)} appears twice`);
    params.set(key, value);
  }
  return params;
}

function required(params: ReadonlyMap<string, string>, name: string): string {
  const value = params.get(name);
  if (!value || value.length > 128) throw malformed(`${name} is missing`);
  return value;
}

/** Alipay times are "yyyy-MM-dd HH:mm:ss" in Beijing time (UTC+8). */
function beijingTimeToIso(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  const date = match ? new Date(`${match[1]}T${match[2]}+08:00`) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw malformed('gmt_payment is not a time');
  return date.toISOString();
}
