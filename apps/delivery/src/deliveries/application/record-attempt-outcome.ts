import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-settings';
import { afterFailedAttempt } from '../domain/attempt-policy';
import { DeliveryJobRepository, type DeliveryJob } from '../infrastructure/delivery-job.repository';
import { CompleteDelivery } from './complete-delivery';
import { DeliveryEvents } from './delivery-events';
import { type PurchaseOutcome } from './supplier-purchaser';

const REASON_MAX = 500;

/**
 * Records one attempt's outcome in one transaction: SupplierSwitched for each failover, then either the
 * delivery (DeliverySucceeded), a rescheduled retry (DeliveryAttemptFailed) or, past the attempt limit,
 * DeliveryFailed. Nothing happens when the claim was lost to another worker meanwhile. Returns when the
 * job is due again, if it was rescheduled.
 */
@Injectable()
export class RecordAttemptOutcome {
  private readonly logger = new Logger('DeliveryOutcome');

  constructor(
    private readonly jobs: DeliveryJobRepository,
    private readonly completion: CompleteDelivery,
    private readonly events: DeliveryEvents,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {}

  async record(
    manager: EntityManager,
    claimed: DeliveryJob,
    outcome: PurchaseOutcome,
    keyIds: string[],
  ): Promise<string | undefined> {
    const job = await this.jobs.lockOwned(manager, claimed.orderId, claimed.claimToken ?? '');
    if (!job) {
      this.logger.warn(`order ${claimed.orderId}: claim lost to another worker; its outcome stands`);
      return;
    }
    const fact = { orderId: job.orderId, deliveryId: job.deliveryId };
    for (const change of outcome.switches) {
      await this.events.switched(manager, {
        ...fact,
        fromSupplier: change.from,
        toSupplier: change.to,
        reason: change.reason.slice(0, REASON_MAX),
      });
    }
    await this.jobs.addSwitches(manager, job.orderId, outcome.switches);
    const now = new Date();
    if (outcome.kind === 'bought') {
      await this.completion.complete(manager, {
        ...fact,
        source: 'supplier',
        servedBy: outcome.supplierId,
        supplierOrderId: outcome.purchase.supplierOrderId,
        attempts: job.attempts,
        keys: outcome.purchase.keys.map((plaintext, i) => ({ keyId: keyIds[i]!, plaintext })),
        now,
      });
      await this.jobs.finish(manager, job.orderId, 'succeeded', null);
      this.logger.log(`order ${job.orderId}: delivered by ${outcome.supplierId} (attempt ${job.attempts})`);
      return;
    }
    const reason = outcome.reason.slice(0, REASON_MAX);
    const next = afterFailedAttempt(job.attempts, this.settings.attempts, now);
    if (next.kind === 'give-up') {
      await this.jobs.finish(manager, job.orderId, 'failed', reason);
      await this.events.attemptFailed(manager, { ...fact, attempt: job.attempts, reason });
      await this.events.failed(manager, { ...fact, attempts: job.attempts, reason });
      this.logger.warn(`order ${job.orderId}: delivery failed after ${job.attempts} attempts: ${reason}`);
      return;
    }
    await this.jobs.reschedule(manager, job.orderId, next.nextAttemptAt, reason);
    await this.events.attemptFailed(manager, {
      ...fact,
      attempt: job.attempts,
      reason,
      nextAttemptAt: next.nextAttemptAt,
    });
    this.logger.warn(
      `order ${job.orderId}: attempt ${job.attempts} failed (${reason}); next at ${next.nextAttemptAt}`,
    );
    return next.nextAttemptAt;
  }
}
