import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type TraceCarrier } from '@keyflow/messaging';

import { type IntentStatus, type PaymentIntentState } from '../domain/payment-intent';
import { type ProviderKind } from '../domain/provider-kind';
import { notifyWork, returnedRows, workChannel } from '@keyflow/service-kit';

export interface NewIntent {
  orderId: string;
  paymentId: string;
  provider: ProviderKind;
  amountMinor: number;
  currency: string;
  expiresAt: string;
  traceContext: TraceCarrier;
}

export interface IntentRow extends PaymentIntentState {
  cashierUrl: string | null;
  traceContext: TraceCarrier;
  rejectionReason: string | null;
  attempts: number;
}

const T = `"payments".payment_intents`;
const COLUMNS = `order_id, payment_id, provider, amount_minor, currency, expires_at, status, provider_trade_no,
  cashier_url, trace_context, rejection_reason, creation_attempts, query_attempts`;

/** Where new intents are announced, so every replica's creation worker starts at once. */
export const INTENT_CREATION_CHANNEL = workChannel('payments', 'creation');

/** Raw SQL over payments.payment_intents; every write takes the caller's transaction. */
@Injectable()
export class PaymentIntentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts the intent for the creation worker to take after `workerAfterSeconds` (a buyer's pay URL may
   * claim it before); false when the order already has one (opened by the pay URL, or a redelivery).
   */
  async insert(manager: EntityManager, intent: NewIntent, workerAfterSeconds: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO ${T} (order_id, payment_id, provider, amount_minor, currency, expires_at, status, trace_context,
         next_creation_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending-creation', $7, now() + make_interval(secs => $8))
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [
        intent.orderId,
        intent.paymentId,
        intent.provider,
        intent.amountMinor,
        intent.currency,
        intent.expiresAt,
        JSON.stringify(intent.traceContext),
        workerAfterSeconds,
      ],
    );
    if (rows.length === 1) await notifyWork(manager, INTENT_CREATION_CHANNEL);
    return rows.length === 1;
  }

  /**
   * Opens the intent already claimed for creation at the provider by the caller (the pay URL's first
   * touch): the lease keeps the creation worker off it while the request calls the provider, and a request
   * that crashes leaves it to the worker once the lease runs out. undefined when the order has an intent.
   */
  async insertClaimed(intent: NewIntent, leaseSeconds: number): Promise<IntentRow | undefined> {
    const [row] = returnedRows<RawIntent>(
      await this.dataSource.query(
        `INSERT INTO ${T} (order_id, payment_id, provider, amount_minor, currency, expires_at, status, trace_context,
           next_creation_at, creation_attempts)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending-creation', $7, now() + make_interval(secs => $8), 1)
         ON CONFLICT (order_id) DO NOTHING RETURNING ${COLUMNS}`,
        [
          intent.orderId,
          intent.paymentId,
          intent.provider,
          intent.amountMinor,
          intent.currency,
          intent.expiresAt,
          JSON.stringify(intent.traceContext),
          leaseSeconds,
        ],
      ),
    );
    return row && toIntent(row, 'creation_attempts');
  }

  /**
   * Claims one order's creation the way the worker claims a batch (lease + attempt in one statement): of a
   * request, the worker and other replicas, exactly one gets the row; undefined for the others. An intent
   * nobody has tried yet is the buyer's to take at once; after a try, only once its lease or backoff ran out.
   */
  async claimOne(orderId: string, leaseSeconds: number): Promise<IntentRow | undefined> {
    const [row] = returnedRows<RawIntent>(
      await this.dataSource.query(
        `UPDATE ${T} SET next_creation_at = now() + make_interval(secs => $2),
           creation_attempts = creation_attempts + 1, updated_at = now()
         WHERE order_id = $1 AND status = 'pending-creation' AND expires_at > now()
           AND (creation_attempts = 0 OR next_creation_at <= now())
         RETURNING ${COLUMNS}`,
        [orderId, leaseSeconds],
      ),
    );
    return row && toIntent(row, 'creation_attempts');
  }

  async find(
    orderId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IntentRow | undefined> {
    const [row]: RawIntent[] = await manager.query(`SELECT ${COLUMNS} FROM ${T} WHERE order_id = $1`, [
      orderId,
    ]);
    return row && toIntent(row, 'creation_attempts');
  }

  /** Locks the intent for the rest of the transaction: concurrent callbacks for one order queue here. */
  async lock(manager: EntityManager, orderId: string): Promise<IntentRow | undefined> {
    const [row]: RawIntent[] = await manager.query(
      `SELECT ${COLUMNS} FROM ${T} WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return row && toIntent(row, 'creation_attempts');
  }

  async markPaid(
    manager: EntityManager,
    orderId: string,
    change: { providerTradeNo: string; paidAt: string; confirmedBy: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE ${T} SET status = 'paid', provider_trade_no = $2, paid_at = $3, confirmed_by = $4,
         next_query_at = NULL, updated_at = now() WHERE order_id = $1`,
      [orderId, change.providerTradeNo, change.paidAt, change.confirmedBy],
    );
  }

  /** The order an earlier payment with this provider transaction id went to, if any. */
  async orderPaidBy(
    manager: EntityManager,
    provider: ProviderKind,
    providerTradeNo: string,
  ): Promise<string | undefined> {
    const [row]: Array<{ order_id: string }> = await manager.query(
      `SELECT order_id FROM ${T} WHERE provider = $1 AND provider_trade_no = $2`,
      [provider, providerTradeNo],
    );
    return row?.order_id;
  }

  async markRejected(manager: EntityManager, orderId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE ${T} SET status = 'rejected', rejection_reason = $2, next_query_at = NULL, updated_at = now()
       WHERE order_id = $1`,
      [orderId, reason],
    );
  }

  /**
   * Claims due intents of one worker with a lease: the due time moves `leaseSeconds` ahead and the attempt
   * counts, in one statement, so a crashed worker's claim simply falls due again.
   */
  async claimDue(
    stage: 'creation' | 'query',
    limit: number,
    leaseSeconds: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IntentRow[]> {
    const status: IntentStatus = stage === 'creation' ? 'pending-creation' : 'awaiting-payment';
    const due = stage === 'creation' ? 'next_creation_at' : 'next_query_at';
    const attempts = stage === 'creation' ? 'creation_attempts' : 'query_attempts';
    const rows = returnedRows<RawIntent>(
      await manager.query(
        `UPDATE ${T} SET ${due} = now() + make_interval(secs => $3), ${attempts} = ${attempts} + 1, updated_at = now()
       WHERE order_id IN (
         SELECT order_id FROM ${T} WHERE status = $1 AND ${due} <= now() AND expires_at > now()
         ORDER BY ${due} LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
        [status, limit, leaseSeconds],
      ),
    );
    return rows.map((row) => toIntent(row, attempts));
  }

  /** How long until the next intent of a stage falls due (retry, lease, scheduled query); undefined if none. */
  async nextDueInMs(stage: 'creation' | 'query', manager: EntityManager): Promise<number | undefined> {
    const status: IntentStatus = stage === 'creation' ? 'pending-creation' : 'awaiting-payment';
    const due = stage === 'creation' ? 'next_creation_at' : 'next_query_at';
    const [row]: Array<{ ms: number | null }> = await manager.query(
      `SELECT (EXTRACT(EPOCH FROM min(${due}) - now()) * 1000)::float8 AS ms FROM ${T}
       WHERE status = $1 AND expires_at > now()`,
      [status],
    );
    return row?.ms ?? undefined;
  }

  /**
   * Cashier URLs are ready: buyers can pay, and each active query is scheduled from now. Many intents in
   * one statement (the creation worker records a tick's successes together).
   */
  async creationSucceeded(
    created: Array<{ orderId: string; providerPaymentId: string; cashierUrl: string }>,
    queryAfterSeconds: number,
  ) {
    if (created.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${T} i SET status = 'awaiting-payment', provider_payment_id = c.provider_payment_id,
         cashier_url = c.cashier_url, last_error = NULL, pay_url_ready_at = now(), next_creation_at = NULL,
         next_query_at = now() + make_interval(secs => $4), updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c(order_id, provider_payment_id, cashier_url)
       WHERE i.order_id = c.order_id AND i.status = 'pending-creation'`,
      [
        created.map((c) => c.orderId),
        created.map((c) => c.providerPaymentId),
        created.map((c) => c.cashierUrl),
        queryAfterSeconds,
      ],
    );
  }

  async retryLater(stage: 'creation' | 'query', orderId: string, delaySeconds: number, error: string | null) {
    const due = stage === 'creation' ? 'next_creation_at' : 'next_query_at';
    await this.dataSource.query(
      `UPDATE ${T} SET ${due} = now() + make_interval(secs => $2), last_error = $3, updated_at = now()
       WHERE order_id = $1`,
      [orderId, delaySeconds, error],
    );
  }

  /** Unpaid intents past their expiry stop being created and queried. */
  async expireOverdue(): Promise<number> {
    const rows = returnedRows(
      await this.dataSource.query(
        `UPDATE ${T} SET status = 'expired', next_creation_at = NULL, next_query_at = NULL, updated_at = now()
       WHERE status IN ('pending-creation', 'awaiting-payment') AND expires_at <= now() RETURNING order_id`,
      ),
    );
    return rows.length;
  }
}

/**
 * Whether a write failed because the provider transaction id already paid another intent (the unique index
 * that keeps one transaction from paying two orders). The caller's transaction is lost; nothing was changed.
 */
export function isTradeNoTaken(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' && driverError.constraint === TRADE_NO_UNIQUE;
}

const TRADE_NO_UNIQUE = 'payment_intents_provider_trade_no_unique';

interface RawIntent {
  order_id: string;
  payment_id: string;
  provider: ProviderKind;
  amount_minor: string;
  currency: string;
  expires_at: Date;
  status: IntentStatus;
  provider_trade_no: string | null;
  cashier_url: string | null;
  trace_context: TraceCarrier;
  rejection_reason: string | null;
  creation_attempts: number;
  query_attempts: number;
}

function toIntent(row: RawIntent, attempts: 'creation_attempts' | 'query_attempts'): IntentRow {
  return {
    orderId: row.order_id,
    paymentId: row.payment_id,
    provider: row.provider,
    expected: { amountMinor: Number(row.amount_minor), currency: row.currency },
    expiresAt: new Date(row.expires_at).toISOString(),
    status: row.status,
    providerTradeNo: row.provider_trade_no,
    cashierUrl: row.cashier_url,
    traceContext: row.trace_context ?? {},
    rejectionReason: row.rejection_reason,
    attempts: row[attempts],
  };
}
