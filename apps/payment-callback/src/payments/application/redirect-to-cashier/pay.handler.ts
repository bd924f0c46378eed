import { Inject, Injectable } from '@nestjs/common';

import { type PayLinkFacts, PayLinkError, verifyPayLink } from '@keyflow/contracts';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { paymentIdOf } from '../../domain/out-trade-no';
import { providerKindOf } from '../../domain/provider-kind';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import {
  CREATION_LEASE_SECONDS,
  CreateAtProviderHandler,
} from '../create-at-provider/create-at-provider.handler';
import { cashier, type PayAnswer, refused, retryLater } from './pay-answer';

/**
 * The buyer follows the pay URL. With the signed pay link from checkout, the first touch opens the intent
 * (the same row OrderPlaced opens later; whichever comes first wins, `ON CONFLICT DO NOTHING`) already
 * claimed for creation, and creates the payment at the provider in this request: one round trip from
 * checkout to the cashier. Without a usable link, the intent OrderPlaced opened answers as before.
 */
@Injectable()
export class PayHandler {
  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly creator: CreateAtProviderHandler,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async pay(orderId: string, token: string | undefined): Promise<PayAnswer> {
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
