import { type EntityManager } from 'typeorm';

import { type OrderView } from '../domain/order-view';

/** How many parameters the view's statement takes ($1..$13); a statement sent with it numbers from the next. */
export const VIEW_PARAMETERS = 13;

/**
 * Writes an order's view row; called in the same transaction as the events it reflects. `also` (numbered
 * from $14, see VIEW_PARAMETERS) is sent in the same statement, one round trip for both.
 */
export async function saveOrderView(
  manager: EntityManager,
  view: OrderView,
  also?: { sql: string; params: unknown[] },
): Promise<void> {
  const upsert = `INSERT INTO orders.order_view
       (order_id, status, sku, current_stage, waiting_reason, waiting_since, placed_at, expires_at, paid_at,
        completed_at, view, version, delivered_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, clock_timestamp())
     ON CONFLICT (order_id) DO UPDATE SET
       status = excluded.status, current_stage = excluded.current_stage, waiting_reason = excluded.waiting_reason,
       waiting_since = excluded.waiting_since, paid_at = excluded.paid_at, completed_at = excluded.completed_at,
       view = excluded.view, version = excluded.version, delivered_at = excluded.delivered_at,
       updated_at = excluded.updated_at
     WHERE orders.order_view.version < excluded.version`;
  await manager.query(also ? `WITH saved_view AS (${upsert}) ${also.sql}` : upsert, [
    view.orderId,
    view.status,
    view.sku,
    view.currentStage ?? null,
    view.waitingReason ?? null,
    view.waitingSince ?? null,
    view.placedAt,
    view.expiresAt,
    view.paidAt ?? null,
    view.completedAt ?? null,
    JSON.stringify(view),
    view.version,
    view.deliveredAt ?? null,
    ...(also?.params ?? []),
  ]);
}

export async function findOrderView(manager: EntityManager, orderId: string): Promise<OrderView | undefined> {
  const rows: Array<{ view: OrderView }> = await manager.query(
    `SELECT view FROM orders.order_view WHERE order_id = $1`,
    [orderId],
  );
  return rows[0]?.view;
}

export interface OrderListQuery {
  status?: string;
  stuckForSeconds?: number;
  /** The stage the order waits in now. */
  stage?: string;
  sku?: string;
  /** A supplier that served a stage, or that the delivery notes name (a failed attempt, a switch). */
  supplier?: string;
  limit: number;
  offset: number;
}

export async function listOrderViews(
  manager: EntityManager,
  query: OrderListQuery,
): Promise<{ items: OrderView[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status) {
    params.push(query.status);
    where.push(`status = $${params.length}`);
  }
  if (query.stuckForSeconds !== undefined) {
    params.push(query.stuckForSeconds);
    where.push(
      `waiting_since IS NOT NULL AND waiting_since <= clock_timestamp() - make_interval(secs => $${params.length})`,
    );
  }
  if (query.stage) {
    params.push(query.stage);
    where.push(`current_stage = $${params.length}`);
  }
  if (query.sku) {
    params.push(query.sku);
    where.push(`sku = $${params.length}`);
  }
  if (query.supplier) {
    params.push(query.supplier);
    const p = `$${params.length}`;
    where.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements(view->'stages') s
                WHERE s->>'servedBy' = ${p}
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(s->'notes') n
                               WHERE strpos(n, ${p}) > 0))`,
    );
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ total }] = await manager.query(
    `SELECT count(*)::int AS total FROM orders.order_view ${clause}`,
    params,
  );
  const rows: Array<{ view: OrderView }> = await manager.query(
    `SELECT view FROM orders.order_view ${clause}
      ORDER BY waiting_since ASC NULLS LAST, placed_at ASC
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  return { items: rows.map((r) => r.view), total };
}
