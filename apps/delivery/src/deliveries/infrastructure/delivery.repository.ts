import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type EncryptedKey } from './key-cipher';

export interface DeliveryRecord {
  deliveryId: string;
  orderId: string;
  source: 'pool' | 'supplier';
  servedBy: string;
  supplierOrderId: string | null;
  itemCount: number;
  attempts: number;
  deliveredAt: string;
}

export interface StoredKey extends EncryptedKey {
  keyId: string;
}

/** Deliveries (one per order) and their keys, encrypted; plaintext never reaches this class. */
@Injectable()
export class DeliveryRepository {
  /** false when the order was delivered already: the unique order_id refuses a second delivery. */
  async insertIfNew(manager: EntityManager, delivery: DeliveryRecord, keys: StoredKey[]): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO delivery.deliveries
         (delivery_id, order_id, source, served_by, supplier_order_id, item_count, attempts, delivered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (order_id) DO NOTHING RETURNING delivery_id`,
      [
        delivery.deliveryId,
        delivery.orderId,
        delivery.source,
        delivery.servedBy,
        delivery.supplierOrderId,
        delivery.itemCount,
        delivery.attempts,
        delivery.deliveredAt,
      ],
    );
    if (rows.length === 0) return false;
    for (const [position, key] of keys.entries()) {
      await manager.query(
        `INSERT INTO delivery.delivered_keys
           (delivery_id, position, key_id, encryption_key_id, iv, tag, ciphertext)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [delivery.deliveryId, position, key.keyId, key.encryptionKeyId, key.iv, key.tag, key.ciphertext],
      );
    }
    return true;
  }

  async findByOrder(manager: EntityManager, orderId: string): Promise<DeliveryRecord | undefined> {
    const rows: DeliveryRow[] = await manager.query(`SELECT * FROM delivery.deliveries WHERE order_id = $1`, [
      orderId,
    ]);
    const row = rows[0];
    return (
      row && {
        deliveryId: row.delivery_id,
        orderId: row.order_id,
        source: row.source,
        servedBy: row.served_by,
        supplierOrderId: row.supplier_order_id,
        itemCount: row.item_count,
        attempts: row.attempts,
        deliveredAt: new Date(row.delivered_at).toISOString(),
      }
    );
  }

  async keysOf(manager: EntityManager, deliveryId: string): Promise<StoredKey[]> {
    const rows: KeyRow[] = await manager.query(
      `SELECT * FROM delivery.delivered_keys WHERE delivery_id = $1 ORDER BY position`,
      [deliveryId],
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      encryptionKeyId: row.encryption_key_id,
      iv: row.iv,
      tag: row.tag,
      ciphertext: row.ciphertext,
    }));
  }
}

interface DeliveryRow {
  delivery_id: string;
  order_id: string;
  source: 'pool' | 'supplier';
  served_by: string;
  supplier_order_id: string | null;
  item_count: number;
  attempts: number;
  delivered_at: Date;
}

interface KeyRow {
  key_id: string;
  encryption_key_id: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}
