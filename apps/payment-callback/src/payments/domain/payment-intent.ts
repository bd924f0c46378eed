import { type Amount, sameAmount } from './money';
import { type ProviderKind } from './provider-kind';

export const INTENT_STATUSES = [
  'pending-creation',
  'awaiting-payment',
  'paid',
  'rejected',
  'expired',
] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

/** What the decision needs to know about an order's payment intent. */
export interface PaymentIntentState {
  orderId: string;
  paymentId: string;
  provider: ProviderKind;
  expected: Amount;
  expiresAt: string;
  status: IntentStatus;
  providerTradeNo: string | null;
}

/** A payment the provider reports as done: from a verified callback or from our active query. */
export interface ReportedPayment {
  provider: ProviderKind;
  providerTradeNo: string;
  amount: Amount;
  paidAt?: string;
}

export type RejectionCode =
  | 'PAYMENT.PROVIDER_MISMATCH'
  | 'PAYMENT.AMOUNT_MISMATCH'
  | 'PAYMENT.INTENT_EXPIRED'
  | 'PAYMENT.ALREADY_REJECTED';

export type PaymentDecision =
  | { kind: 'confirm'; paidAt: string }
  /** The same provider transaction again (a replayed or duplicated callback): nothing changes. */
  | { kind: 'duplicate' }
  /** A second, different transaction for an order already paid: money to hand back by a person. */
  | { kind: 'paid-twice' }
  /** `emit` is false when the intent was already rejected: one PaymentRejected per intent is enough. */
  | { kind: 'reject'; code: RejectionCode; reason: string; emit: boolean };

/**
 * Decides what a reported payment means for an intent. Pure: the time comes in as `now`. The payment
 * time (as signed by the provider) decides expiry, so a payment made in time but reported late counts.
 */
export function decidePayment(
  intent: PaymentIntentState,
  payment: ReportedPayment,
  now: Date,
): PaymentDecision {
  if (intent.status === 'paid') {
    return payment.providerTradeNo === intent.providerTradeNo && payment.provider === intent.provider
      ? { kind: 'duplicate' }
      : { kind: 'paid-twice' };
  }
  if (intent.status === 'rejected') {
    return {
      kind: 'reject',
      code: 'PAYMENT.ALREADY_REJECTED',
      reason: 'the payment intent was rejected before',
      emit: false,
    };
  }
  if (payment.provider !== intent.provider) {
    return reject(
      'PAYMENT.PROVIDER_MISMATCH',
      `paid through ${payment.provider}, expected ${intent.provider}`,
    );
  }
  if (!sameAmount(payment.amount, intent.expected)) {
    return reject(
      'PAYMENT.AMOUNT_MISMATCH',
      `paid ${payment.amount.amountMinor} ${payment.amount.currency}, expected ${intent.expected.amountMinor} ${intent.expected.currency}`,
    );
  }
  const paidAt = payment.paidAt ?? now.toISOString();
  if (Date.parse(paidAt) > Date.parse(intent.expiresAt)) {
    return reject(
      'PAYMENT.INTENT_EXPIRED',
      `paid at ${paidAt}, after the intent expired at ${intent.expiresAt}`,
    );
  }
  return { kind: 'confirm', paidAt };
}

function reject(code: RejectionCode, reason: string): PaymentDecision {
  return { kind: 'reject', code, reason, emit: true };
}
