import { createHmac, randomBytes } from 'node:crypto';

import { type SandboxPayment, type SignedNotification } from '../sandbox-payment';

/**
 * A Stripe webhook event about the payment intent, signed like Stripe does:
 * `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "${t}.${body}" with the endpoint secret>`.
 */
export function stripeNotification(
  payment: SandboxPayment,
  type: 'payment_intent.succeeded' | 'payment_intent.processing',
  webhookSecret: Buffer,
  now: Date,
): SignedNotification {
  const created = Math.floor(Date.parse(payment.paidAt ?? payment.createdAt) / 1000);
  const body = JSON.stringify({
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    type,
    created,
    data: {
      object: {
        id: payment.transactionId ?? payment.paymentId,
        object: 'payment_intent',
        amount: payment.amountMinor,
        currency: payment.currency.toLowerCase(),
        status: type === 'payment_intent.succeeded' ? 'succeeded' : 'processing',
        metadata: { order_id: payment.orderId },
      },
    },
  });
  const t = Math.floor(now.getTime() / 1000);
  const v1 = createHmac('sha256', webhookSecret).update(`${t}.${body}`, 'utf8').digest('hex');
  return {
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
    body,
    acknowledged: (status) => status >= 200 && status < 300,
  };
}
