import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { DeliveryRepository } from '../infrastructure/delivery.repository';
import { DeliveredKeys, type PlainCardKey } from './delivered-keys';
import { DeliveryEvents } from './delivery-events';

export interface Completion {
  orderId: string;
  deliveryId: string;
  source: 'pool' | 'supplier';
  servedBy: string;
  supplierOrderId: string | null;
  attempts: number;
  keys: PlainCardKey[];
  now: Date;
}

/**
 * The one way a delivery happens: the record and its encrypted keys, then DeliverySucceeded with the
 * keys sealed for notification, in the caller's transaction. A second completion for the order (a
 * replay, a worker that lost its lease) is refused by the unique order id and emits nothing.
 */
@Injectable()
export class CompleteDelivery {
  constructor(
    private readonly keys: DeliveredKeys,
    private readonly events: DeliveryEvents,
    private readonly deliveries: DeliveryRepository,
  ) {}

  async complete(manager: EntityManager, completion: Completion): Promise<boolean> {
    const deliveredAt = completion.now.toISOString();
    const inserted = await this.deliveries.insertIfNew(
      manager,
      {
        deliveryId: completion.deliveryId,
        orderId: completion.orderId,
        source: completion.source,
        servedBy: completion.servedBy,
        supplierOrderId: completion.supplierOrderId,
        itemCount: completion.keys.length,
        attempts: completion.attempts,
        deliveredAt,
      },
      this.keys.encryptForRest(completion.keys),
    );
    if (!inserted) return false;
    await this.events.succeeded(manager, {
      orderId: completion.orderId,
      deliveryId: completion.deliveryId,
      servedBy: completion.servedBy,
      itemCount: completion.keys.length,
      attempts: completion.attempts,
      deliveredAt,
      keys: await this.keys.sealForNotification(completion.keys),
    });
    return true;
  }
}
