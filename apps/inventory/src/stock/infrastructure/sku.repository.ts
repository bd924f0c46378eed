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

/** SKU definitions, supplier counters and the low-stock alarm, on the caller's transaction. */
@Injectable()
export class SkuRepository {
  async find(manager: EntityManager, sku: string, { lock = false } = {}): Promise<SkuRecord | undefined> {
    const rows: SkuRow[] = await manager.query(
      `SELECT * FROM "inventory".skus WHERE sku = $1 ${lock ? 'FOR UPDATE' : ''}`,
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
   * Reserves supplier stock in one conditional UPDATE: the row lock and the limit check are the same
   * statement, so concurrent orders can never together exceed the limit. Unlimited SKUs always fit.
   */
  async reserveSupplier(manager: EntityManager, sku: string, quantity: number): Promise<boolean> {
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
    await manager.query(
      `UPDATE "inventory".skus SET supplier_reserved = supplier_reserved - $2, updated_at = now()
       WHERE sku = $1`,
      [sku, quantity],
    );
  }

  async commitSupplier(manager: EntityManager, sku: string, quantity: number): Promise<void> {
    await manager.query(
      `UPDATE "inventory".skus
       SET supplier_reserved = supplier_reserved - $2, supplier_sold = supplier_sold + $2, updated_at = now()
       WHERE sku = $1`,
      [sku, quantity],
    );
  }

  async setLowStockArmed(manager: EntityManager, sku: string, armed: boolean): Promise<void> {
    await manager.query(`UPDATE "inventory".skus SET low_stock_armed = $2 WHERE sku = $1`, [sku, armed]);
  }

  /** Stock levels per SKU (one SKU, or all): pool counts from the keys, supplier counts from the row. */
  async levels(manager: EntityManager, sku?: string): Promise<StockLevel[]> {
    const rows: LevelRow[] = await manager.query(
      `SELECT s.sku, s.source, s.low_stock_threshold,
         CASE WHEN s.source = 'pool' THEN coalesce(k.available, 0)
              WHEN s.supplier_stock_limit IS NULL THEN NULL
              ELSE s.supplier_stock_limit - s.supplier_reserved - s.supplier_sold END AS available,
         CASE WHEN s.source = 'pool' THEN coalesce(k.reserved, 0) ELSE s.supplier_reserved END AS reserved,
         CASE WHEN s.source = 'pool' THEN coalesce(k.sold, 0) ELSE s.supplier_sold END AS sold
       FROM "inventory".skus s
       LEFT JOIN LATERAL (
         SELECT count(*) FILTER (WHERE status = 'available')::int AS available,
                count(*) FILTER (WHERE status = 'reserved')::int AS reserved,
                count(*) FILTER (WHERE status = 'sold')::int AS sold
         FROM "inventory".card_keys c WHERE c.sku = s.sku AND s.source = 'pool'
       ) k ON true
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
