import { type EntityManager } from 'typeorm';

import { lockOrders } from '@keyflow/messaging';

/**
 * Serialises the consumers that meet on one order: order.placed.v1 (orders.v1) and delivery.succeeded.v1
 * or order.delayed.v1 arrive on different topics, in any order, possibly at once. Without the lock a job
 * could be stored as awaiting-facts just after the facts handler looked for such jobs, and wait forever.
 * Held until the transaction ends; later statements see what the other transaction committed.
 */
export async function lockOrder(manager: EntityManager, orderId: string): Promise<void> {
  // The shared per-order lock, scoped by this service's schema: the same key its consumers take up front
  // for every order of a batch, so a handler's lock is one its transaction already holds.
  await lockOrders(manager, 'notification', [orderId]);
}
