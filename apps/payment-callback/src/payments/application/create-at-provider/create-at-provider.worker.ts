import { Inject, Injectable, Logger } from '@nestjs/common';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { nextAttemptDelaySeconds } from '../../domain/backoff';
import { outTradeNoOf } from '../../domain/out-trade-no';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { inOrderTrace } from '@keyflow/messaging';
import { PolledWorker } from '@keyflow/service-kit';
import { PaymentProviderPort } from '../payment-provider.port';

const BATCH = 50;
const LEASE_SECONDS = 30;

/**
 * Creates pending intents at the provider, outside any Kafka handler: claims due rows (SKIP LOCKED, with a
 * lease), calls the provider's create API, stores the cashier URL. Failures retry on a durable backoff
 * schedule in the row until the intent expires.
 */
@Injectable()
export class CreateAtProviderWorker extends PolledWorker {
  private readonly logger = new Logger('CreateAtProvider');

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly provider: PaymentProviderPort,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {
    super('CreateAtProviderWorker', config.workerPollMs);
  }

  async tick(): Promise<'more' | 'idle'> {
    const claimed = await this.intents.claimDue('creation', BATCH, LEASE_SECONDS);
    await Promise.all(
      claimed.map((intent) =>
        inOrderTrace('payment create', intent.orderId, intent.traceContext, () => this.create(intent)),
      ),
    );
    return claimed.length === BATCH ? 'more' : 'idle';
  }

  private async create(intent: IntentRow): Promise<void> {
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
    }
  }
}
