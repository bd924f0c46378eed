import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DeliveryError } from '../../domain/delivery.errors';
import {
  type AbandonedPurchase,
  AbandonedPurchaseRepository,
  type ReconciledOutcome,
} from '../../infrastructure/abandoned-purchase.repository';

/**
 * An operator records what the supplier said about a purchase delivery gave up on: once, with who, when and
 * a note. A second attempt is refused with the first one's record, so nobody overwrites a reconciliation.
 */
@Injectable()
export class ReconcilePurchaseHandler {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    private readonly dataSource: DataSource,
    private readonly purchases: AbandonedPurchaseRepository,
  ) {}

  async handle(
    key: { orderId: string; supplierId: string },
    by: { outcome: ReconciledOutcome; note: string; reconciledBy: string },
  ): Promise<AbandonedPurchase> {
    const manager = this.dataSource.manager;
    const done = await this.purchases.reconcile(manager, key, by);
    if (done) {
      this.logger.log(
        `order ${key.orderId}: purchase at ${key.supplierId} reconciled as ${by.outcome} by ${by.reconciledBy}`,
      );
      return done;
    }
    const existing = await this.purchases.find(manager, key.orderId, key.supplierId);
    if (!existing) {
      throw new DeliveryError(
        'DELIVERY.PURCHASE_NOT_ABANDONED',
        `no abandoned purchase of order ${key.orderId} at supplier ${key.supplierId}`,
      );
    }
    throw new DeliveryError(
      'DELIVERY.PURCHASE_ALREADY_RECONCILED',
      `already reconciled as ${existing.outcome} by ${existing.reconciledBy} at ${existing.reconciledAt}`,
    );
  }
}
