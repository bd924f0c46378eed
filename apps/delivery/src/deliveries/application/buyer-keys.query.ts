import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { DeliveryRepository } from '../infrastructure/delivery.repository';
import { DeliveredKeys } from './delivered-keys';

export type BuyerKeys =
  | { orderId: string; delivered: false }
  | { orderId: string; delivered: true; deliveredAt: string; keys: Array<{ keyId: string; code: string }> };

/**
 * The buyer's own keys for the status page, decrypted in memory for this one answer (the caller proved the
 * order's access token). Before delivery there is nothing to show, and nothing is said about suppliers.
 */
@Injectable()
export class BuyerKeysQuery {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly keys: DeliveredKeys,
  ) {}

  /** When the order's keys were delivered (its link's expiry counts from then); null before delivery. */
  async deliveredAt(manager: EntityManager, orderId: string): Promise<string | null> {
    return (await this.deliveries.findByOrder(manager, orderId))?.deliveredAt ?? null;
  }

  async get(manager: EntityManager, orderId: string): Promise<BuyerKeys> {
    const delivery = await this.deliveries.findByOrder(manager, orderId);
    if (!delivery) return { orderId, delivered: false };
    const keys = await this.keys.ofDelivery(manager, delivery.deliveryId);
    return {
      orderId,
      delivered: true,
      deliveredAt: delivery.deliveredAt,
      keys: keys.map(({ keyId, plaintext }) => ({ keyId, code: plaintext })),
    };
  }
}
