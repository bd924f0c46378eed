import { type EntityManager } from 'typeorm';

import { BACKLOG_STATUSES, type BacklogReading, UNPROCESSED_STAGE } from '../domain/admission';

const IN_BACKLOG = `(${BACKLOG_STATUSES.map((status) => `'${status}'`).join(',')})`;

/**
 * The backlog (paid but unfinished, plus placed but not yet taken up) and the recent completion rate, from
 * the read model every replica shares: one statement of three index scans (order_view_status_idx,
 * order_view_unprocessed_idx, order_view_completed_idx).
 */
export async function readBacklog(manager: EntityManager, windowSeconds: number): Promise<BacklogReading> {
  const [row]: Array<{ paid: number; placed: number; completed: number }> = await manager.query(
    `SELECT (SELECT count(*) FROM orders.order_view WHERE status IN ${IN_BACKLOG})::int AS paid,
            (SELECT count(*) FROM orders.order_view
              WHERE status = 'awaiting-payment' AND current_stage = '${UNPROCESSED_STAGE}')::int AS placed,
            (SELECT count(*) FROM orders.order_view
              WHERE completed_at >= now() - make_interval(secs => $1))::int AS completed`,
    [windowSeconds],
  );
  return { backlog: row.paid + row.placed, completedPerSecond: row.completed / windowSeconds };
}

/** True when a checkout with this Idempotency-Key was already accepted: its retry is a replay, never shed. */
export async function checkoutAccepted(manager: EntityManager, idempotencyKey: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM orders.checkout_requests WHERE idempotency_key = $1`,
    [idempotencyKey],
  );
  return rows.length > 0;
}

/**
 * The best completion rate over any `bucketSeconds` within the last `memorySeconds`, per second, from the
 * read model (order_view_completed_idx): what the pipeline finished when it was last busy. Run only when
 * admission remembers nothing (a restart, or a quiet spell longer than the memory).
 */
export async function bestCompletionRate(
  manager: EntityManager,
  memorySeconds: number,
  bucketSeconds: number,
): Promise<number> {
  const [row]: Array<{ best: number }> = await manager.query(
    `SELECT coalesce(max(n), 0)::int AS best FROM (
       SELECT count(*) AS n FROM orders.order_view
        WHERE completed_at >= now() - make_interval(secs => $1)
        GROUP BY floor(extract(epoch FROM completed_at) / $2)) buckets`,
    [memorySeconds, bucketSeconds],
  );
  return row.best / bucketSeconds;
}
