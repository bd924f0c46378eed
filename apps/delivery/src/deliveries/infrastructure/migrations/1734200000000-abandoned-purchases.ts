import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Purchases whose outcome stayed unknown (the supplier would not answer) when the order was delivered from
 * a backup instead: each may or may not have sold, so each is reconciled with the supplier — and its keys,
 * if any, are never handed to the buyer, who already has the backup's.
 */
export class AbandonedPurchases1734200000000 implements MigrationInterface {
  name = 'AbandonedPurchases1734200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery.abandoned_purchases (
        order_id uuid NOT NULL,
        supplier_id text NOT NULL,
        idempotency_key text NOT NULL,
        abandoned_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        reconciled_at timestamptz,
        outcome text,
        PRIMARY KEY (order_id, supplier_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery.abandoned_purchases`);
  }
}
