import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { captureTraceContext, type TraceCarrier } from '@keyflow/messaging';
import { notifyWork, returnedRows, workChannel } from '@keyflow/service-kit';

import { type SupplierSwitch } from '../application/supplier-purchaser';

export type JobStatus = 'pending' | 'in_progress' | 'succeeded' | 'failed';

export interface DeliveryJob {
  orderId: string;
  deliveryId: string;
  reservationId: string;
  sku: string;
  supplierSku: string | null;
  quantity: number;
  route: string[];
  idempotencyKey: string;
  status: JobStatus;
  attempts: number;
  nextAttemptAt: string;
  claimToken: string | null;
  startedSuppliers: string[];
  switches: SupplierSwitch[];
  lastError: string | null;
  requeues: number;
  createdAt: string;
  /** The order's trace as it was when the job was made; the worker's attempts continue it. */
  traceContext: TraceCarrier;
}

export type NewJob = Pick<
  DeliveryJob,
  'orderId' | 'deliveryId' | 'reservationId' | 'sku' | 'supplierSku' | 'quantity' | 'route' | 'idempotencyKey'
>;

/** Where new or requeued delivery jobs are announced: every replica's worker listens. */
export const DELIVERY_JOBS_CHANNEL = workChannel('delivery', 'jobs');

