import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { nextAttemptDelaySeconds } from '../../domain/backoff';
import { outTradeNoOf } from '../../domain/out-trade-no';
import { type IntentRow, PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { inOrderTrace } from '@keyflow/messaging';
import { PolledWorker, type TickResult } from '@keyflow/service-kit';
import { RecordPaymentHandler } from '../confirm-payment/record-payment.handler';
import { PaymentProviderPort } from '../payment-provider.port';

const BATCH = 20;
const LEASE_SECONDS = 30;
const MIN_GAP_MS = 1000;

/**
 * Catches callbacks that never come: intents still awaiting payment PAYMENT_ACTIVE_QUERY_AFTER_SECONDS
 * after their pay URL became ready are queried at the provider, then again on a doubling schedule kept
 * in the row (next_query_at). A paid answer goes through the same decision as a callback. Expired
 * unpaid intents are marked expired and stop being queried. Between ticks it sleeps until the first
 * scheduled query falls due; a query scheduled meanwhile (a new intent) is found by the poll at the latest.
 */
@Injectable()
export class ActiveQueryWorker extends PolledWorker {
  private readonly logger = new Logger('ActiveQuery');

  constructor(
    private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentRepository,
    private readonly provider: PaymentProviderPort,
    private readonly recordPayment: RecordPaymentHandler,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {
    super('ActiveQueryWorker', config.workerPollMs);
  }

  async tick(): Promise<TickResult> {
    await this.intents.expireOverdue();
    const claimed = await this.intents.claimDue('query', BATCH, LEASE_SECONDS);
    await Promise.all(
      claimed.map((intent) =>
        inOrderTrace('payment active query', intent.orderId, intent.traceContext, () => this.query(intent)),
      ),
    );
    if (claimed.length === BATCH) return 'more';
    // Queries are scheduled (PAYMENT_ACTIVE_QUERY_AFTER_SECONDS, then backoff): sleep until the first, but
    // at least a second, so that under load the queries falling due one after another share a tick.
    const nextDueInMs = await this.intents.nextDueInMs('query', this.dataSource.manager);
    return nextDueInMs === undefined ? 'idle' : { nextDueInMs: Math.max(nextDueInMs, MIN_GAP_MS) };
  }

  private async query(intent: IntentRow): Promise<void> {
    const delay = nextAttemptDelaySeconds(
      intent.attempts,
      this.config.activeQueryBackoffSeconds,
      this.config.activeQueryMaxBackoffSeconds,
    );
    try {
      const answer = await this.provider.query(intent.provider, outTradeNoOf(intent.orderId));
      if (answer.status !== 'paid') {
        await this.intents.retryLater('query', intent.orderId, delay, null);
        return;
      }
      const outcome = await this.dataSource.transaction((manager) =>
        this.recordPayment.handle(
          manager,
          intent.orderId,
          {
            provider: intent.provider,
            providerTradeNo: answer.providerTradeNo,
            amount: answer.amount,
            ...(answer.paidAt ? { paidAt: answer.paidAt } : {}),
          },
          'active-query',
        ),
      );
      this.logger.log(`order ${intent.orderId}: the provider reports it paid; outcome ${outcome.kind}`);
    } catch (error) {
      this.logger.warn(
        `order ${intent.orderId}: active query failed, retry in ${delay} s: ${(error as Error).message}`,
      );
      await this.intents.retryLater('query', intent.orderId, delay, (error as Error).message.slice(0, 500));
    }
  }
}
