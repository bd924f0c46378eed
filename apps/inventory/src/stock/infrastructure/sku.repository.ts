import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type StockSource } from '@keyflow/contracts';

import { type SkuDefinition } from '../domain/sku-definition';
import { returnedRows } from '@keyflow/service-kit';

export interface SkuRecord extends SkuDefinition {
  supplierReserved: number;
  supplierSold: number;
  lowStockArmed: boolean;
}

export interface StockLevel {
  sku: string;
  source: StockSource;
  /** null: unlimited (a supplier SKU without a limit). */
  available: number | null;
  reserved: number;
  sold: number;
  lowStockThreshold: number;
  low: boolean;
}

/**
 * How a SKU row is read. `update` keeps out everything, orders' shared KEY SHARE locks included (an operator
 * redefining the SKU); `no key update` keeps out only other writers of the row (the low-stock alarm, limited
 * supplier reservations), so orders of unlimited SKUs go on meanwhile.
 */
export type SkuLock = 'update' | 'no key update';

/**
 * SKU definitions, supplier counters and the low-stock alarm, on the caller's transaction. The supplier
 * counters are kept only while the SKU has a limit (they are what the limit is checked against); an
 * unlimited SKU's reserved/sold are read from its reservations, so its orders never write its row.
 */
@Injectable()
export class SkuRepository {
  async find(
    manager: EntityManager,
    sku: string,
    { lock }: { lock?: SkuLock } = {},
  ): Promise<SkuRecord | undefined> {
    const rows: SkuRow[] = await manager.query(
      `SELECT * FROM "inventory".skus WHERE sku = $1 ${lock ? `FOR ${lock.toUpperCase()}` : ''}`,
      [sku],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(manager: EntityManager): Promise<SkuRecord[]> {
    const rows: SkuRow[] = await manager.query(`SELECT * FROM "inventory".skus ORDER BY sku`);
    return rows.map(toRecord);
  }

  async upsert(manager: EntityManager, definition: SkuDefinition): Promise<void> {
    await manager.query(
      `INSERT INTO "inventory".skus (sku, title, source, suppliers, supplier_sku, supplier_stock_limit,
           low_stock_threshold, reservation_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (sku) DO UPDATE SET title = EXCLUDED.title, source = EXCLUDED.source,
         suppliers = EXCLUDED.suppliers, supplier_sku = EXCLUDED.supplier_sku,
         supplier_stock_limit = EXCLUDED.supplier_stock_limit,
         low_stock_threshold = EXCLUDED.low_stock_threshold,
         reservation_seconds = EXCLUDED.reservation_seconds, updated_at = now()`,
      [
        definition.sku,
        definition.title,
        definition.source,
        definition.suppliers,
        definition.supplierSku,
        definition.supplierStockLimit,
        definition.lowStockThreshold,
        definition.reservationSeconds,
      ],
    );
  }

  /**
   * Reserves supplier stock. With a limit: one conditional UPDATE, so the row lock and the limit check are
   * the same statement and concurrent orders can never together exceed the limit (they queue on the row).
   * Unlimited SKUs always fit and count nothing on the row (see {@link holdIfUnlimited}).
   */
  async reserveSupplier(manager: EntityManager, sku: string, quantity: number): Promise<boolean> {
    if (await this.holdIfUnlimited(manager, sku)) return true;
    const rows = returnedRows(
      await manager.query(
        `UPDATE "inventory".skus SET supplier_reserved = supplier_reserved + $2, updated_at = now()
         WHERE sku = $1 AND source = 'supplier'
           AND (supplier_stock_limit IS NULL
                OR supplier_stock_limit - supplier_reserved - supplier_sold >= $2)
         RETURNING sku`,
        [sku, quantity],
      ),
    );
    return rows.length === 1;
  }

  async releaseSupplier(manager: EntityManager, sku: string, quantity: number): Promise<void> {
    if (await this.holdIfUnlimited(manager, sku)) return;
    await manager.query(
      `UPDATE "inventory".skus SET supplier_reserved = supplier_reserved - $2, updated_at = now()
       WHERE sku = $1`,
      [sku, quantity],
    );
  }

  async commitSupplier(manager: EntityManager, sku: string, quantity: number): Promise<void> {
    if (await this.holdIfUnlimited(manager, sku)) return;
    await manager.query(
      `UPDATE "inventory".skus
       SET supplier_reserved = supplier_reserved - $2, supplier_sold = supplier_sold + $2, updated_at = now()
       WHERE sku = $1`,
      [sku, quantity],
    );
  }

  /**
   * True for a supplier SKU without a limit, whose orders then change nothing on its row. They take a KEY
   * SHARE lock on it instead, which any number of orders hold at once (no queue, no deadlock between
   * batches) and which only an operator's redefinition (FOR UPDATE) waits for: a limit is never set while
   * an order that counted on there being none is still in flight, and {@link recountSupplier} sees it.
   */
  private async holdIfUnlimited(manager: EntityManager, sku: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM "inventory".skus
       WHERE sku = $1 AND source = 'supplier' AND supplier_stock_limit IS NULL
       FOR KEY SHARE`,
      [sku],
    );
    return rows.length === 1;
  }

  /**
   * Sets a supplier SKU's counters from its reservations: they are not kept while it has no limit, and
   * must be right once it has one. The caller holds the row FOR UPDATE, so no order is in flight.
   */
  async recountSupplier(manager: EntityManager, sku: string): Promise<void> {
    await manager.query(
      `UPDATE "inventory".skus s
       SET supplier_reserved = r.reserved, supplier_sold = r.sold
       FROM (
         SELECT coalesce(sum(quantity) FILTER (WHERE status = 'active'), 0)::int AS reserved,
                coalesce(sum(quantity) FILTER (WHERE status = 'committed'), 0)::int AS sold
         FROM "inventory".reservations WHERE sku = $1 AND source = 'supplier'
       ) r
       WHERE s.sku = $1`,
      [sku],
    );
  }

  async setLowStockArmed(manager: EntityManager, sku: string, armed: boolean): Promise<void> {
    await manager.query(`UPDATE "inventory".skus SET low_stock_armed = $2 WHERE sku = $1`, [sku, armed]);
  }

  /**
   * Stock levels per SKU (one SKU, or all): pool counts from the keys, supplier counts from the row when
   * the SKU has a limit, else from its reservations (an unlimited SKU's orders do not count on the row).
   */
  async levels(manager: EntityManager, sku?: string): Promise<StockLevel[]> {
    const rows: LevelRow[] = await manager.query(
      `SELECT s.sku, s.source, s.low_stock_threshold,
         CASE WHEN s.source = 'pool' THEN coalesce(k.available, 0)
              WHEN s.supplier_stock_limit IS NULL THEN NULL
              ELSE s.supplier_stock_limit - s.supplier_reserved - s.supplier_sold END AS available,
         CASE WHEN s.source = 'pool' THEN coalesce(k.reserved, 0)
              WHEN s.supplier_stock_limit IS NULL THEN coalesce(r.reserved, 0)
              ELSE s.supplier_reserved END AS reserved,
         CASE WHEN s.source = 'pool' THEN coalesce(k.sold, 0)
              WHEN s.supplier_stock_limit IS NULL THEN coalesce(r.sold, 0)
              ELSE s.supplier_sold END AS sold
       FROM "inventory".skus s
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE status = 'available')::int AS available,
                count(*) FILTER (WHERE status = 'reserved')::int AS reserved,
                count(*) FILTER (WHERE status = 'sold')::int AS sold
         FROM "inventory".card_keys c WHERE c.sku = s.sku AND s.source = 'pool'
       ) k ON true
       LEFT JOIN LATERAL (
         SELECT sum(quantity) FILTER (WHERE status = 'active')::int AS reserved,
                sum(quantity) FILTER (WHERE status = 'committed')::int AS sold
         FROM "inventory".reservations r
         WHERE r.sku = s.sku AND r.source = 'supplier'
           AND s.source = 'supplier' AND s.supplier_stock_limit IS NULL
       ) r ON true
       WHERE $1::text IS NULL OR s.sku = $1
       ORDER BY s.sku`,
      [sku ?? null],
    );
    return rows.map((row) => ({
      sku: row.sku,
      source: row.source,
      available: row.available,
      reserved: row.reserved,
      sold: row.sold,
      lowStockThreshold: row.low_stock_threshold,
      low: row.available !== null && row.available < row.low_stock_threshold,
    }));
  }
}

interface SkuRow {
  sku: string;
  title: string | null;
  source: StockSource;
  suppliers: string[];
  supplier_sku: string | null;
  supplier_stock_limit: number | null;
  supplier_reserved: number;
  supplier_sold: number;
  low_stock_threshold: number;
  low_stock_armed: boolean;
  reservation_seconds: number | null;
}

interface LevelRow {
  sku: string;
  source: StockSource;
  low_stock_threshold: number;
  available: number | null;
  reserved: number;
  sold: number;
}

function toRecord(row: SkuRow): SkuRecord {
  return {
    sku: row.sku,
    title: row.title,
    source: row.source,
    suppliers: row.suppliers,
    supplierSku: row.supplier_sku,
    supplierStockLimit: row.supplier_stock_limit,
    lowStockThreshold: row.low_stock_threshold,
    reservationSeconds: row.reservation_seconds,
    supplierReserved: row.supplier_reserved,
    supplierSold: row.supplier_sold,
    lowStockArmed: row.low_stock_armed,
  };
}
