import { type Amount } from '../domain/money';
import { type ProviderKind } from '../domain/provider-kind';

export interface CreatePaymentRequest {
  provider: ProviderKind;
  orderId: string;
  outTradeNo: string;
  amount: Amount;
  notifyUrl: string;
  expiresAt: string;
}

export interface CreatedPayment {
  providerPaymentId: string;
  cashierUrl: string;
}

export type ProviderPaymentStatus =
  | { status: 'pending' | 'closed' | 'not-found' }
  | { status: 'paid'; providerTradeNo: string; amount: Amount; paidAt?: string };

export interface RefundRequest {
  provider: ProviderKind;
  outTradeNo: string;
  amount: Amount;
  /** The same key for every attempt of one refund: the provider refunds at most once per key. */
  idempotencyKey: string;
  reason: string;
}

/** The outside payment provider's API (create, query, refund). Never called inside a transaction. */
export abstract class PaymentProviderPort {
  abstract create(request: CreatePaymentRequest): Promise<CreatedPayment>;
  abstract query(provider: ProviderKind, outTradeNo: string): Promise<ProviderPaymentStatus>;
  abstract refund(request: RefundRequest): Promise<{ providerRefundId: string }>;
}

/** UNAVAILABLE is worth retrying (timeouts, 5xx); REFUSED is the provider saying no (4xx). */
export class ProviderCallError extends Error {
  constructor(
    readonly code: 'PROVIDER.UNAVAILABLE' | 'PROVIDER.REFUSED',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}