/** The durable queue of supplier deliveries: one row per order, claimed under a lease. */
@Injectable()
export class DeliveryJobRepository {
  /**
   * false when the order already has a job: a replayed StockCommitted changes nothing. The active trace
   * context (the StockCommitted consumer's) is kept with the job.
   */
  async insertIfNew(manager: EntityManager, job: NewJob): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO delivery.delivery_jobs
         (order_id, delivery_id, reservation_id, sku, supplier_sku, quantity, route, idempotency_key, status,
          trace_context)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)
       ON CONFLICT DO NOTHING RETURNING order_id`,
      [
        job.orderId,
        job.deliveryId,
        job.reservationId,
        job.sku,
        job.supplierSku,
        job.quantity,
        job.route,
        job.idempotencyKey,
        JSON.stringify(captureTraceContext()),
      ],
    );
    if (rows.length === 1) await notifyWork(manager, DELIVERY_JOBS_CHANNEL);
    return rows.length === 1;
  }

  /**
   * Claims due jobs and jobs whose lease ran out (their worker died): SKIP LOCKED so instances never
   * claim the same row, a fresh claim token so a late finisher of the old lease is recognised, and the
   * attempt counted at claim time so a crash loop still reaches the attempt limit.
   */
  async claimDue(manager: EntityManager, limit: number, leaseMs: number): Promise<DeliveryJob[]> {
    const result: unknown = await manager.query(
      `UPDATE delivery.delivery_jobs j
       SET status = 'in_progress', attempts = j.attempts + 1, claim_token = gen_random_uuid(),
           lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
           updated_at = clock_timestamp()
       WHERE j.order_id IN (
         SELECT order_id FROM delivery.delivery_jobs
         WHERE (status = 'pending' AND next_attempt_at <= clock_timestamp())
            OR (status = 'in_progress' AND lease_until < clock_timestamp())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING j.*`,
      [limit, leaseMs],
    );
    return returnedRows<JobRow>(result).map(toJob);
  }

  /**
   * How long until the next job falls due: a pending retry, or a lease that runs out (its worker died).
   * Undefined when nothing is queued at all.
   */
  async nextDueInMs(manager: EntityManager): Promise<number | undefined> {
    const [row]: Array<{ ms: number | null }> = await manager.query(
      `SELECT (EXTRACT(EPOCH FROM min(due) - clock_timestamp()) * 1000)::float8 AS ms FROM (
         SELECT min(next_attempt_at) AS due FROM delivery.delivery_jobs WHERE status = 'pending'
         UNION ALL
         SELECT min(lease_until) FROM delivery.delivery_jobs WHERE status = 'in_progress') d`,
    );
    return row?.ms ?? undefined;
  }

  /** The running worker's heartbeat: keeps its claims while slow attempts are still under way. */
  async extendLeases(
    manager: EntityManager,
    claims: Array<{ orderId: string; claimToken: string }>,
    leaseMs: number,
  ): Promise<void> {
    if (claims.length === 0) return;
    await manager.query(
      `UPDATE delivery.delivery_jobs j
       SET lease_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
       FROM unnest($1::uuid[], $2::uuid[]) AS c(order_id, claim_token)
       WHERE j.order_id = c.order_id AND j.claim_token = c.claim_token AND j.status = 'in_progress'`,
      [claims.map((c) => c.orderId), claims.map((c) => c.claimToken), leaseMs],
    );
  }

  /**
   * Recorded (and committed) before the first call to a supplier: a crash leaves it to be asked. Many
   * jobs' marks in one statement (the worker starts a tick's purchases together).
   */
  async noteStarted(
    manager: EntityManager,
    marks: Array<{ orderId: string; supplierId: string }>,
  ): Promise<void> {
    if (marks.length === 0) return;
    await manager.query(
      `UPDATE delivery.delivery_jobs j SET started_suppliers = array_append(j.started_suppliers, m.supplier_id)
       FROM (SELECT DISTINCT * FROM unnest($1::uuid[], $2::text[]) AS u(order_id, supplier_id)) m
       WHERE j.order_id = m.order_id AND NOT (m.supplier_id = ANY (j.started_suppliers))`,
      [marks.map((m) => m.orderId), marks.map((m) => m.supplierId)],
    );
  }

  /** The job, locked, if this claim still owns it; undefined when another worker took it over. */
  async lockOwned(
    manager: EntityManager,
    orderId: string,
    claimToken: string,
  ): Promise<DeliveryJob | undefined> {
    const rows: JobRow[] = await manager.query(
      `SELECT * FROM delivery.delivery_jobs
       WHERE order_id = $1 AND claim_token = $2 AND status = 'in_progress' FOR UPDATE`,
      [orderId, claimToken],
    );
    return rows[0] && toJob(rows[0]);
  }

  async find(manager: EntityManager, orderId: string): Promise<DeliveryJob | undefined> {
    const rows: JobRow[] = await manager.query(`SELECT * FROM delivery.delivery_jobs WHERE order_id = $1`, [
      orderId,
    ]);
    return rows[0] && toJob(rows[0]);
  }

  async addSwitches(manager: EntityManager, orderId: string, switches: SupplierSwitch[]): Promise<void> {
    if (switches.length === 0) return;
    await manager.query(
      `UPDATE delivery.delivery_jobs SET switches = switches || $2::jsonb WHERE order_id = $1`,
      [orderId, JSON.stringify(switches)],
    );
  }

  async finish(
    manager: EntityManager,
    orderId: string,
    status: 'succeeded' | 'failed',
    error: string | null,
  ) {
    await manager.query(
      `UPDATE delivery.delivery_jobs SET status = $2, last_error = $3, lease_until = NULL, claim_token = NULL,
         updated_at = clock_timestamp() WHERE order_id = $1`,
      [orderId, status, error],
    );
  }

  async reschedule(
    manager: EntityManager,
    orderId: string,
    nextAttemptAt: string,
    error: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE delivery.delivery_jobs SET status = 'pending', next_attempt_at = $2, last_error = $3,
         lease_until = NULL, claim_token = NULL, updated_at = clock_timestamp() WHERE order_id = $1`,
      [orderId, nextAttemptAt, error],
    );
  }

  /**
   * A failed job back in the queue with a fresh attempt budget. Only the first of concurrent requests
   * finds it 'failed'; the others see it pending already and change nothing.
   */
  async requeueFailed(manager: EntityManager, orderId: string): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE delivery.delivery_jobs SET status = 'pending', attempts = 0, requeues = requeues + 1,
         next_attempt_at = clock_timestamp(), updated_at = clock_timestamp()
       WHERE order_id = $1 AND status = 'failed' RETURNING order_id`,
      [orderId],
    );
    const requeued = returnedRows(result).length === 1;
    if (requeued) await notifyWork(manager, DELIVERY_JOBS_CHANNEL);
    return requeued;
  }
}

interface JobRow {
  order_id: string;
  delivery_id: string;
  reservation_id: string;
  sku: string;
  supplier_sku: string | null;
  quantity: number;
  route: string[];
  idempotency_key: string;
  status: JobStatus;
  attempts: number;
  next_attempt_at: Date;
  claim_token: string | null;
  started_suppliers: string[];
  switches: SupplierSwitch[];
  last_error: string | null;
  requeues: number;
  created_at: Date;
  trace_context: TraceCarrier | null;
}

function toJob(row: JobRow): DeliveryJob {
  return {
    orderId: row.order_id,
    deliveryId: row.delivery_id,
    reservationId: row.reservation_id,
    sku: row.sku,
    supplierSku: row.supplier_sku,
    quantity: row.quantity,
    route: row.route,
    idempotencyKey: row.idempotency_key,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at).toISOString(),
    claimToken: row.claim_token,
    startedSuppliers: row.started_suppliers,
    switches: row.switches,
    lastError: row.last_error,
    requeues: row.requeues,
    createdAt: new Date(row.created_at).toISOString(),
    traceContext: row.trace_context ?? {},
  };
}
