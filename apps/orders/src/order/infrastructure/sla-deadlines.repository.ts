import { type EntityManager } from 'typeorm';

import { type OrderState } from '../domain/order.state';
import { type OrderView } from '../domain/order-view';

const AWAITING_DELIVERY = ['paid', 'in-review', 'approved', 'fulfilling'];

/** Paid and not yet delivered (nor out of the pipeline): the orders that have SLA deadlines. */
export function awaitsDelivery(order: OrderState | OrderView): boolean {
  return 'paidAt' in order && !!order.paidAt && AWAITING_DELIVERY.includes(order.status);
}

export interface SlaThresholds {
  tier1Seconds: number;
  tier3Seconds: number;
}

/** A statement with its parameters, numbered from a given position so it can follow another one. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Keeps an order's SLA deadlines in step with its view, in the same transaction: set when it is paid,
 * dropped once it is delivered or leaves the pipeline. Deadlines live in Postgres, so a restart or a second
 * instance changes nothing about when they fire. Parameters start at `$first`, so the statement can be
 * sent together with the view's (see saveOrderView).
 */
export function slaDeadlinesStatement(view: OrderView, thresholds: SlaThresholds, first = 1): Statement {
  const $ = (n: number) => `$${first + n}`;
  if (awaitsDelivery(view) && view.paidAt) {
    const paidAt = Date.parse(view.paidAt);
    return {
      sql: `INSERT INTO orders.sla_deadlines (order_id, tier, due_at)
            VALUES (${$(0)}::uuid, 1, ${$(1)}::timestamptz), (${$(0)}::uuid, 3, ${$(2)}::timestamptz)
            ON CONFLICT (order_id, tier) DO NOTHING`,
      params: [
        view.orderId,
        new Date(paidAt + thresholds.tier1Seconds * 1000).toISOString(),
        new Date(paidAt + thresholds.tier3Seconds * 1000).toISOString(),
      ],
    };
  }
  return {
    sql: `DELETE FROM orders.sla_deadlines WHERE order_id = ${$(0)}::uuid AND fired_at IS NULL`,
    params: [view.orderId],
  };
}

export interface DueDeadline {
  orderId: string;
  tier: number;
}

/** Claims one due deadline (SKIP LOCKED: instances share the work) and marks it fired in the same transaction. */
export async function claimDueDeadline(manager: EntityManager): Promise<DueDeadline | undefined> {
  const [row]: Array<{ order_id: string; tier: number }> = await manager.query(
    `SELECT order_id, tier FROM orders.sla_deadlines
      WHERE fired_at IS NULL AND due_at <= clock_timestamp()
      ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  if (!row) return undefined;
  await manager.query(
    `UPDATE orders.sla_deadlines SET fired_at = clock_timestamp() WHERE order_id = $1 AND tier = $2`,
    [row.order_id, row.tier],
  );
  return { orderId: row.order_id, tier: row.tier };
}
