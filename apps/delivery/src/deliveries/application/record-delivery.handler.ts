import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type StockCommittedV1 } from '@keyflow/contracts';

import { DeliveryError } from '../domain/delivery.errors';
import { purchaseIdempotencyKey } from '../domain/idempotency-key';
import { DeliveryJobRepository } from '../infrastructure/delivery-job.repository';
import { CompleteDelivery } from './complete-delivery';
import { DeliveredKeys } from './delivered-keys';

/**
 * StockCommitted, inside the Kafka handler's transaction. Pool keys need no outside call, so they are
 * delivered right here; supplier stock becomes a durable job for the workers: a supplier is never
 * called from a Kafka handler (a slow one would stall the partition and get the consumer evicted).
 */
@Injectable()
export class RecordDeliveryHandler {
  private readonly logger = new Logger('RecordDelivery');

  constructor(
    private readonly jobs: DeliveryJobRepository,
    private readonly keys: DeliveredKeys,
    private readonly completion: CompleteDelivery,
  ) {}

  async handle(manager: EntityManager, committed: StockCommittedV1, now: Date): Promise<void> {
    if (committed.source === 'pool') return this.fromPool(manager, committed, now);
    const route = committed.suppliers ?? [];
    if (route.length === 0)
      throw new DeliveryError(
        'DELIVERY.INVALID_COMMIT',
        `order ${committed.orderId}: supplier stock without suppliers`,
      );
    const created = await this.jobs.insertIfNew(manager, {
      orderId: committed.orderId,
      deliveryId: randomUUID(),
      reservationId: committed.reservationId,
      sku: committed.sku,
      supplierSku: committed.supplierSku ?? null,
      quantity: committed.quantity,
      route,
      idempotencyKey: purchaseIdempotencyKey(committed.orderId, committed.reservationId),
    });
    if (created) this.logger.log(`order ${committed.orderId}: delivery job queued (${route.join(' → ')})`);
  }

  private async fromPool(manager: EntityManager, committed: StockCommittedV1, now: Date): Promise<void> {
    const sealed = committed.keys ?? [];
    if (sealed.length !== committed.quantity)
      throw new DeliveryError(
        'DELIVERY.KEY_COUNT_MISMATCH',
        `order ${committed.orderId}: ${sealed.length} keys committed for quantity ${committed.quantity}`,
      );
    const delivered = await this.completion.complete(manager, {
      orderId: committed.orderId,
      deliveryId: randomUUID(),
      source: 'pool',
      servedBy: 'pool',
      supplierOrderId: null,
      attempts: 1,
      keys: await this.keys.openFromInventory(sealed),
      now,
    });
    if (delivered) this.logger.log(`order ${committed.orderId}: delivered ${sealed.length} pool key(s)`);
  }
}
