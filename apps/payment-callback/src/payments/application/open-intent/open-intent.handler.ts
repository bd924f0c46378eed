import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderPlacedV1, PaymentRejected, type PaymentRejectedV1 } from '@keyflow/contracts';
import { captureTraceContext, EventStore } from '@keyflow/messaging';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { paymentIdOf } from '../../domain/out-trade-no';
import { providerKindOf } from '../../domain/provider-kind';
import { PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { paymentStreamOf } from '../confirm-payment/record-payment.handler';

/**
 * Opens the order's payment intent in the consumer's transaction. Creating the payment at the provider
 * is an outside call, so it is only recorded here (`pending-creation`) for the creation worker; the
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
    const paymentId = paymentIdOf(order.orderId);
    if (!provider || !this.config[provider]) {
      const reason = provider
        ? `PAYMENT.CHANNEL_NOT_CONFIGURED: payment channel "${provider}" is not set up`
        : `PAYMENT.UNKNOWN_CHANNEL: payment channel "${order.paymentChannel}" is not one of alipay, wechat, stripe`;
      this.logger.warn(`order ${order.orderId}: ${reason}`);
      const data: PaymentRejectedV1 = { orderId: order.orderId, paymentId, reason };
      await this.events.append(manager, paymentStreamOf(order.orderId), 'any', [
        {
          type: PaymentRejected.type,
          topic: PaymentRejected.topic,
          subject: order.orderId,
          data: { ...data },
        },
      ]);
      return;
    }
    await this.intents.insert(manager, {
      orderId: order.orderId,
      paymentId,
      provider,
      amountMinor: order.total.amountMinor,
      currency: order.total.currency,
      expiresAt: order.expiresAt,
      traceContext: captureTraceContext(),
    });
  }
}
