import { type EntityManager } from 'typeorm';

import { type StageDelayRow } from '../domain/dashboard';

/** Statuses where a paid order still waits for its keys (escalated ones wait for a person). */
const PAID_WAITING = `('paid','in-review','approved','fulfilling','escalated')`;
/** Terminal statuses: their still-"waiting" stages (e.g. the payment of a cancelled order) wait for nothing. */
const TERMINAL = `('completed','cancelled','refund-requested')`;

export interface DeliveryWindow {
  /** Orders paid within the window. */
  paid: number;
  /** Of those, delivered later than the late threshold, or not delivered and past it. */
  late: number;
  /** Average paid → delivered of the orders delivered within the window, in seconds; null when none was. */
  averageDeliverySeconds: number | null;
}

/**
 * The shop owners' two numbers, the one definition every reader uses (console overview, SLA watch, the
 * /metrics gauges): of the orders paid within the window, which were late — delivered more than
 * `lateAfterSeconds` after payment, still waiting for their keys past it, or ended without keys (refunded)
 * after waiting past it; and the average paid → delivered over the orders delivered within the window.
 * An order refunded quickly (risk said no) was never late; a delivered one is judged by its own delivery
 * time, never by how long ago it was paid.
 */
export async function deliveryWindow(
  manager: EntityManager,
  windowSeconds: number,
  lateAfterSeconds: number,
): Promise<DeliveryWindow> {
  const [row] = await manager.query(
    `SELECT
       count(*) FILTER (WHERE paid_at >= now() - make_interval(secs => $1))::int AS paid,
       count(*) FILTER (WHERE paid_at >= now() - make_interval(secs => $1) AND (
                          delivered_at - paid_at > make_interval(secs => $2)
                          OR (delivered_at IS NULL AND status IN ${PAID_WAITING}
                              AND clock_timestamp() - paid_at > make_interval(secs => $2))
                          OR (delivered_at IS NULL AND status NOT IN ${PAID_WAITING}
                              AND updated_at - paid_at > make_interval(secs => $2))))::int AS late,
       avg(extract(epoch FROM delivered_at - paid_at))
         FILTER (WHERE delivered_at >= now() - make_interval(secs => $1)) AS average
     FROM orders.order_view WHERE paid_at IS NOT NULL`,
    [windowSeconds, lateAfterSeconds],
  );
  return {
    paid: row.paid,
    late: row.late,
    averageDeliverySeconds: row.average === null ? null : Number(row.average),
  };
}

export interface OverviewCounts {
  byStatus: Record<string, number>;
  byStage: Record<string, number>;
  paidUndelivered: {
    count: number;
    /** Of those, paid longer ago than the operator alert's age (SLA tier 2). */
    overAlertAge: number;
    oldestPaidAt: string | null;
    oldestAgeSeconds: number | null;
  };
  window: DeliveryWindow;
}

/** Open orders by status and by the stage they wait in, the paid-but-undelivered backlog, the window. */
export async function overviewCounts(
  manager: EntityManager,
  windowSeconds: number,
  lateAfterSeconds: number,
  alertAgeSeconds: number,
): Promise<OverviewCounts> {
  const statuses: Array<{ status: string; count: number }> = await manager.query(
    `SELECT status, count(*)::int AS count FROM orders.order_view
      WHERE status NOT IN ${TERMINAL} GROUP BY status`,
  );
  const stages: Array<{ stage: string; count: number }> = await manager.query(
    `SELECT current_stage AS stage, count(*)::int AS count FROM orders.order_view
      WHERE status NOT IN ${TERMINAL} AND current_stage IS NOT NULL GROUP BY current_stage`,
  );
  const [backlog] = await manager.query(
    `SELECT count(*)::int AS count,
            count(*) FILTER (WHERE paid_at <= clock_timestamp() - make_interval(secs => $1))::int AS over_alert_age,
            min(paid_at) AS oldest, extract(epoch FROM clock_timestamp() - min(paid_at))::int AS age
       FROM orders.order_view WHERE delivered_at IS NULL AND status IN ${PAID_WAITING}`,
    [alertAgeSeconds],
  );
  return {
    byStatus: Object.fromEntries(statuses.map((r) => [r.status, r.count])),
    byStage: Object.fromEntries(stages.map((r) => [r.stage, r.count])),
    paidUndelivered: {
      count: backlog.count,
      overAlertAge: backlog.over_alert_age,
      oldestPaidAt: backlog.oldest ? new Date(backlog.oldest).toISOString() : null,
      oldestAgeSeconds: backlog.age ?? null,
    },
    window: await deliveryWindow(manager, windowSeconds, lateAfterSeconds),
  };
}

/**
 * Per stage, p50/p95/p99 of its duration over the window: stages that ended within it, and stages still
 * open in live orders measured up to now — a stage that is stuck right now is exactly what must show. An
 * unpaid order's open payment stage waits on the buyer, not the shop, and is left out.
 */
export async function stageDelays(manager: EntityManager, windowSeconds: number): Promise<StageDelayRow[]> {
  const rows: StageDelayRow[] = await manager.query(
    `WITH measured AS (
       SELECT s->>'stage' AS stage, s->>'endedAt' IS NULL AS open, v.status,
              (s->>'endedAt')::timestamptz AS ended_at,
              CASE WHEN s->>'endedAt' IS NULL
                   THEN extract(epoch FROM clock_timestamp() - (s->>'startedAt')::timestamptz) * 1000
                   ELSE (s->>'durationMs')::float8 END AS ms
         FROM orders.order_view v CROSS JOIN LATERAL jsonb_array_elements(v.view->'stages') s
        WHERE v.updated_at >= now() - make_interval(secs => $1) OR v.status NOT IN ${TERMINAL}
     )
     SELECT stage, count(*)::int AS count, count(*) FILTER (WHERE open)::int AS open,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM measured m
      WHERE m.ms IS NOT NULL
        AND CASE WHEN m.open THEN m.status NOT IN ${TERMINAL} AND m.status <> 'awaiting-payment'
                 ELSE m.ended_at >= now() - make_interval(secs => $1) END
      GROUP BY stage`,
    [windowSeconds],
  );
  return rows;
}

export interface OpenAlert {
  alertKey: string;
  raisedAt: string;
  severity: string | null;
  summary: string | null;
}

/** Alerts raised and not yet resolved, with the summary of the alert.raised event that raised them. */
export async function openAlerts(manager: EntityManager): Promise<OpenAlert[]> {
  const rows: Array<{ key: string; raised_at: Date; data: { severity?: string; summary?: string } | null }> =
    await manager.query(
      `SELECT a.alert_key AS key, a.raised_at, e.data
         FROM orders.alert_state a
         LEFT JOIN LATERAL (
           SELECT data FROM orders.events
            WHERE stream_id = 'alert-' || a.alert_key AND type = 'alert.raised.v1'
            ORDER BY stream_version DESC LIMIT 1
         ) e ON true
        WHERE a.active
        ORDER BY a.raised_at`,
    );
  return rows.map((row) => ({
    alertKey: row.key,
    raisedAt: new Date(row.raised_at).toISOString(),
    severity: row.data?.severity ?? null,
    summary: row.data?.summary ?? null,
  }));
}
