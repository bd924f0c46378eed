import { type EntityManager } from 'typeorm';

import { BACKLOG_STATUSES, type BacklogReading } from '../domain/admission';

const IN_BACKLOG = `(${BACKLOG_STATUSES.map((status) => `'${status}'`).join(',')})`;

/**
 * Paid-but-unfinished orders and the recent completion rate, from the read model every replica shares.
 * Both counts are index scans (order_view_status_idx, order_view_completed_idx), one statement.
 */
export async function readBacklog(manager: EntityManager, windowSeconds: number): Promise<BacklogReading> {
  const [row]: Array<{ backlog: number; completed: number }> = await manager.query(
    `SELECT (SELECT count(*) FROM orders.order_view WHERE status IN ${IN_BACKLOG})::int AS backlog,
            (SELECT count(*) FROM orders.order_view
              WHERE completed_at >= now() - make_interval(secs => $1))::int AS completed`,
    [windowSeconds],
  );
  return { backlog: row.backlog, completedPerSecond: row.completed / windowSeconds };
}

/** True when a checkout with this Idempotency-Key was already accepted: its retry is a replay, never shed. */
export async function checkoutAccepted(manager: EntityManager, idempotencyKey: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM orders.checkout_requests WHERE idempotency_key = $1`,
    [idempotencyKey],
  );
  return rows.length > 0;
}
