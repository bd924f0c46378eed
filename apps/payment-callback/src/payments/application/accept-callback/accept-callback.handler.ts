import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { inOrderTrace } from '@keyflow/messaging';

import { type ProviderKind } from '../../domain/provider-kind';
import { orderIdOfOutTradeNo } from '../../domain/out-trade-no';
import { CallbackVerificationError } from '../../domain/signatures/callback-verification.errors';
import {
  type PaidNotification,
  type VerifiedNotification,
} from '../../domain/signatures/verified-notification';
import {
  CallbackLogRepository,
  type CallbackVerdict,
  type ReceivedCallback,
} from '../../infrastructure/callback-log.repository';
import { isTradeNoTaken, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { firstForbiddenControl, hasControls } from '../../infrastructure/stored-callback-text';
import { RecordPaymentHandler, type RecordPaymentOutcome } from '../confirm-payment/record-payment.handler';
import { TradeNoReuseAlert } from './trade-no-reuse.alert';

/** What to answer the provider: `ack` means "stop sending this" (success word / 2xx). */
export interface CallbackResult {
  ack: boolean;
  verdict: CallbackVerdict;
  status: number;
  code?: string;
  reason?: string;
}

/**
 * One provider callback: verify first (nothing is read before the signature checks out), then, in the
 * order's trace, one transaction with the intent's state change, its event and the callback's record.
 * The answer is computed from the committed outcome, so "success" is only ever said after the commit.
 */
@Injectable()
export class AcceptCallbackHandler {
  private readonly logger = new Logger('AcceptCallback');

  constructor(
    private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentRepository,
    private readonly recordPayment: RecordPaymentHandler,
    private readonly log: CallbackLogRepository,
    private readonly tradeNoReuse: TradeNoReuseAlert,
  ) {}

  async accept(callback: ReceivedCallback, verify: () => VerifiedNotification): Promise<CallbackResult> {
    // No JSON or form body carries a raw control byte; one that does is refused before any parsing.
    const control = callback.raw && firstForbiddenControl(callback.raw);
    if (control !== undefined) {
      const name = control === 0 ? 'a NUL byte' : `control byte 0x${control.toString(16).padStart(2, '0')}`;
      return this.refuse(callback, {
        status: 400,
        code: 'CALLBACK.MALFORMED',
        reason: `the body holds ${name}`,
      });
    }
    let notification: VerifiedNotification;
    try {
      notification = verify();
    } catch (error) {
      if (!(error instanceof CallbackVerificationError)) throw error;
      const status = error.code === 'CALLBACK.MALFORMED' ? 400 : 401;
      return this.refuse(callback, { status, code: error.code, reason: error.message });
    }
    // Signed is not sane: an escaped NUL decodes to a character no transaction id holds.
    if (
      hasControls(notification.orderRef ?? '') ||
      (notification.kind === 'paid' && hasControls(notification.providerTradeNo))
    ) {
      return this.refuse(callback, {
        status: 400,
        code: 'CALLBACK.MALFORMED',
        reason: 'the transaction id or order reference holds control characters',
      });
    }
    if (notification.kind === 'other') {
      const orderId = notification.orderRef ? orderIdOfOutTradeNo(notification.orderRef) : undefined;
      await this.log.record(callback, {
        verdict: 'ignored',
        reason: `status ${notification.status}`,
        ...(orderId ? { orderId } : {}),
      });
      return { ack: true, verdict: 'ignored', status: 200 };
    }
    const orderId = orderIdOfOutTradeNo(notification.orderRef);
    const unknownOrder = {
      status: 404,
      code: 'PAYMENT.UNKNOWN_ORDER',
      reason: 'no payment intent for this order',
    };
    if (!orderId) return this.refuse(callback, unknownOrder);
    try {
      // The intent is read on the transaction that records the payment (not in one of its own before it: a
      // commit per callback saved); its stored trace context puts the recording in the order's trace.
      const result = await this.dataSource.transaction(async (manager) => {
        const intent = await this.intents.find(orderId, manager);
        if (!intent) return undefined;
        return inOrderTrace(`payment callback ${callback.provider}`, orderId, intent.traceContext, () =>
          this.record(manager, callback, orderId, notification),
        );
      });
      return result ?? (await this.refuse(callback, unknownOrder));
    } catch (error) {
      // The unique violation aborted that transaction: the refusal is recorded in a new one.
      if (!isTradeNoTaken(error)) throw error;
      return this.refuseReusedTradeNo(callback, orderId, notification);
    }
  }

  private async record(
    manager: EntityManager,
    callback: ReceivedCallback,
    orderId: string,
    notification: PaidNotification,
  ): Promise<CallbackResult> {
    const outcome = await this.recordPayment.handle(manager, orderId, paymentOf(notification), 'callback');
    const result = resultOf(outcome);
    await this.log.record(
      callback,
      {
        verdict: result.verdict,
        ...(result.reason ? { reason: result.reason } : {}),
        orderId,
        providerTradeNo: notification.providerTradeNo,
      },
      manager,
    );
    if (result.verdict === 'rejected')
      this.logger.warn(`${callback.provider} callback for order ${orderId} rejected: ${result.reason}`);
    return result;
  }

  /**
   * A genuine notification whose transaction id already paid another order: the provider or our records
   * are wrong, and money may have moved twice. Nothing changes on either order; the refusal is logged and
   * raised for a person (once per order and transaction, however often the provider retries).
   */
  private async refuseReusedTradeNo(
    callback: ReceivedCallback,
    orderId: string,
    notification: PaidNotification,
  ): Promise<CallbackResult> {
    const code = 'PAYMENT.TRADE_NO_REUSED';
    return this.dataSource.transaction(async (manager) => {
      const provider = notification.provider as ProviderKind;
      const tradeNo = notification.providerTradeNo;
      const paidOrder = await this.intents.orderPaidBy(manager, provider, tradeNo);
      const reason = `transaction ${tradeNo} already paid order ${paidOrder ?? '(unknown)'}`;
      const alerted = await this.log.refusedBefore(manager, orderId, tradeNo, code);
      await this.log.record(
        callback,
        { verdict: 'rejected', reason: `${code}: ${reason}`, orderId, providerTradeNo: tradeNo },
        manager,
      );
      if (!alerted) await this.tradeNoReuse.raise(manager, { orderId, provider, tradeNo, paidOrder });
      this.logger.error(`${callback.provider} callback for order ${orderId} refused: ${code}: ${reason}`);
      return { ack: false, verdict: 'rejected' as const, status: 409, code, reason: `${code}: ${reason}` };
    });
  }

  private async refuse(
    callback: ReceivedCallback,
    refusal: { status: number; code: string; reason: string },
  ): Promise<CallbackResult> {
    const reason = `${refusal.code}: ${refusal.reason}`;
    this.logger.warn(`${callback.provider} callback rejected: ${reason}`);
    await this.log.record(callback, { verdict: 'rejected', reason });
    return { ack: false, verdict: 'rejected', ...refusal };
  }
}

function paymentOf(notification: PaidNotification) {
  return {
    provider: notification.provider as ProviderKind,
    providerTradeNo: notification.providerTradeNo,
    amount: notification.amount,
    ...(notification.paidAt ? { paidAt: notification.paidAt } : {}),
  };
}

function resultOf(outcome: RecordPaymentOutcome): CallbackResult {
  switch (outcome.kind) {
    case 'confirm':
      return { ack: true, verdict: 'accepted', status: 200 };
    case 'duplicate':
      return { ack: true, verdict: 'duplicate', status: 200 };
    case 'paid-twice':
      // Acknowledged so the provider stops retrying; the second payment is logged for a manual refund.
      return {
        ack: true,
        verdict: 'rejected',
        status: 200,
        code: 'PAYMENT.PAID_TWICE',
        reason: 'PAYMENT.PAID_TWICE: order already paid by another transaction',
      };
    case 'reject':
      return {
        ack: false,
        verdict: 'rejected',
        status: 422,
        code: outcome.code,
        reason: `${outcome.code}: ${outcome.reason}`,
      };
    case 'unknown-order':
      return {
        ack: false,
        verdict: 'rejected',
        status: 404,
        code: 'PAYMENT.UNKNOWN_ORDER',
        reason: 'PAYMENT.UNKNOWN_ORDER: no payment intent',
      };
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}
