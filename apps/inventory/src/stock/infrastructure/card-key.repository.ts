import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { returnedRows } from '@keyflow/service-kit';

export interface NewCardKey {
  keyId: string;
  fingerprint: Buffer;
  ciphertext: Buffer;
}

export interface ReservedCardKey {
  keyId: string;
  batchId: string;
  ciphertext: Buffer;
}

/** The encrypted key pool. Rows hold ciphertext and fingerprints only; nothing here sees plaintext. */
@Injectable()
export class CardKeyRepository {
  /** Which of these fingerprints are already in the pool (hex), for the duplicate report. */
  async existingFingerprints(manager: EntityManager, fingerprints: Buffer[]): Promise<Set<string>> {
    if (fingerprints.length === 0) return new Set();
    const rows: Array<{ fingerprint: Buffer }> = await manager.query(
      `SELECT fingerprint FROM "inventory".card_keys WHERE fingerprint = ANY($1::bytea[])`,
      [fingerprints],
    );
    return new Set(rows.map((row) => row.fingerprint.toString('hex')));
  }

  /**
   * Inserts keys, skipping any whose fingerprint is already stored (a concurrent import may have added
   * it since the duplicate check). Returns the fingerprints (hex) actually inserted.
   */
  async insertMany(
    manager: EntityManager,
    sku: string,
    batchId: string,
    keys: NewCardKey[],
  ): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: Array<{ fingerprint: Buffer }> = await manager.query(
      `INSERT INTO "inventory".card_keys (key_id, sku, batch_id, fingerprint, ciphertext)
       SELECT k.key_id, $1, $2, k.fingerprint, k.ciphertext
       FROM unnest($3::uuid[], $4::bytea[], $5::bytea[]) AS k (key_id, fingerprint, ciphertext)
       ON CONFLICT ON CONSTRAINT card_keys_fingerprint_unique DO NOTHING
       RETURNING fingerprint`,
      [sku, batchId, keys.map((k) => k.keyId), keys.map((k) => k.fingerprint), keys.map((k) => k.ciphertext)],
    );
    return new Set(rows.map((row) => row.fingerprint.toString('hex')));
  }

  /**
   * Takes up to `quantity` available keys for a reservation in one statement. FOR UPDATE SKIP LOCKED lets
   * concurrent reservations pick different keys instead of queueing on (or double-taking) the same ones.
   * Keys of batches this deployment cannot open (`unopenableBatchIds`, see UnopenableBatches) are never
   * promised to a buyer, who would otherwise wait on a commit that cannot succeed.
   */
  async reserve(
    manager: EntityManager,
    sku: string,
    reservationId: string,
    quantity: number,
    unopenableBatchIds: readonly string[],
  ): Promise<string[]> {
    const rows = returnedRows<{ key_id: string }>(
      await manager.query(
        `WITH picked AS (
           SELECT key_id FROM "inventory".card_keys
           WHERE sku = $1 AND status = 'available'
             AND NOT (batch_id = ANY($4::uuid[]))
           ORDER BY created_at, key_id
           LIMIT $3
           FOR UPDATE SKIP LOCKED
         )
         UPDATE "inventory".card_keys k
         SET status = 'reserved', reservation_id = $2, updated_at = now()
         FROM picked WHERE k.key_id = picked.key_id
         RETURNING k.key_id`,
        [sku, reservationId, quantity, unopenableBatchIds],
      ),
    );
    return rows.map((row) => row.key_id);
  }

  /**
   * Available keys of a SKU, counted up to `upTo`: the low-stock alarm only needs to know whether fewer
   * than its threshold are left, and this reads at most that many index entries however big the pool is.
   */
  async countAvailable(manager: EntityManager, sku: string, upTo: number): Promise<number> {
    const rows: Array<{ n: number }> = await manager.query(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM "inventory".card_keys WHERE sku = $1 AND status = 'available' LIMIT $2
       ) capped`,
      [sku, upTo],
    );
    return rows[0]!.n;
  }

  /** Puts a reservation's keys back into the pool; returns how many. */
  async unreserve(manager: EntityManager, reservationId: string): Promise<number> {
    const rows = returnedRows(
      await manager.query(
        `UPDATE "inventory".card_keys SET status = 'available', reservation_id = NULL, updated_at = now()
         WHERE reservation_id = $1 AND status = 'reserved'
         RETURNING key_id`,
        [reservationId],
      ),
    );
    return rows.length;
  }

  async lockReserved(manager: EntityManager, reservationId: string): Promise<ReservedCardKey[]> {
    const rows: Array<{ key_id: string; batch_id: string; ciphertext: Buffer }> = await manager.query(
      `SELECT key_id, batch_id, ciphertext FROM "inventory".card_keys
       WHERE reservation_id = $1 AND status = 'reserved'
       ORDER BY key_id
       FOR UPDATE`,
      [reservationId],
    );
    return rows.map((row) => ({ keyId: row.key_id, batchId: row.batch_id, ciphertext: row.ciphertext }));
  }

  async markSold(manager: EntityManager, reservationId: string, orderId: string): Promise<void> {
    await manager.query(
      `UPDATE "inventory".card_keys SET status = 'sold', sold_to_order = $2, updated_at = now()
       WHERE reservation_id = $1 AND status = 'reserved'`,
      [reservationId, orderId],
    );
  }
}
