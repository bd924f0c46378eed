export const FLAVORS = ['alipay', 'wechat', 'stripe'] as const;
export type Flavor = (typeof FLAVORS)[number];

export type SandboxPaymentStatus = 'pending' | 'paid' | 'refunded' | 'closed';

export interface SandboxRefund {
  refundId: string;
  idempotencyKey: string;
  amountMinor: number;
  refundedAt: string;
}

/** One payment as the provider keeps it: created by the merchant, paid by the buyer, maybe refunded. */
export interface SandboxPayment {
  paymentId: string;
  flavor: Flavor;
  outTradeNo: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  notifyUrl: string;
  expiresAt: string;
  createdAt: string;
  status: SandboxPaymentStatus;
  transactionId?: string;
  paidAt?: string;
  refunds: SandboxRefund[];
}

/** A signed HTTP request the provider sends to the merchant's notify URL. */
export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
  /** Whether a response means "received": Alipay wants the body `success`, the others any 2xx. */
  acknowledged(status: number, body: string): boolean;
}

export class SandboxError extends Error {
  constructor(
    readonly code: 'SANDBOX.NOT_FOUND' | 'SANDBOX.CONFLICT' | 'SANDBOX.INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
