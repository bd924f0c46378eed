import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * orders' own tables beside the event store:
 * - order_view: the projection (status + stage timeline) rebuilt from the Order streams on demand;
 * - checkout_requests: Idempotency-Key → the checkout's response, so a retried checkout returns the same order;
 * - products: the price list checkout charges from (prices are the shop's to set, via the admin API).
 */
export class OrderReadModels1732400000000 implements MigrationInterface {
  name = 'OrderReadModels1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders.order_view (
        order_id uuid PRIMARY KEY,
        status text NOT NULL,
        sku text NOT NULL,
        current_stage text,
        waiting_reason text,
        waiting_since timestamptz,
        placed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        paid_at timestamptz,
        completed_at timestamptz,
        view jsonb NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX order_view_status_idx ON orders.order_view (status, waiting_since)`,
    );
    await queryRunner.query(
      `CREATE INDEX order_view_expiry_idx ON orders.order_view (expires_at) WHERE status = 'awaiting-payment'`,
    );
    await queryRunner.query(`
      CREATE TABLE orders.checkout_requests (
        idempotency_key text PRIMARY KEY,
        request_hash text NOT NULL,
        order_id uuid NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE orders.products (
        sku text PRIMARY KEY,
        title text NOT NULL,
        unit_price_minor integer NOT NULL CHECK (unit_price_minor >= 0),
        currency char(3) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE orders.products`);
    await queryRunner.query(`DROP TABLE orders.checkout_requests`);
    await queryRunner.query(`DROP TABLE orders.order_view`);
  }
}
