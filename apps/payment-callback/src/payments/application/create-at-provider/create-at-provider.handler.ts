import { Inject, Injectable, Logger } from '@nestjs/common';

import { inOrderTrace } from '@keyflow/messaging';
import { BatchWriter } from '@keyflow/service-kit';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { nextAttemptDelaySeconds } from '../../domain/backoff';
import { outTradeNoOf } from '../../domain/out-trade-no';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { PaymentProviderPort } from '../payment-provider.port';

/** How long a claim on an intent's creation holds before another worker or request may take it over. */
export const CREATION_LEASE_SECONDS = 30;
/** Creations that finish within this of each other are recorded in one statement. */
const LINGER_MS = 5;

export type CreationOutcome = { cashierUrl: string } | { retryInSeconds: number };

interface Created {
  orderId: string;
  providerPaymentId: string;
  cashierUrl: string;
}

/**
 * Creates one claimed intent's payment at the provider and stores the cashier URL, in the order's trace.
 * Shared by the creation worker and the pay URL, so both do it the same way; only the holder of the claim
 * calls it. Cashier URLs of creations that finish together (a worker's tick, buyers arriving at once) are
 * stored in one statement; each caller goes on only once its own URL is committed. A failure is recorded on
 * the row's durable backoff schedule (the worker retries it); a crash before the URL is stored only means
 * the lease runs out and the payment is created again (the provider keys it by our out-trade-no).
 */
@Injectable()
export class CreateAtProviderHandler {
  private readonly logger = new Logger('CreateAtProvider');
  private readonly created: BatchWriter<Created>;

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly provider: PaymentProviderPort,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {
    this.created = new BatchWriter(
      (created) => this.intents.creationSucceeded(created, this.config.activeQueryAfterSeconds),
      { lingerMs: LINGER_MS },
    );
  }

  create(intent: IntentRow): Promise<CreationOutcome> {
    return inOrderTrace('payment create', intent.orderId, intent.traceContext, () => this.call(intent));
  }

  private async call(intent: IntentRow): Promise<CreationOutcome> {
    try {
      const created = await this.provider.create({
        provider: intent.provider,
        orderId: intent.orderId,
        outTradeNo: outTradeNoOf(intent.orderId),
        amount: intent.expected,
        notifyUrl: `${this.config.notifyUrl}/v1/callbacks/${intent.provider}`,
        expiresAt: intent.expiresAt,
      });
      await this.created.submit({
        orderId: intent.orderId,
        providerPaymentId: created.providerPaymentId,
        cashierUrl: created.cashierUrl,
      });
      return { cashierUrl: created.cashierUrl };
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
      return { retryInSeconds: delay };
    }
  }
}
