import { type EntityManager } from 'typeorm';

/**
 * Per-order locks of one service, held until its transaction ends: facts for one order arrive on several
 * topics (and HTTP requests) at once, and the handlers that meet on an order take its lock before they read,
 * so neither misses the other's uncommitted rows. READ COMMITTED takes a snapshot per statement, so what
 * runs after the lock sees whatever the holder before it committed.
 *
 * `scope` keeps services apart (each uses its schema name); every holder in a service must use this helper,
 * so that all of them compute the same key for an order.
 */
export async function lockOrder(manager: EntityManager, scope: string, orderId: string): Promise<void> {
  await lockOrders(manager, scope, [orderId]);
}

/**
 * Locks several orders in one statement, in one fixed order (by key) whatever order they are given in. A
 * consumer locks every order of its batch this way before it handles the first message: two batches that
 * share orders then wait for each other instead of each holding one order the other needs next (deadlock,
 * the batch rolled back and retried message by message). Taking a lock the transaction already holds is
 * free, so handlers still call `lockOrder` for their own order.
 */
export async function lockOrders(
  manager: EntityManager,
  scope: string,
  orderIds: readonly string[],
): Promise<void> {
  if (orderIds.length === 0) return;
  // The subquery sorts; the volatile lock function is evaluated by the outer query row by row in that order.
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(keys.key)) FROM (
       SELECT DISTINCT hashtextextended($1 || '.order:' || id, 0) AS key FROM unnest($2::text[]) AS id ORDER BY key
     ) AS keys`,
    [scope, [...new Set(orderIds)]],
  );
}
