import { type EntityManager } from 'typeorm';

/**
 * Serialises the two consumers that meet on one order (order.placed.v1 and payment.confirmed.v1 arrive on
 * different topics, in any order, possibly at once). Without it each could miss the other's uncommitted
 * row and the parked payment would never be assessed. Held until the transaction ends; statements after
 * it see whatever the other transaction committed (READ COMMITTED takes a snapshot per statement).
 */
export async function lockOrder(manager: EntityManager, orderId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('risk.order:' || $1, 0))`, [orderId]);
}
