import { type SandboxPayment, type SandboxRefund } from '../domain/sandbox-payment';

/** Stripe API objects as Stripe writes them (the fields Keyflow's client reads, and a few around them). */
export function paymentIntentObject(payment: SandboxPayment) {
  const succeeded = payment.status === 'paid' || payment.status === 'refunded';
  return {
    id: payment.paymentId,
    object: 'payment_intent',
    amount: payment.amountMinor,
    amount_received: succeeded ? payment.amountMinor : 0,
    currency: payment.currency.toLowerCase(),
    status: succeeded ? 'succeeded' : payment.status === 'closed' ? 'canceled' : 'requires_payment_method',
    created: unix(payment.createdAt),
    livemode: false,
    metadata: { order_id: payment.orderId, out_trade_no: payment.outTradeNo },
  };
}

export function checkoutSessionObject(payment: SandboxPayment, url: string) {
  const paid = payment.status === 'paid' || payment.status === 'refunded';
  return {
    id: `cs_test_${payment.paymentId.slice(3)}`,
    object: 'checkout.session',
    mode: 'payment',
    url,
    client_reference_id: payment.outTradeNo,
    payment_intent: payment.paymentId,
    amount_total: payment.amountMinor,
    currency: payment.currency.toLowerCase(),
    status: paid ? 'complete' : payment.status === 'closed' ? 'expired' : 'open',
    payment_status: paid ? 'paid' : 'unpaid',
    expires_at: unix(payment.expiresAt),
    livemode: false,
    metadata: { order_id: payment.orderId, out_trade_no: payment.outTradeNo },
  };
}

export function refundObject(payment: SandboxPayment, refund: SandboxRefund) {
  return {
    id: refund.refundId,
    object: 'refund',
    amount: refund.amountMinor,
    currency: payment.currency.toLowerCase(),
    payment_intent: payment.paymentId,
    status: 'succeeded',
    created: unix(refund.refundedAt),
  };
}

function unix(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
