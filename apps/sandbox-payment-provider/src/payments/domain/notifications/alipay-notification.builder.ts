import { randomBytes, sign, type KeyObject } from 'node:crypto';

import { type SandboxPayment, type SignedNotification } from '../sandbox-payment';

export interface AlipayMerchant {
  appId: string;
  sellerId: string;
}

/**
 * An Alipay asynchronous notification: form-urlencoded parameters, RSA2 (SHA256withRSA) signature over
 * the parameters other than sign/sign_type with a value, sorted by name, joined as `k=v&...`.
 */
export function alipayNotification(
  payment: SandboxPayment,
  tradeStatus: 'TRADE_SUCCESS' | 'WAIT_BUYER_PAY',
  merchant: AlipayMerchant,
  privateKey: KeyObject,
  now: Date,
): SignedNotification {
  const params: Record<string, string> = {
    notify_time: beijingTime(now),
    notify_type: 'trade_status_sync',
    notify_id: randomBytes(16).toString('hex'),
    app_id: merchant.appId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: payment.transactionId ?? '',
    out_trade_no: payment.outTradeNo,
    seller_id: merchant.sellerId,
    trade_status: tradeStatus,
    total_amount: yuan(payment.amountMinor),
    receipt_amount: yuan(payment.amountMinor),
    gmt_create: beijingTime(new Date(payment.createdAt)),
    subject: `Keyflow order ${payment.orderId.slice(0, 8)}`,
    ...(payment.paidAt ? { gmt_payment: beijingTime(new Date(payment.paidAt)) } : {}),
  };
  const content = Object.keys(params)
    .filter((key) => params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  const signature = sign('sha256', Buffer.from(content, 'utf8'), privateKey).toString('base64');
  const body = new URLSearchParams({ ...params, sign_type: 'RSA2', sign: signature }).toString();
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
    acknowledged: (status, text) => status >= 200 && status < 300 && text.trim() === 'success',
  };
}

export function yuan(amountMinor: number): string {
  return `${Math.floor(amountMinor / 100)}.${String(amountMinor % 100).padStart(2, '0')}`;
}

/** "yyyy-MM-dd HH:mm:ss" in Beijing time (UTC+8), as Alipay writes times. */
function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
