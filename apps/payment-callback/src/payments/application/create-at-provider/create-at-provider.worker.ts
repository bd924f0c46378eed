import { Inject, Injectable } from '@nestjs/common';

import { PolledWorker } from '@keyflow/service-kit';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { CREATION_LEASE_SECONDS, CreateAtProviderHandler } from './create-at-provider.handler';

const BATCH = 50;

/**
 * Creates pending intents at the provider, outside any Kafka handler: claims due rows (SKIP LOCKED, with a
 * lease) and creates each one. Failures retry on a durable backoff schedule in the row until the intent
 * expires. Intents opened by the buyer's pay URL are usually created by that request; the worker takes the
 * ones whose buyer has not come yet, and any whose request failed or died.
 */
@Injectable()
export class CreateAtProviderWorker extends PolledWorker {
  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly creator: CreateAtProviderHandler,
    @Inject(PAYMENTS_CONFIG) config: PaymentsConfig,
  ) {
    super('CreateAtProviderWorker', config.workerPollMs);
  }

  async tick(): Promise<'more' | 'idle'> {
    const claimed = await this.intents.claimDue('creation', BATCH, CREATION_LEASE_SECONDS);
    await Promise.all(claimed.map((intent) => this.creator.create(intent)));
    return claimed.length === BATCH ? 'more' : 'idle';
  }
}
