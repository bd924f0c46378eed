import { type EntityManager } from 'typeorm';

/**
 * Serialises the consumers that meet on one order: order.placed.v1 (orders.v1) and delivery.succeeded.v1
 * or order.delayed.v1 arrive on different topics, in any order, possibly at once. Without the lock a job
 * could be stored as awaiting-facts just after the facts handler looked for such jobs, and wait forever.
 * Held until the transaction ends; later statements see what the other transaction committed.
 */
export async function lockOrder(manager: EntityManager, orderId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('notification.order:' || $1, 0))`, [
    orderId,
  ]);
}
