import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The inventory schema's own tables:
 * - skus: how each SKU is stocked (pool or suppliers in failover order, supplier limit and counters),
 *   its low-stock threshold and whether that alarm is armed (so it fires once per crossing).
 * - key_batches: one row per import, holding the batch's data key wrapped by a master key, that key's
 *   id (for rotation) and the import's counts — the import history.
 * - card_keys: the pool; ciphertext under the batch's data key and a keyed HMAC fingerprint (unique, so
 *   no key is stored twice). Never plaintext. A key is available, reserved (reservation_id) or sold.
 * - reservations: one per order (order_id unique: a replayed OrderPlaced cannot reserve twice) with a
 *   durable expires_at swept by the expiry worker (FOR UPDATE SKIP LOCKED).
 * - reservation_keys: which keys each reservation held and when — the audit that no key was ever held
 *   by two orders at once.
 */
export class InventoryTables1733100000000 implements MigrationInterface {
  name = 'InventoryTables1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "inventory".skus (
        sku text PRIMARY KEY,
        title text,
        source text NOT NULL CHECK (source IN ('pool', 'supplier')),
        suppliers text[] NOT NULL DEFAULT '{}',
        supplier_sku text,
        supplier_stock_limit integer CHECK (supplier_stock_limit >= 0),
        supplier_reserved integer NOT NULL DEFAULT 0 CHECK (supplier_reserved >= 0),
        supplier_sold integer NOT NULL DEFAULT 0 CHECK (supplier_sold >= 0),
        low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
        low_stock_armed boolean NOT NULL DEFAULT true,
        reservation_seconds integer CHECK (reservation_seconds > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (source = 'pool' OR cardinality(suppliers) > 0),
        CHECK (supplier_stock_limit IS NULL OR supplier_reserved + supplier_sold <= supplier_stock_limit)
      )`);
    await queryRunner.query(`
      CREATE TABLE "inventory".key_batches (
        batch_id uuid PRIMARY KEY,
        sku text NOT NULL REFERENCES "inventory".skus (sku),
        master_key_id text NOT NULL,
        wrapped_data_key bytea NOT NULL,
        origin text NOT NULL CHECK (origin IN ('api', 'cli')),
        label text,
        imported_by text,
        received integer NOT NULL DEFAULT 0,
        imported integer NOT NULL DEFAULT 0,
        duplicates_in_batch integer NOT NULL DEFAULT 0,
        duplicates_in_pool integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX key_batches_sku_idx ON "inventory".key_batches (sku, created_at)`);
    await queryRunner.query(
      `CREATE INDEX key_batches_master_key_idx ON "inventory".key_batches (master_key_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE "inventory".card_keys (
        key_id uuid PRIMARY KEY,
        sku text NOT NULL REFERENCES "inventory".skus (sku),
        batch_id uuid NOT NULL REFERENCES "inventory".key_batches (batch_id),
        fingerprint bytea NOT NULL,
        ciphertext bytea NOT NULL,
        status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'sold')),
        reservation_id uuid,
        sold_to_order uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT card_keys_fingerprint_unique UNIQUE (fingerprint),
        CHECK ((status = 'available') = (reservation_id IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX card_keys_available_idx ON "inventory".card_keys (sku, created_at, key_id)
         WHERE status = 'available'`,
    );
    await queryRunner.query(
      `CREATE INDEX card_keys_reservation_idx ON "inventory".card_keys (reservation_id)
         WHERE reservation_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX card_keys_sku_status_idx ON "inventory".card_keys (sku, status)`);
    await queryRunner.query(`
      CREATE TABLE "inventory".reservations (
        reservation_id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        sku text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        source text NOT NULL CHECK (source IN ('pool', 'supplier')),
        status text NOT NULL CHECK (status IN ('active', 'committed', 'released', 'unavailable')),
        expires_at timestamptz NOT NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX reservations_expiry_idx ON "inventory".reservations (expires_at) WHERE status = 'active'`,
    );
    await queryRunner.query(`
      CREATE TABLE "inventory".reservation_keys (
        reservation_id uuid NOT NULL,
        key_id uuid NOT NULL,
        reserved_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        released_at timestamptz,
        PRIMARY KEY (reservation_id, key_id)
      )`);
    await queryRunner.query(`CREATE INDEX reservation_keys_key_idx ON "inventory".reservation_keys (key_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['reservation_keys', 'reservations', 'card_keys', 'key_batches', 'skus']) {
      await queryRunner.query(`DROP TABLE IF EXISTS "inventory".${table}`);
    }
  }
}
