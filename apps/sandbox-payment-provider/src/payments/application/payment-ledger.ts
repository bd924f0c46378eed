import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import {
  type Flavor,
  type SandboxPayment,
  SandboxError,
  type SandboxRefund,
} from '../domain/sandbox-payment';

export interface CreatePayment {
  outTradeNo: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  notifyUrl: string;
  expiresAt: string;
}

/** The provider's books, in memory: a sandbox stands in for an outside system and may forget on restart. */
@Injectable()
export class PaymentLedger {
  private readonly byId = new Map<string, SandboxPayment>();
  private readonly byTradeNo = new Map<string, SandboxPayment>();

  /** Idempotent on (flavor, out_trade_no), like real providers: the same order gets the same payment. */
  create(flavor: Flavor, request: CreatePayment, now: Date): SandboxPayment {
    const existing = this.byTradeNo.get(`${flavor}:${request.outTradeNo}`);
    if (existing) {
      if (existing.amountMinor !== request.amountMinor || existing.currency !== request.currency) {
        throw new SandboxError('SANDBOX.CONFLICT', 'out_trade_no already used with another amount');
      }
      return existing;
    }
    const payment: SandboxPayment = {
      ...request,
      paymentId: `${flavor === 'stripe' ? 'pi' : flavor}_${randomBytes(12).toString('hex')}`,
      flavor,
      createdAt: now.toISOString(),
      status: 'pending',
      refunds: [],
    };
    this.byId.set(payment.paymentId, payment);
    this.byTradeNo.set(`${flavor}:${request.outTradeNo}`, payment);
    return payment;
  }

  get(paymentId: string): SandboxPayment {
    const payment = this.byId.get(paymentId);
    if (!payment) throw new SandboxError('SANDBOX.NOT_FOUND', `no payment ${paymentId}`);
    return payment;
  }

  find(flavor: Flavor, outTradeNo: string): SandboxPayment {
    const payment = this.byTradeNo.get(`${flavor}:${outTradeNo}`);
    if (!payment) throw new SandboxError('SANDBOX.NOT_FOUND', `no ${flavor} payment for ${outTradeNo}`);
    return payment;
  }

  /** The buyer pays at the cashier. Paying twice is refused, as a real cashier would. */
  pay(paymentId: string, now: Date): SandboxPayment {
    const payment = this.get(paymentId);
    if (payment.status !== 'pending')
      throw new SandboxError('SANDBOX.CONFLICT', `payment is ${payment.status}`);
    if (Date.parse(payment.expiresAt) <= now.getTime()) {
      payment.status = 'closed';
      throw new SandboxError('SANDBOX.CONFLICT', 'payment expired');
    }
    payment.status = 'paid';
    payment.paidAt = now.toISOString();
    payment.transactionId = transactionIdFor(payment, now);
    return payment;
  }

  /** Idempotent by key: the same key returns the first refund and never refunds again. */
  refund(
    flavor: Flavor,
    outTradeNo: string,
    idempotencyKey: string,
    amountMinor: number,
    now: Date,
  ): SandboxRefund {
    const payment = this.find(flavor, outTradeNo);
    const earlier = payment.refunds.find((refund) => refund.idempotencyKey === idempotencyKey);
    if (earlier) return earlier;
    if (payment.status !== 'paid') throw new SandboxError('SANDBOX.CONFLICT', `payment is ${payment.status}`);
    const refunded = payment.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);
    if (amountMinor < 1 || refunded + amountMinor > payment.amountMinor) {
      throw new SandboxError('SANDBOX.INVALID', 'refund exceeds the paid amount');
    }
    const refund = {
      refundId: `re_${randomBytes(12).toString('hex')}`,
      idempotencyKey,
      amountMinor,
      refundedAt: now.toISOString(),
    };
    payment.refunds.push(refund);
    if (refunded + amountMinor === payment.amountMinor) payment.status = 'refunded';
    return refund;
  }
}

function transactionIdFor(payment: SandboxPayment, now: Date): string {
  const digits = () => String(randomBytes(6).readUIntBE(0, 6)).padStart(15, '0');
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  if (payment.flavor === 'alipay') return `${day}2200${digits()}`;
  if (payment.flavor === 'wechat') return `4200${day}${digits()}`;
  return payment.paymentId;
}
