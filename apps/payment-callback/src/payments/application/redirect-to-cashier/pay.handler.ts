import { Inject, Injectable, Logger } from '@nestjs/common';

import { type PayLinkFacts, PayLinkError, verifyPayLink } from '@keyflow/contracts';
import { isDatabaseFailure } from '@keyflow/service-kit';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { paymentIdOf } from '../../domain/out-trade-no';
import { providerKindOf } from '../../domain/provider-kind';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import {
  CREATION_LEASE_SECONDS,
  CreateAtProviderHandler,
} from '../create-at-provider/create-at-provider.handler';
import { cashier, type PayAnswer, refused, retryLater } from './pay-answer';

/** A database hiccup (a deadlock, a pool at its limit) passes in a moment; an outage is retried again. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The buyer follows the pay URL. With the signed pay link from checkout, the first touch opens the intent
 * (the same row OrderPlaced opens later; whichever comes first wins, `ON CONFLICT DO NOTHING`) already
 * claimed for creation, and creates the payment at the provider in this request: one round trip from
 * checkout to the cashier. Without a usable link, the intent OrderPlaced opened answers as before.
 */
@Injectable()
export class PayHandler {
  private readonly logger = new Logger(PayHandler.name);

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly creator: CreateAtProviderHandler,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  /**
   * A database that cannot answer just now (an outage, an exhausted pool, a deadlock) is not the buyer's
   * fault and passes: the buyer is told to come back (503 + Retry-After), never given a bare 500. Whatever
   * the failed attempt did is safe to repeat (the intent opens idempotently, the creation lease expires).
   */
  async pay(orderId: string, token: string | undefined): Promise<PayAnswer> {
    try {
      return await this.answer(orderId, token);
    } catch (error) {
      if (!isDatabaseFailure(error)) throw error;
      this.logger.warn(
        `pay URL of ${orderId}: database unavailable, buyer told to retry: ${(error as Error).message}`,
      );
      return retryLater(
        'PAYMENT.TEMPORARILY_UNAVAILABLE',
        'payments cannot be opened just now; retry shortly',
        DATABASE_RETRY_AFTER_SECONDS,
      );
    }
  }

  private async answer(orderId: string, token: string | undefined): Promise<PayAnswer> {
    const link = token ? await this.check(orderId, token) : undefined;
    if (link && !(link instanceof PayLinkError)) {
      const opened = await this.openClaimed(link);
      if (typeof opened !== 'boolean') return opened;
    }
    const intent = await this.intents.find(orderId);
    if (intent) return this.answerFor(intent);
    if (link instanceof PayLinkError) return refusalOf(link);
    return refused(404, 'PAYMENT.UNKNOWN_ORDER', 'no payment for this order');
  }

  private async check(orderId: string, token: string): Promise<PayLinkFacts | PayLinkError> {
    try {
      return await verifyPayLink(token, this.config.payLinkPublicKey, { orderId });
    } catch (error) {
      if (error instanceof PayLinkError) return error;
      throw error;
    }
  }

  /** Opens the intent claimed for creation and creates it now; false when the order already has one. */
  private async openClaimed(link: PayLinkFacts): Promise<PayAnswer | false> {
    const provider = providerKindOf(link.paymentChannel);
    if (!provider || !this.config[provider]) {
      // OrderPlaced records the rejection (PaymentRejected); the link itself opens nothing.
      return refused(
        422,
        'PAYMENT.CHANNEL_NOT_CONFIGURED',
        `payment channel "${link.paymentChannel}" is not available`,
      );
    }
    const claimed = await this.intents.insertClaimed(
      {
        orderId: link.orderId,
        paymentId: paymentIdOf(link.orderId),
        provider,
        amountMinor: link.amount.amountMinor,
        currency: link.amount.currency,
        expiresAt: link.expiresAt,
        traceContext: link.traceContext,
      },
      CREATION_LEASE_SECONDS,
    );
    return claimed ? this.createNow(claimed) : false;
  }

  private async answerFor(intent: IntentRow): Promise<PayAnswer> {
    if (intent.status === 'paid') return refused(409, 'PAYMENT.ALREADY_PAID', 'this order is already paid');
    if (intent.status === 'rejected') {
      return refused(409, 'PAYMENT.REJECTED', intent.rejectionReason ?? 'the payment was rejected');
    }
    if (intent.status === 'expired' || Date.parse(intent.expiresAt) <= Date.now()) {
      return refused(410, 'PAYMENT.EXPIRED', `the payment window closed at ${intent.expiresAt}`);
    }
    if (intent.status === 'awaiting-payment' && intent.cashierUrl) return cashier(intent.cashierUrl);
    // Opened by OrderPlaced and not created yet, or its last attempt failed and is due again: this request
    // takes it unless the worker, another request or another replica holds it right now.
    const claimed = await this.intents.claimOne(intent.orderId, CREATION_LEASE_SECONDS);
    if (claimed) return this.createNow(claimed);
    return retryLater('PAYMENT.BEING_CREATED', 'the payment is being created at the provider; retry shortly');
  }

  private async createNow(intent: IntentRow): Promise<PayAnswer> {
    const outcome = await this.creator.create(intent);
    return 'cashierUrl' in outcome
      ? cashier(outcome.cashierUrl)
      : retryLater('PAYMENT.PROVIDER_UNAVAILABLE', 'the payment provider did not answer; retry shortly');
  }
}

function refusalOf(error: PayLinkError): PayAnswer {
  switch (error.code) {
    case 'PAY_LINK.EXPIRED':
      return refused(410, 'PAYMENT.EXPIRED', error.message);
    case 'PAY_LINK.INVALID':
    case 'PAY_LINK.OTHER_ORDER':
      return refused(403, 'PAYMENT.INVALID_PAY_LINK', error.message);
    default: {
      const _exhaustive: never = error.code;
      return _exhaustive;
    }
  }
}
