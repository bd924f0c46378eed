import { type EntityManager } from 'typeorm';

import { lockOrders } from '@keyflow/messaging';

/**
 * Serialises everything inventory does for one order within the current transaction. OrderPlaced and
 * RiskApproved arrive on different topics and can be handled at the same moment; without this lock each
 * could miss the other's uncommitted row and the approval would be lost.
 */
export async function lockOrder(manager: EntityManager, orderId: string): Promise<void> {
  // The shared per-order lock, scoped by this service's schema: the same key its consumers take up front
  // for every order of a batch, so a handler's lock is one its transaction already holds.
  await lockOrders(manager, 'inventory', [orderId]);
}

/** Parks an approval for an order not seen yet. */
export async function parkApproval(manager: EntityManager, orderId: string): Promise<void> {
  await manager.query(`INSERT INTO inventory.pending_commits (order_id) VALUES ($1) ON CONFLICT DO NOTHING`, [
    orderId,
  ]);
}

/** Takes a parked approval for the order, if there is one. */
export async function takeParkedApproval(manager: EntityManager, orderId: string): Promise<boolean> {
  // TypeORM answers a raw DELETE with [rows, affected count].
  const [, deleted]: [unknown[], number] = await manager.query(
    `DELETE FROM inventory.pending_commits WHERE order_id = $1`,
    [orderId],
  );
  return deleted > 0;
}
