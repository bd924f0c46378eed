import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type WrappedDataKey } from './crypto/envelope-cipher';

export interface NewKeyBatch {
  batchId: string;
  sku: string;
  wrapped: WrappedDataKey;
  origin: 'api' | 'cli';
  label: string | null;
  importedBy: string | null;
}

export interface ImportCounts {
  received: number;
  imported: number;
  duplicatesInBatch: number;
  duplicatesInPool: number;
}

export interface ImportHistoryEntry extends ImportCounts {
  batchId: string;
  sku: string;
  origin: string;
  label: string | null;
  importedBy: string | null;
  masterKeyId: string;
  importedAt: string;
  rewrappedAt: string | null;
}

/** Import batches: each one's wrapped data key (with its master key id) and the import history. */
@Injectable()
export class KeyBatchRepository {
  async insert(manager: EntityManager, batch: NewKeyBatch): Promise<void> {
    await manager.query(
      `INSERT INTO "inventory".key_batches (batch_id, sku, master_key_id, wrapped_data_key, origin, label, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        batch.batchId,
        batch.sku,
        batch.wrapped.masterKeyId,
        batch.wrapped.wrapped,
        batch.origin,
        batch.label,
        batch.importedBy,
      ],
    );
  }

  async recordCounts(manager: EntityManager, batchId: string, counts: ImportCounts): Promise<void> {
    await manager.query(
      `UPDATE "inventory".key_batches
       SET received = $2, imported = $3, duplicates_in_batch = $4, duplicates_in_pool = $5
       WHERE batch_id = $1`,
      [batchId, counts.received, counts.imported, counts.duplicatesInBatch, counts.duplicatesInPool],
    );
  }

  async wrappedKeys(manager: EntityManager, batchIds: string[]): Promise<Map<string, WrappedDataKey>> {
    const rows: Array<{ batch_id: string; master_key_id: string; wrapped_data_key: Buffer }> =
      await manager.query(
        `SELECT batch_id, master_key_id, wrapped_data_key FROM "inventory".key_batches
         WHERE batch_id = ANY($1::uuid[])`,
        [batchIds],
      );
    return new Map(
      rows.map((row) => [row.batch_id, { masterKeyId: row.master_key_id, wrapped: row.wrapped_data_key }]),
    );
  }

  /** Batches still wrapped under another master key, locked so concurrent re-wraps split the work. */
  async lockNotWrappedWith(
    manager: EntityManager,
    masterKeyId: string,
    limit: number,
  ): Promise<Array<{ batchId: string; wrapped: WrappedDataKey }>> {
    const rows: Array<{ batch_id: string; master_key_id: string; wrapped_data_key: Buffer }> =
      await manager.query(
        `SELECT batch_id, master_key_id, wrapped_data_key FROM "inventory".key_batches
         WHERE master_key_id <> $1
         ORDER BY created_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [masterKeyId, limit],
      );
    return rows.map((row) => ({
      batchId: row.batch_id,
      wrapped: { masterKeyId: row.master_key_id, wrapped: row.wrapped_data_key },
    }));
  }

  async replaceWrapped(manager: EntityManager, batchId: string, wrapped: WrappedDataKey): Promise<void> {
    await manager.query(
      `UPDATE "inventory".key_batches SET master_key_id = $2, wrapped_data_key = $3, rewrapped_at = now()
       WHERE batch_id = $1`,
      [batchId, wrapped.masterKeyId, wrapped.wrapped],
    );
  }

  async countByMasterKey(manager: EntityManager): Promise<Record<string, number>> {
    const rows: Array<{ master_key_id: string; n: number }> = await manager.query(
      `SELECT master_key_id, count(*)::int AS n FROM "inventory".key_batches GROUP BY master_key_id`,
    );
    return Object.fromEntries(rows.map((row) => [row.master_key_id, row.n]));
  }

  async history(
    manager: EntityManager,
    sku: string | undefined,
    limit: number,
  ): Promise<ImportHistoryEntry[]> {
    const rows: HistoryRow[] = await manager.query(
      `SELECT * FROM "inventory".key_batches WHERE $1::text IS NULL OR sku = $1
       ORDER BY created_at DESC LIMIT $2`,
      [sku ?? null, limit],
    );
    return rows.map((row) => ({
      batchId: row.batch_id,
      sku: row.sku,
      origin: row.origin,
      label: row.label,
      importedBy: row.imported_by,
      masterKeyId: row.master_key_id,
      received: row.received,
      imported: row.imported,
      duplicatesInBatch: row.duplicates_in_batch,
      duplicatesInPool: row.duplicates_in_pool,
      importedAt: new Date(row.created_at).toISOString(),
      rewrappedAt: row.rewrapped_at ? new Date(row.rewrapped_at).toISOString() : null,
    }));
  }
}

interface HistoryRow {
  batch_id: string;
  sku: string;
  origin: string;
  label: string | null;
  imported_by: string | null;
  master_key_id: string;
  received: number;
  imported: number;
  duplicates_in_batch: number;
  duplicates_in_pool: number;
  created_at: Date;
  rewrapped_at: Date | null;
}
