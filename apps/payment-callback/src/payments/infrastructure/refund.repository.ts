import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type TraceCarrier } from '@keyflow/messaging';

import { type Amount } from '../domain/money';
import { type ProviderKind } from '../domain/provider-kind';
import { notifyWork, returnedRows, workChannel } from '@keyflow/service-kit';

export interface RefundJob {
  orderId: string;
  paymentId: string;
  provider: ProviderKind;
  amount: Amount;
  reason: string;
  idempotencyKey: string;
  traceContext: TraceCarrier;
  attempts: number;
}

const T = `"payments".refunds`;
const COLUMNS = `order_id, payment_id, provider, amount_minor, currency, reason, idempotency_key, trace_context, attempts`;

/** Where refunds to make are announced, so every replica's refund worker starts at once. */
export const REFUNDS_CHANNEL = workChannel('payments', 'refunds');

/** Raw SQL over payments.refunds: one job per order, claimed with SKIP LOCKED and a lease like intents. */
@Injectable()
export class RefundRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    job: Omit<RefundJob, 'attempts'>,
    status: 'pending' | 'refused',
    note?: string,
  ) {
    await manager.query(
      `INSERT INTO ${T} (order_id, payment_id, provider, amount_minor, currency, reason, idempotency_key, status,
         trace_context, next_attempt_at, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 = 'pending' THEN now() END, $10)
       ON CONFLICT (order_id) DO NOTHING`,
      [
        job.orderId,
        job.paymentId,
        job.provider,
        job.amount.amountMinor,
        job.amount.currency,
        job.reason.slice(0, 500),
        job.idempotencyKey,
        status,
        JSON.stringify(job.traceContext),
        note ?? null,
      ],
    );
    if (status === 'pending') await notifyWork(manager, REFUNDS_CHANNEL);
  }

  /** How long until the next pending refund (a retry, a lease) falls due; undefined if none. */
  async nextDueInMs(): Promise<number | undefined> {
    const [row]: Array<{ ms: number | null }> = await this.dataSource.query(
      `SELECT (EXTRACT(EPOCH FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms FROM ${T}
       WHERE status = 'pending'`,
    );
    return row?.ms ?? undefined;
  }

  async claimDue(limit: number, leaseSeconds: number): Promise<RefundJob[]> {
    const rows = returnedRows<RawRefund>(
      await this.dataSource.query(
        `UPDATE ${T} SET next_attempt_at = now() + make_interval(secs => $2), attempts = attempts + 1
       WHERE order_id IN (SELECT order_id FROM ${T} WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
        [limit, leaseSeconds],
      ),
    );
    return rows.map((row) => ({
      orderId: row.order_id,
      paymentId: row.payment_id,
      provider: row.provider,
      amount: { amountMinor: Number(row.amount_minor), currency: row.currency },
      reason: row.reason,
      idempotencyKey: row.idempotency_key,
      traceContext: row.trace_context ?? {},
      attempts: row.attempts,
    }));
  }

  /** True when this call moved the job to refunded (so exactly one PaymentRefunded is appended). */
  async markRefunded(manager: EntityManager, orderId: string, providerRefundId: string, refundedAt: string) {
    const rows = returnedRows(
      await manager.query(
        `UPDATE ${T} SET status = 'refunded', provider_refund_id = $2, refunded_at = $3, next_attempt_at = NULL,
         last_error = NULL WHERE order_id = $1 AND status = 'pending' RETURNING order_id`,
        [orderId, providerRefundId, refundedAt],
      ),
    );
    return rows.length === 1;
  }

  async retryLater(orderId: string, delaySeconds: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE order_id = $1`,
      [orderId, delaySeconds, error.slice(0, 500)],
    );
  }

  async refuse(orderId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${T} SET status = 'refused', next_attempt_at = NULL, last_error = $2 WHERE order_id = $1`,
      [orderId, error.slice(0, 500)],
    );
  }
}

interface RawRefund {
  order_id: string;
  payment_id: string;
  provider: ProviderKind;
  amount_minor: string;
  currency: string;
  reason: string;
  idempotency_key: string;
  trace_context: TraceCarrier;
  attempts: number;
}
