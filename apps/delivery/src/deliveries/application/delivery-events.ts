import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import {
  DeliveryAttemptFailed,
  type DeliveryAttemptFailedV1,
  DeliveryFailed,
  type DeliveryFailedV1,
  DeliveryResendRequested,
  type DeliveryResendRequestedV1,
  DeliverySucceeded,
  type DeliverySucceededV1,
  SupplierSwitched,
  type SupplierSwitchedV1,
} from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';

/** One stream per order's delivery; subject (and Kafka key) is the order id. */
export const deliveryStreamOf = (orderId: string): string => `delivery-${orderId}`;

/**
 * Appends delivery's events on the caller's transaction (the event store is the outbox), so each one
 * commits or rolls back with the state change it reports.
 */
@Injectable()
export class DeliveryEvents {
  constructor(private readonly store: EventStore) {}

  succeeded(manager: EntityManager, data: DeliverySucceededV1): Promise<void> {
    return this.append(manager, data.orderId, DeliverySucceeded, data);
  }

  attemptFailed(manager: EntityManager, data: DeliveryAttemptFailedV1): Promise<void> {
    return this.append(manager, data.orderId, DeliveryAttemptFailed, data);
  }

  switched(manager: EntityManager, data: SupplierSwitchedV1): Promise<void> {
    return this.append(manager, data.orderId, SupplierSwitched, data);
  }

  failed(manager: EntityManager, data: DeliveryFailedV1): Promise<void> {
    return this.append(manager, data.orderId, DeliveryFailed, data);
  }

  resendRequested(manager: EntityManager, data: DeliveryResendRequestedV1): Promise<void> {
    return this.append(manager, data.orderId, DeliveryResendRequested, data);
  }

  private async append(
    manager: EntityManager,
    orderId: string,
    definition: { type: string; topic: string },
    data: object,
  ): Promise<void> {
    await this.store.append(manager, deliveryStreamOf(orderId), 'any', [
      { type: definition.type, topic: definition.topic, subject: orderId, data: { ...data } },
    ]);
  }
}
