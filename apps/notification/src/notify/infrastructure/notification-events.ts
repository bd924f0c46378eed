import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import {
  NotificationFailed,
  type NotificationFailedV1,
  NotificationSent,
  type NotificationSentV1,
  Topics,
} from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';

/**
 * Appends notification's public events to the order's stream (subject = order id) on the worker's
 * transaction, so they are published exactly when the job's outcome commits. Version 'any': the job row
 * (locked by the worker) is what serialises outcomes.
 */
@Injectable()
export class NotificationEvents {
  constructor(private readonly store: EventStore) {}

  sent(manager: EntityManager, data: NotificationSentV1) {
    return this.append(manager, NotificationSent.type, data);
  }

  failed(manager: EntityManager, data: NotificationFailedV1) {
    return this.append(manager, NotificationFailed.type, data);
  }

  private async append(manager: EntityManager, type: string, data: { orderId: string }): Promise<void> {
    await this.store.append(manager, data.orderId, 'any', [
      { type, topic: Topics.notifications, data: { ...data } as Record<string, unknown> },
    ]);
  }
}
