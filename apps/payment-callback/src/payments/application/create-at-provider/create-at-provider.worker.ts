import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PolledWorker, type TickResult, WorkWakeups } from '@keyflow/service-kit';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import {
  INTENT_CREATION_CHANNEL,
  PaymentIntentRepository,
} from '../../infrastructure/payment-intent.repository';
import { CREATION_LEASE_SECONDS, CreateAtProviderHandler } from './create-at-provider.handler';

const BATCH = 50;

/**
 * Creates pending intents at the provider, outside any Kafka handler: claims up to 50 due rows in one
 * statement (SKIP LOCKED, with a lease) and creates them concurrently. Failures retry on a durable backoff
 * schedule in the row until the intent expires. Intents opened by the buyer's pay URL are usually created by
 * that request; the worker takes the ones whose buyer has not come yet, and any whose request failed or
 * died. Woken by a NOTIFY when an intent is opened on any replica; PAYMENT_WORKER_POLL_MS is the safety net.
 */
@Injectable()
export class CreateAtProviderWorker extends PolledWorker {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentRepository,
    private readonly creator: CreateAtProviderHandler,
    @Inject(PAYMENTS_CONFIG) config: PaymentsConfig,
    wakeups: WorkWakeups,
  ) {
    super('CreateAtProviderWorker', config.workerPollMs, { wakeups, channel: INTENT_CREATION_CHANNEL });
  }

  async tick(): Promise<TickResult> {
    const { claimed, nextDueInMs } = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.intents.claimDue('creation', BATCH, CREATION_LEASE_SECONDS, manager);
      return { claimed, nextDueInMs: (await this.intents.nextDueInMs('creation', manager)) ?? Infinity };
    });
    const claimedAt = Date.now();
    const outcomes = await Promise.all(claimed.map((intent) => this.creator.create(intent)));
    if (claimed.length === BATCH) return 'more';
    const retries = outcomes.map((o) => ('retryInSeconds' in o ? o.retryInSeconds * 1000 : Infinity));
    const soonest = Math.min(nextDueInMs - (Date.now() - claimedAt), ...retries);
    return Number.isFinite(soonest) ? { nextDueInMs: soonest } : 'idle';
  }
}
