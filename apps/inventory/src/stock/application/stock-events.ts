import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import {
  StockCommitted,
  type StockCommittedV1,
  StockLow,
  type StockLowV1,
  StockReleased,
  type StockReleasedV1,
  StockReserved,
  type StockReservedV1,
  StockUnavailable,
  type StockUnavailableV1,
} from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';

/** An order's stock events share one stream; subject (and Kafka key) is the order id. */
export const stockStreamOf = (orderId: string): string => `stock-${orderId}`;
/** Low-stock alerts are about a SKU, not an order: their own stream, subject = SKU. */
export const lowStockStreamOf = (sku: string): string => `stock-low-${sku}`;

/**
 * Appends inventory's public events on the caller's transaction (the event store is the outbox), so
 * each event commits or rolls back with the state change it reports.
 */
@Injectable()
export class StockEvents {
  constructor(private readonly store: EventStore) {}

  reserved(manager: EntityManager, data: StockReservedV1): Promise<void> {
    return this.forOrder(manager, StockReserved, data);
  }

  unavailable(manager: EntityManager, data: StockUnavailableV1): Promise<void> {
    return this.forOrder(manager, StockUnavailable, data);
  }

  committed(manager: EntityManager, data: StockCommittedV1): Promise<void> {
    return this.forOrder(manager, StockCommitted, data);
  }

  released(manager: EntityManager, data: StockReleasedV1): Promise<void> {
    return this.forOrder(manager, StockReleased, data);
  }

  async low(manager: EntityManager, data: StockLowV1): Promise<void> {
    await this.store.append(manager, lowStockStreamOf(data.sku), 'any', [
      { type: StockLow.type, topic: StockLow.topic, subject: data.sku, data: { ...data } },
    ]);
  }

  private async forOrder(
    manager: EntityManager,
    definition: { type: string; topic: string },
    data: object & { orderId: string },
  ): Promise<void> {
    await this.store.append(manager, stockStreamOf(data.orderId), 'any', [
      { type: definition.type, topic: definition.topic, subject: data.orderId, data: { ...data } },
    ]);
  }
}
