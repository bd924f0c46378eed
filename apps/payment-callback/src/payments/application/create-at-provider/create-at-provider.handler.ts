import { Inject, Injectable, Logger } from '@nestjs/common';

import { inOrderTrace } from '@keyflow/messaging';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { nextAttemptDelaySeconds } from '../../domain/backoff';
import { outTradeNoOf } from '../../domain/out-trade-no';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { PaymentProviderPort } from '../payment-provider.port';

/** How long a claim on an intent's creation holds before another worker or request may take it over. */
export const CREATION_LEASE_SECONDS = 30;

/**
 * Creates one claimed intent's payment at the provider and stores the cashier URL, in the order's trace.
 * Shared by the creation worker and the pay URL, so both do it the same way; only the holder of the claim
 * calls it. A failure is recorded on the row's durable backoff schedule (the worker retries it).
 */
@Injectable()
export class CreateAtProviderHandler {
  private readonly logger = new Logger('CreateAtProvider');

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly provider: PaymentProviderPort,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  /** The cashier URL, or undefined when the provider call failed (and is scheduled again). */
  create(intent: IntentRow): Promise<string | undefined> {
    return inOrderTrace('payment create', intent.orderId, intent.traceContext, () => this.call(intent));
  }

  private async call(intent: IntentRow): Promise<string | undefined> {
    try {
      const created = await this.provider.create({
        provider: intent.provider,
        orderId: intent.orderId,
        outTradeNo: outTradeNoOf(intent.orderId),
        amount: intent.expected,
        notifyUrl: `${this.config.notifyUrl}/v1/callbacks/${intent.provider}`,
        expiresAt: intent.expiresAt,
      });
      await this.intents.creationSucceeded(
        intent.orderId,
        created.providerPaymentId,
        created.cashierUrl,
        this.config.activeQueryAfterSeconds,
      );
      return created.cashierUrl;
    } catch (error) {
      const delay = nextAttemptDelaySeconds(intent.attempts, 1, 60);
      this.logger.warn(
        `order ${intent.orderId}: creating the payment failed (attempt ${intent.attempts}), retry in ${delay} s: ${(error as Error).message}`,
      );
      await this.intents.retryLater(
        'creation',
        intent.orderId,
        delay,
        (error as Error).message.slice(0, 500),
      );
      return undefined;
    }
  }
}
