import { type EntityManager } from 'typeorm';

import { lockOrders } from '@keyflow/messaging';

/**
 * Serialises the two consumers that meet on one order (order.placed.v1 and payment.confirmed.v1 arrive on
 * different topics, in any order, possibly at once). Without it each could miss the other's uncommitted
 * row and the parked payment would never be assessed. Held until the transaction ends; statements after
 * it see whatever the other transaction committed (READ COMMITTED takes a snapshot per statement).
 */
export async function lockOrder(manager: EntityManager, orderId: string): Promise<void> {
  // The shared per-order lock, scoped by this service's schema: the same key its consumers take up front
  // for every order of a batch, so a handler's lock is one its transaction already holds.
  await lockOrders(manager, 'risk', [orderId]);
}
