import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderPlacedV1, PaymentRejected, type PaymentRejectedV1 } from '@keyflow/contracts';
import { captureTraceContext, EventStore } from '@keyflow/messaging';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { checkOpenedIntent } from '../../domain/opened-intent';
import { paymentIdOf } from '../../domain/out-trade-no';
import { type ProviderKind, providerKindOf } from '../../domain/provider-kind';
import { PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { paymentStreamOf } from '../confirm-payment/record-payment.handler';

/**
 * The creation worker leaves an intent OrderPlaced opened to the buyer's pay URL this long: a buyer who
 * arrives within it creates the payment in their own request (one GET), instead of finding the worker in
 * the middle of it (503, come back). Buyers who never come get their payment created a moment later.
 */
const BUYER_FIRST_SECONDS = 2;

/**
 * Opens the order's payment intent in the consumer's transaction, unless the buyer's pay URL opened it
 * first (then OrderPlaced only checks that both agree). Creating the payment at the provider is an outside
 * call, so it is only recorded here (`pending-creation`) for the pay URL or the creation worker; the
 * consumer span's trace context is stored with the intent so the callback can join the order's trace.
 */
@Injectable()
export class OpenIntentHandler {
  private readonly logger = new Logger('OpenIntent');

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly events: EventStore,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async handle(manager: EntityManager, order: OrderPlacedV1): Promise<void> {
    const provider = providerKindOf(order.paymentChannel);
    if (!provider || !this.config[provider]) {
      const reason = provider
        ? `PAYMENT.CHANNEL_NOT_CONFIGURED: payment channel "${provider}" is not set up`
        : `PAYMENT.UNKNOWN_CHANNEL: payment channel "${order.paymentChannel}" is not one of alipay, wechat, stripe`;
      this.logger.warn(`order ${order.orderId}: ${reason}`);
      await this.reject(manager, order.orderId, reason);
      return;
    }
    const opened = await this.intents.insert(
      manager,
      {
        orderId: order.orderId,
        paymentId: paymentIdOf(order.orderId),
        provider,
        amountMinor: order.total.amountMinor,
        currency: order.total.currency,
        expiresAt: order.expiresAt,
        traceContext: captureTraceContext(),
      },
      BUYER_FIRST_SECONDS,
    );
    if (!opened) await this.checkOpenedByPayLink(manager, order, provider);
  }

  /** The pay URL came first: its intent stands (never reset) unless it disagrees with the order. */
  private async checkOpenedByPayLink(manager: EntityManager, order: OrderPlacedV1, provider: ProviderKind) {
    const intent = await this.intents.lock(manager, order.orderId);
    if (!intent) return;
    const verdict = checkOpenedIntent(intent, { provider, amount: order.total });
    switch (verdict.kind) {
      case 'agrees':
      case 'closed':
        return;
      case 'reject':
        this.logger.error(`order ${order.orderId}: ${verdict.reason}`);
        await this.intents.markRejected(manager, order.orderId, verdict.reason);
        await this.reject(manager, order.orderId, verdict.reason);
        return;
      case 'paid-but-disagrees':
        // PaymentConfirmed has gone out already; a second verdict would contradict it. For a person.
        this.logger.error(`order ${order.orderId}: paid, but ${verdict.reason}`);
        return;
      default: {
        const _exhaustive: never = verdict;
        return _exhaustive;
      }
    }
  }

  private async reject(manager: EntityManager, orderId: string, reason: string): Promise<void> {
    const data: PaymentRejectedV1 = { orderId, paymentId: paymentIdOf(orderId), reason };
    await this.events.append(manager, paymentStreamOf(orderId), 'any', [
      { type: PaymentRejected.type, topic: PaymentRejected.topic, subject: orderId, data: { ...data } },
    ]);
  }
}
