import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { inOrderTrace } from '@keyflow/messaging';
import { BatchWriter, PolledWorker, type TickResult, WorkWakeups } from '@keyflow/service-kit';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { nextAttemptDelaySeconds } from '../../domain/backoff';
import { outTradeNoOf } from '../../domain/out-trade-no';
import {
  INTENT_CREATION_CHANNEL,
  type IntentRow,
  PaymentIntentRepository,
} from '../../infrastructure/payment-intent.repository';
import { PaymentProviderPort } from '../payment-provider.port';

const BATCH = 50;
const LEASE_SECONDS = 30;
/** Creations that finish within this of each other are recorded in one statement. */
const LINGER_MS = 5;

interface Created {
  orderId: string;
  providerPaymentId: string;
  cashierUrl: string;
}

/**
 * Creates pending intents at the provider, outside any Kafka handler: claims up to 50 due rows in one
 * statement (SKIP LOCKED, with a lease), calls the provider's create API for them concurrently, and stores
 * the cashier URLs of creations that finish together in one statement. Failures retry on a durable backoff
 * schedule in the row until the intent expires; a crash before the URL is stored only means the lease runs
 * out and the payment is created again (the provider keys it by our out-trade-no). Woken by a NOTIFY when
 * an intent is opened on any replica; PAYMENT_WORKER_POLL_MS is the safety net.
 */
@Injectable()
export class CreateAtProviderWorker extends PolledWorker {
  private readonly logger = new Logger('CreateAtProvider');
  private readonly created: BatchWriter<Created>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentRepository,
    private readonly provider: PaymentProviderPort,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    wakeups: WorkWakeups,
  ) {
    super('CreateAtProviderWorker', config.workerPollMs, { wakeups, channel: INTENT_CREATION_CHANNEL });
    this.created = new BatchWriter(
      (created) => this.intents.creationSucceeded(created, this.config.activeQueryAfterSeconds),
      { lingerMs: LINGER_MS },
    );
  }

  async tick(): Promise<TickResult> {
    const { claimed, nextDueInMs } = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.intents.claimDue('creation', BATCH, LEASE_SECONDS, manager);
      return { claimed, nextDueInMs: (await this.intents.nextDueInMs('creation', manager)) ?? Infinity };
    });
    const claimedAt = Date.now();
    const retries = await Promise.all(
      claimed.map((intent) =>
        inOrderTrace('payment create', intent.orderId, intent.traceContext, () => this.create(intent)),
      ),
    );
    if (claimed.length === BATCH) return 'more';
    const soonest = Math.min(nextDueInMs - (Date.now() - claimedAt), ...retries);
    return Number.isFinite(soonest) ? { nextDueInMs: soonest } : 'idle';
  }

  /** Resolves with how long until the intent is due again (Infinity once its cashier URL is stored). */
  private async create(intent: IntentRow): Promise<number> {
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
      return Infinity;
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
      return delay * 1000;
    }
  }
}
