import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { returnedRows } from '@keyflow/service-kit';

export type ReconciledOutcome = 'sold' | 'not-sold';

export interface AbandonedPurchase {
  orderId: string;
  supplierId: string;
  /** What to quote to the supplier: the purchase's idempotency key. */
  idempotencyKey: string;
  abandonedAt: string;
  reconciledAt: string | null;
  reconciledBy: string | null;
  outcome: string | null;
  note: string | null;
}

interface Row {
  order_id: string;
  supplier_id: string;
  idempotency_key: string;
  abandoned_at: Date;
  reconciled_at: Date | null;
  reconciled_by: string | null;
  outcome: string | null;
  note: string | null;
}

const COLUMNS =
  'order_id, supplier_id, idempotency_key, abandoned_at, reconciled_at, reconciled_by, outcome, note';

/** Purchases given up on after an unknown outcome, and their reconciliation with the supplier. */
@Injectable()
export class AbandonedPurchaseRepository {
  /** Open ones oldest first (the longest unreconciled on top); reconciled ones latest first. */
  async list(
    manager: EntityManager,
    state: 'open' | 'reconciled',
    limit: number,
    offset: number,
  ): Promise<AbandonedPurchase[]> {
    const rows: Row[] = await manager.query(
      state === 'open'
        ? `SELECT ${COLUMNS} FROM delivery.abandoned_purchases WHERE reconciled_at IS NULL
            ORDER BY abandoned_at, order_id, supplier_id LIMIT $1 OFFSET $2`
        : `SELECT ${COLUMNS} FROM delivery.abandoned_purchases WHERE reconciled_at IS NOT NULL
            ORDER BY reconciled_at DESC, order_id, supplier_id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map(toPurchase);
  }

  async find(
    manager: EntityManager,
    orderId: string,
    supplierId: string,
  ): Promise<AbandonedPurchase | undefined> {
    const [row]: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM delivery.abandoned_purchases WHERE order_id = $1 AND supplier_id = $2`,
      [orderId, supplierId],
    );
    return row ? toPurchase(row) : undefined;
  }

  /** Marks it reconciled unless it already is (one statement, so two operators cannot both do it). */
  async reconcile(
    manager: EntityManager,
    key: { orderId: string; supplierId: string },
    by: { outcome: ReconciledOutcome; note: string; reconciledBy: string },
  ): Promise<AbandonedPurchase | undefined> {
    const rows = returnedRows<Row>(
      await manager.query(
        `UPDATE delivery.abandoned_purchases
          SET reconciled_at = clock_timestamp(), reconciled_by = $3, outcome = $4, note = $5
        WHERE order_id = $1 AND supplier_id = $2 AND reconciled_at IS NULL
        RETURNING ${COLUMNS}`,
        [key.orderId, key.supplierId, by.reconciledBy, by.outcome, by.note],
      ),
    );
    return rows[0] ? toPurchase(rows[0]) : undefined;
  }
}

function toPurchase(row: Row): AbandonedPurchase {
  return {
    orderId: row.order_id,
    supplierId: row.supplier_id,
    idempotencyKey: row.idempotency_key,
    abandonedAt: new Date(row.abandoned_at).toISOString(),
    reconciledAt: row.reconciled_at ? new Date(row.reconciled_at).toISOString() : null,
    reconciledBy: row.reconciled_by,
    outcome: row.outcome,
    note: row.note,
  };
}
