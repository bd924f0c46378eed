import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Delivery jobs (the durable work queue: claimed with SKIP LOCKED, retried on schedule), deliveries (one
 * per order: the unique order_id is what stops a second delivery), their keys encrypted at rest (a key id
 * unique across deliveries: one key never goes to two orders), and operators' re-delivery requests.
 */
export class DeliveryTables1734100000000 implements MigrationInterface {
  name = 'DeliveryTables1734100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery.delivery_jobs (
        order_id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL UNIQUE,
        reservation_id uuid NOT NULL,
        sku text NOT NULL,
        supplier_sku text,
        quantity int NOT NULL CHECK (quantity > 0),
        route text[] NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('pending', 'in_progress', 'succeeded', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        lease_until timestamptz,
        claim_token uuid,
        started_suppliers text[] NOT NULL DEFAULT '{}',
        switches jsonb NOT NULL DEFAULT '[]',
        last_error text,
        requeues int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE INDEX delivery_jobs_due ON delivery.delivery_jobs (next_attempt_at)
      WHERE status IN ('pending', 'in_progress')`);
    await queryRunner.query(`
      CREATE TABLE delivery.deliveries (
        delivery_id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        source text NOT NULL,
        served_by text NOT NULL,
        supplier_order_id text,
        item_count int NOT NULL,
        attempts int NOT NULL,
        delivered_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE delivery.delivered_keys (
        delivery_id uuid NOT NULL REFERENCES delivery.deliveries (delivery_id),
        position int NOT NULL,
        key_id uuid NOT NULL UNIQUE,
        encryption_key_id text NOT NULL,
        iv bytea NOT NULL,
        tag bytea NOT NULL,
        ciphertext bytea NOT NULL,
        PRIMARY KEY (delivery_id, position)
      )`);
    await queryRunner.query(`
      CREATE TABLE delivery.redelivery_requests (
        request_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        action text NOT NULL CHECK (action IN ('resend', 'retry')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX redelivery_requests_order ON delivery.redelivery_requests (order_id, requested_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery.redelivery_requests, delivery.delivered_keys,
      delivery.deliveries, delivery.delivery_jobs`);
  }
}
