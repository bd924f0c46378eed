import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import {
  type PaymentConfirmationSource,
  PaymentConfirmed,
  type PaymentConfirmedV1,
  PaymentRejected,
  type PaymentRejectedV1,
} from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';

import { decidePayment, type PaymentDecision, type ReportedPayment } from '../../domain/payment-intent';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';

export type RecordPaymentOutcome = { kind: 'unknown-order' } | (PaymentDecision & { intent: IntentRow });

export function paymentStreamOf(orderId: string): string {
  return `payment-${orderId}`;
}

/**
 * Applies a payment the provider reports (callback or active query) to the order's intent, inside the
 * caller's transaction: the intent row is locked first, so concurrent duplicates queue and then see it
 * paid; the state change and PaymentConfirmed/PaymentRejected commit together.
 */
@Injectable()
export class RecordPaymentHandler {
  private readonly logger = new Logger('RecordPayment');

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly events: EventStore,
  ) {}

  async handle(
    manager: EntityManager,
    orderId: string,
    payment: ReportedPayment,
    confirmedBy: PaymentConfirmationSource,
  ): Promise<RecordPaymentOutcome> {
    const intent = await this.intents.lock(manager, orderId);
    if (!intent) return { kind: 'unknown-order' };
    const decision = decidePayment(intent, payment, new Date());
    switch (decision.kind) {
      case 'confirm':
        await this.confirm(manager, intent, payment, decision.paidAt, confirmedBy);
        break;
      case 'reject':
        if (decision.emit) await this.reject(manager, intent, `${decision.code}: ${decision.reason}`);
        break;
      case 'paid-twice':
        this.logger.error(
          `order ${orderId} was paid twice (${payment.provider} ${payment.providerTradeNo}); refund it by hand`,
        );
        break;
      case 'duplicate':
        break;
      default: {
        const _exhaustive: never = decision;
        return _exhaustive;
      }
    }
    return { ...decision, intent };
  }

  private async confirm(
    manager: EntityManager,
    intent: IntentRow,
    payment: ReportedPayment,
    paidAt: string,
    confirmedBy: PaymentConfirmationSource,
  ): Promise<void> {
    await this.intents.markPaid(manager, intent.orderId, {
      providerTradeNo: payment.providerTradeNo,
      paidAt,
      confirmedBy,
    });
    const data: PaymentConfirmedV1 = {
      orderId: intent.orderId,
      paymentId: intent.paymentId,
      provider: intent.provider,
      providerTradeNo: payment.providerTradeNo,
      amount: payment.amount,
      paidAt,
      confirmedBy,
    };
    await this.events.append(manager, paymentStreamOf(intent.orderId), 'any', [
      {
        type: PaymentConfirmed.type,
        topic: PaymentConfirmed.topic,
        subject: intent.orderId,
        data: { ...data },
      },
    ]);
  }

  async reject(manager: EntityManager, intent: Pick<IntentRow, 'orderId' | 'paymentId'>, reason: string) {
    await this.intents.markRejected(manager, intent.orderId, reason);
    const data: PaymentRejectedV1 = {
      orderId: intent.orderId,
      paymentId: intent.paymentId,
      reason: reason.slice(0, 500),
    };
    await this.events.append(manager, paymentStreamOf(intent.orderId), 'any', [
      {
        type: PaymentRejected.type,
        topic: PaymentRejected.topic,
        subject: intent.orderId,
        data: { ...data },
      },
    ]);
  }
}
