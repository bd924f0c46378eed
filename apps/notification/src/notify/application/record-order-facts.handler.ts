import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderPlacedV1 } from '@keyflow/contracts';

import { lockOrder } from '../infrastructure/order-lock';
import { OrderFactsRepository } from '../infrastructure/order-facts.repository';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** Records the buyer and product of an order; notifications that waited for them become due now. */
@Injectable()
export class RecordOrderFactsHandler {
  private readonly logger = new Logger('RecordOrderFacts');

  constructor(
    private readonly facts: OrderFactsRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  async handle(manager: EntityManager, placed: OrderPlacedV1): Promise<void> {
    await lockOrder(manager, placed.orderId);
    await this.facts.record(manager, {
      orderId: placed.orderId,
      email: placed.buyer.email.trim(),
      sku: placed.sku,
      quantity: placed.quantity,
      total: placed.total,
      placedAt: placed.placedAt,
    });
    const released = await this.notifications.releaseAwaitingFacts(manager, placed.orderId);
    if (released > 0)
      this.logger.log(`order ${placed.orderId}: facts arrived; ${released} waiting notification(s) are due`);
  }
}
